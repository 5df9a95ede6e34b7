// Cost curves as a standalone SVG: axes with ticks, axis labels, a legend, one polyline per curve.
// A small writer of our own rather than a plotting library: one chart type of two lines needs about
// a hundred lines of string building, while the libraries that write SVG in Node (vega, d3 with
// jsdom, chart.js with a canvas) bring a DOM or a native canvas for it.

/** The costs to draw: one value per epoch (or per `xStep` iterations), validation optional. */
export interface CostCurves {
  train: readonly number[];
  validation?: readonly number[];
}

/** Options of costCurveSvg. */
export interface CostPlotOptions {
  title?: string;
  /** The x axis's label (default "epoch"). */
  xLabel?: string;
  /** The x value of the i-th cost is i * xStep (default 1: epochs from 0). */
  xStep?: number;
}

/**
 * The layout every plot uses, in SVG user units (one unit is one pixel when rendered at its size):
 * the plotting area is the rectangle from (LEFT, TOP) to (WIDTH - RIGHT, HEIGHT - BOTTOM), framed.
 * The x axis runs from 0 to the last x value; the y axis from 0 (or the lowest cost, when one is
 * negative) to the first "nice" tick at or above the highest cost.
 */
export const PLOT_LAYOUT = Object.freeze({
  WIDTH: 640,
  HEIGHT: 400,
  LEFT: 72,
  RIGHT: 24,
  TOP: 40,
  BOTTOM: 56,
});

/** The curves' colours: training, validation. */
export const PLOT_COLORS = Object.freeze({ train: "#1f77b4", validation: "#d62728" });

/** A tick step of 1, 2 or 5 times a power of ten, giving about `count` intervals over `range`. */
function niceStep(range: number, count: number): number {
  const raw = range / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = raw / power;
  return power * (factor <= 1 ? 1 : factor <= 2 ? 2 : factor <= 5 ? 5 : 10);
}

/** Ticks from `low` to the first multiple of the step at or above `high`. */
function ticks(
  low: number,
  high: number,
  count: number,
): { values: number[]; max: number; decimals: number } {
  const range = high > low ? high - low : Math.abs(high) || 1;
  const step = niceStep(range, count);
  const max = Math.ceil(high / step - 1e-9) * step;
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const values: number[] = [];
  for (let v = low; v <= max + step / 2; v += step) values.push(Number(v.toFixed(decimals)));
  return { values, max: max > low ? max : low + step, decimals };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * An SVG document plotting training (and validation) cost against the epoch. Non-finite costs
 * break the line instead of stretching the axis.
 * @param curves `{ train, validation? }`, one cost per epoch; train has at least one value
 * @returns the SVG text (PLOT_LAYOUT.WIDTH by PLOT_LAYOUT.HEIGHT)
 * @throws {RangeError} when train is empty
 * @example writeFileSync("costs.svg", costCurveSvg({ train: result.history.map((h) => h.cost) }))
 */
export function costCurveSvg(curves: CostCurves, options: CostPlotOptions = {}): string {
  const { WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM } = PLOT_LAYOUT;
  if (curves.train.length === 0)
    throw new RangeError("costCurveSvg: expected at least one training cost, received []");
  const xStep = options.xStep ?? 1;
  const series = [
    { name: "training cost", color: PLOT_COLORS.train, values: curves.train },
    ...(curves.validation === undefined
      ? []
      : [{ name: "validation cost", color: PLOT_COLORS.validation, values: curves.validation }]),
  ];
  const finite = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  const low = Math.min(0, ...finite);
  const high = finite.length === 0 ? 1 : Math.max(...finite);
  const y = ticks(low, high, 5);
  const lastX = Math.max(...series.map((s) => s.values.length - 1)) * xStep;
  const x = ticks(0, lastX > 0 ? lastX : 1, 8);
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const px = (v: number) => LEFT + (v / x.max) * plotW;
  const py = (v: number) => TOP + plotH - ((v - low) / (y.max - low)) * plotH;
  const f = (v: number) => v.toFixed(2);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
  ];
  if (options.title !== undefined) {
    out.push(
      `<text x="${WIDTH / 2}" y="${TOP - 16}" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`,
    );
  }
  // Grid lines and tick labels first, so the curves draw over them.
  for (const v of y.values) {
    const at = f(py(v));
    out.push(
      `<line x1="${LEFT}" y1="${at}" x2="${WIDTH - RIGHT}" y2="${at}" stroke="#e6e6e6" shape-rendering="crispEdges"/>`,
    );
    out.push(
      `<text x="${LEFT - 6}" y="${at}" text-anchor="end" dominant-baseline="middle">${v.toFixed(y.decimals)}</text>`,
    );
  }
  for (const v of x.values) {
    const at = f(px(v));
    out.push(
      `<line x1="${at}" y1="${TOP + plotH}" x2="${at}" y2="${TOP + plotH + 5}" stroke="#333333" shape-rendering="crispEdges"/>`,
    );
    out.push(`<text x="${at}" y="${TOP + plotH + 18}" text-anchor="middle">${v.toFixed(x.decimals)}</text>`);
  }
  out.push(
    `<rect x="${LEFT}" y="${TOP}" width="${plotW}" height="${plotH}" fill="none" stroke="#333333" shape-rendering="crispEdges"/>`,
  );
  out.push(
    `<text x="${LEFT + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">${escapeXml(options.xLabel ?? "epoch")}</text>`,
    `<text transform="translate(18 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">cost</text>`,
  );
  for (const s of series) {
    // One polyline per run of finite values.
    let run: string[] = [];
    const flush = () => {
      if (run.length > 1) {
        out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${run.join(" ")}"/>`);
      } else if (run.length === 1) {
        const [cx, cy] = run[0]!.split(",");
        out.push(`<circle cx="${cx}" cy="${cy}" r="2.5" fill="${s.color}"/>`);
      }
      run = [];
    };
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) run.push(`${f(px(i * xStep))},${f(py(v))}`);
      else flush();
    });
    flush();
  }
  // The legend, in the plot's top-right corner.
  const legendW = 150;
  const legendX = WIDTH - RIGHT - legendW - 8;
  out.push(
    `<rect x="${legendX}" y="${TOP + 8}" width="${legendW}" height="${8 + 18 * series.length}" fill="#ffffff" stroke="#cccccc"/>`,
  );
  series.forEach((s, i) => {
    const ly = TOP + 20 + 18 * i;
    out.push(
      `<line x1="${legendX + 8}" y1="${ly}" x2="${legendX + 32}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${legendX + 40}" y="${ly}" dominant-baseline="middle">${s.name}</text>`);
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
