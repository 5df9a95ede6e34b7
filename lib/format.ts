// numpy-style printing of matrices (precision 8, floatmode "maxprec"), so output reads like the notebook.

/**
 * Formats row-major values as numpy prints a 2-D float array with default print options.
 * @param data the values
 * @param rows number of rows
 * @param cols number of columns
 */
export function formatLikeNumpy(data: Float64Array, rows: number, cols: number): string {
  // Loops, not Math.max(...values): spreading a [20, 12288] matrix overflows the call stack.
  let max = 0;
  let min = Infinity;
  for (const v of data) {
    if (!Number.isFinite(v) || v === 0) continue;
    const a = Math.abs(v);
    if (a > max) max = a;
    if (a < min) min = a;
  }
  // numpy's rule for switching to scientific notation.
  const scientific = max >= 1e8 || (max > 0 && (min < 1e-4 || max / min > 1e3));
  const cells = Array.from(data, (v) => (scientific ? splitExponential(v) : splitPositional(v)));
  let intWidth = 0;
  let fracWidth = 0;
  let expWidth = 0;
  for (const c of cells) {
    intWidth = Math.max(intWidth, c.int.length);
    fracWidth = Math.max(fracWidth, c.frac.length);
    expWidth = Math.max(expWidth, c.exp.length);
  }
  const text = cells.map((c) =>
    c.special !== undefined
      ? c.special.padStart(intWidth + 1 + fracWidth + expWidth)
      : // numpy pads fractions with spaces in positional notation, with zeros in scientific.
        `${c.int.padStart(intWidth)}.${c.frac.padEnd(fracWidth, scientific ? "0" : " ")}${c.exp.padStart(expWidth)}`,
  );
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row = text.slice(i * cols, (i + 1) * cols).join(" ");
    lines.push(`${i === 0 ? "[[" : " ["}${row}]${i === rows - 1 ? "]" : ""}`);
  }
  return lines.join("\n");
}

interface Cell {
  int: string;
  frac: string;
  exp: string;
  special?: string;
}

function special(v: number): Cell | undefined {
  if (Number.isNaN(v)) return { int: "", frac: "", exp: "", special: "nan" };
  if (!Number.isFinite(v)) return { int: "", frac: "", exp: "", special: v > 0 ? "inf" : "-inf" };
  return undefined;
}

function splitPositional(v: number): Cell {
  const s = special(v);
  if (s) return s;
  const [int = "", frac = ""] = v.toFixed(8).split(".");
  const sign = Object.is(v, -0) && int === "0" ? "-" : "";
  return { int: sign + int, frac: frac.replace(/0+$/, ""), exp: "" };
}

function splitExponential(v: number): Cell {
  const s = special(v);
  if (s) return s;
  const [mantissa = "", exponent = "0"] = v.toExponential(8).split("e");
  const [int = "", frac = ""] = mantissa.split(".");
  const e = Number(exponent);
  const digits = String(Math.abs(e)).padStart(2, "0");
  return { int, frac: frac.replace(/0+$/, ""), exp: `e${e < 0 ? "-" : "+"}${digits}` };
}
