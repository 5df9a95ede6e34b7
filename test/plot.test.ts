// The cost-curve SVG, rasterised by resvg: the frame, both curves' pixels where the costs put them,
// the legend, and the text escaping.
import test from "ava";
import { Resvg } from "@resvg/resvg-js";
import { costCurveSvg } from "../lib/index.js";
import { PLOT_COLORS, PLOT_LAYOUT } from "../lib/plot.js";

interface Image {
  width: number;
  height: number;
  pixels: Buffer;
}

function render(svg: string): Image {
  // No fonts: the test looks at lines, and system fonts would make it slower and machine-dependent.
  const image = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

function near(image: Image, x: number, y: number, color: [number, number, number], tolerance = 70): boolean {
  const at = (y * image.width + x) * 4;
  const [r, g, b] = [image.pixels[at]!, image.pixels[at + 1]!, image.pixels[at + 2]!];
  return Math.hypot(r - color[0], g - color[1], b - color[2]) < tolerance;
}

/** A grey darker than the grid lines (#e6e6e6): the frame and the ticks. */
function frameGrey(image: Image, x: number, y: number): boolean {
  const at = (y * image.width + x) * 4;
  const [r, g, b] = [image.pixels[at]!, image.pixels[at + 1]!, image.pixels[at + 2]!];
  return Math.abs(r - g) < 4 && Math.abs(g - b) < 4 && r < 200;
}

/** The frame of the plotting area, found from the pixels alone: the first dark pixel from each side. */
function frame(image: Image): { left: number; right: number; top: number; bottom: number } {
  const midY = Math.round(image.height / 2);
  const midX = Math.round(image.width / 2);
  const scan = (from: number, to: number, pixel: (i: number) => boolean) => {
    for (let i = from; from < to ? i < to : i > to; i += from < to ? 1 : -1) if (pixel(i)) return i;
    return -1;
  };
  return {
    left: scan(0, image.width, (x) => frameGrey(image, x, midY)),
    right: scan(image.width - 1, 0, (x) => frameGrey(image, x, midY)),
    top: scan(0, image.height, (y) => frameGrey(image, midX, y)),
    bottom: scan(image.height - 1, 0, (y) => frameGrey(image, midX, y)),
  };
}

/** The mean row of the pixels of `color` in column x, or undefined when there are none. */
function curveRow(image: Image, x: number, color: [number, number, number]): number | undefined {
  const rows: number[] = [];
  for (let y = 0; y < image.height; y++) if (near(image, x, y, color)) rows.push(y);
  return rows.length === 0 ? undefined : rows.reduce((a, b) => a + b, 0) / rows.length;
}

// Eleven epochs (x from 0 to 10) of costs at most 1, so the axes run exactly over [0, 10] x [0, 1].
const train = [0.85, 0.7, 0.58, 0.5, 0.44, 0.4, 0.37, 0.35, 0.33, 0.32, 0.31];
const validation = train.map((c) => c + 0.15);

test("the cost curves' pixels are where the costs put them in the rendered SVG", (t) => {
  const image = render(costCurveSvg({ train, validation }, { title: "costs" }));
  t.is(image.width, PLOT_LAYOUT.WIDTH);
  t.is(image.height, PLOT_LAYOUT.HEIGHT);
  const box = frame(image);
  // The frame found in the pixels is the documented layout (within the 1-pixel stroke).
  t.true(Math.abs(box.left - PLOT_LAYOUT.LEFT) <= 1, `left ${box.left}`);
  t.true(Math.abs(box.right - (PLOT_LAYOUT.WIDTH - PLOT_LAYOUT.RIGHT)) <= 1, `right ${box.right}`);
  t.true(Math.abs(box.top - PLOT_LAYOUT.TOP) <= 1, `top ${box.top}`);
  t.true(Math.abs(box.bottom - (PLOT_LAYOUT.HEIGHT - PLOT_LAYOUT.BOTTOM)) <= 1, `bottom ${box.bottom}`);
  for (const [name, costs] of [
    ["train", train],
    ["validation", validation],
  ] as const) {
    const color = rgb(PLOT_COLORS[name]);
    costs.forEach((cost, epoch) => {
      // The last point ends the line at the frame's right edge: look one pixel column inside it.
      const x = Math.min(Math.round(box.left + (epoch / 10) * (box.right - box.left)), box.right - 1);
      const expected = box.top + (1 - cost) * (box.bottom - box.top);
      const row = curveRow(image, x, color);
      t.not(row, undefined, `${name} epoch ${epoch}: no curve pixels in column ${x}`);
      t.true(
        Math.abs(row! - expected) <= 2.5,
        `${name} epoch ${epoch}: row ${row} but the cost says ${expected}`,
      );
    });
  }
});

test("the plot has a legend swatch per curve, and no validation colour without validation costs", (t) => {
  const withBoth = render(costCurveSvg({ train, validation }));
  const onlyTrain = render(costCurveSvg({ train }));
  const count = (image: Image, color: [number, number, number]) => {
    let n = 0;
    for (let y = 0; y < image.height; y++)
      for (let x = 0; x < image.width; x++) if (near(image, x, y, color)) n++;
    return n;
  };
  // The legend sits in the plot's top-right corner, above every cost here (all at most 1).
  const legendRow = (image: Image, color: [number, number, number]) => {
    const x = PLOT_LAYOUT.WIDTH - PLOT_LAYOUT.RIGHT - 150 + 20;
    for (let y = PLOT_LAYOUT.TOP; y < PLOT_LAYOUT.TOP + 60; y++) if (near(image, x, y, color)) return y;
    return -1;
  };
  t.not(legendRow(withBoth, rgb(PLOT_COLORS.train)), -1);
  t.not(legendRow(withBoth, rgb(PLOT_COLORS.validation)), -1);
  t.not(legendRow(onlyTrain, rgb(PLOT_COLORS.train)), -1);
  t.is(count(onlyTrain, rgb(PLOT_COLORS.validation)), 0);
});

test("costCurveSvg names the axes, escapes the title, breaks the line at non-finite costs", (t) => {
  const svg = costCurveSvg({ train: [1, NaN, 0.5, 0.4] }, { title: "a < b & c" });
  t.regex(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  t.regex(svg, />epoch</);
  t.regex(svg, />cost</);
  t.regex(svg, />training cost</);
  t.regex(svg, /a &#60; b &#38; c/);
  // The first cost stands alone (a dot), the last two make one polyline.
  t.is(svg.match(/<polyline/g)?.length, 1);
  t.is(svg.match(/<circle/g)?.length, 1);
  t.throws(() => costCurveSvg({ train: [] }), {
    instanceOf: RangeError,
    message: /at least one training cost/,
  });
});
