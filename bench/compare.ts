// --compare BASELINE.json: each workload's time against a baseline written by --json, normalised by
// the same run's GEMM roofline so that machines (and loads) of different speeds compare.
import { readFileSync } from "node:fs";
import type { BenchEntry } from "./report.js";

/** What a compared workload did: its normalised change, the noise it must beat, and the verdict. */
export interface Comparison {
  name: string;
  /** (now / baseline - 1) of the roofline-normalised ms/it; positive is slower. */
  change: number;
  /** The two runs' own spreads added, as a fraction: each median can sit anywhere in its range. */
  noise: number;
  verdict: "faster" | "slower" | "within noise" | "REGRESSION";
}

/**
 * What a contender's time is divided by: the same run's roofline time of its workload's own layer-1
 * products (W1*X and dZ1*X^T, in its precision), which track the machine and its load as that
 * workload does; blasnet's square GEMM where a run has no such entries.
 */
function scaleOf(entries: ReadonlyMap<string, BenchEntry>, name: string): number | undefined {
  const precision = name.includes("float32") ? "float32" : "float64";
  const workload = name.split(" ")[0];
  const own = [...entries.values()].filter((e) =>
    e.name.startsWith(`roofline blasnet ${precision} ${workload} `),
  );
  if (own.length > 0) return own.reduce((sum, e) => sum + e.value, 0);
  return entries.get(`roofline blasnet ${precision} square 2048 2048x2048x2048`)?.value;
}

function spreadOf(entry: BenchEntry): number {
  const pct = Number(/±([\d.]+)%/.exec(entry.range ?? "")?.[1]);
  return Number.isFinite(pct) ? pct / 100 : 0;
}

/**
 * Reads a --json file.
 * @throws {Error} naming the file when it is missing or not a list of entries
 */
export function readBaseline(file: string): BenchEntry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(
      `bench: could not read --compare ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const valid = (e: unknown): e is BenchEntry =>
    typeof e === "object" &&
    e !== null &&
    typeof (e as BenchEntry).name === "string" &&
    Number.isFinite((e as BenchEntry).value);
  if (!Array.isArray(parsed) || !parsed.every(valid)) {
    throw new Error(
      `bench: --compare ${file} is not a list of { name, unit, value } entries written by --json`,
    );
  }
  return parsed;
}

/**
 * Compares the workload entries both runs have. A change counts only beyond the runs' own noise;
 * a slowdown beyond both the noise and `failAbove` (a fraction) is a REGRESSION.
 */
export function compareRuns(
  now: readonly BenchEntry[],
  baseline: readonly BenchEntry[],
  failAbove: number,
): Comparison[] {
  const byName = (list: readonly BenchEntry[]) => new Map(list.map((e) => [e.name, e]));
  const [current, before] = [byName(now), byName(baseline)];
  const out: Comparison[] = [];
  for (const entry of now) {
    if (entry.unit !== "ms/it") continue;
    const old = before.get(entry.name);
    const scaleNow = scaleOf(current, entry.name);
    const scaleThen = scaleOf(before, entry.name);
    if (old === undefined || scaleNow === undefined || scaleThen === undefined) continue;
    const change = entry.value / scaleNow / (old.value / scaleThen) - 1;
    const noise = spreadOf(entry) + spreadOf(old);
    const beyond = Math.abs(change) > noise;
    const verdict = !beyond
      ? "within noise"
      : change < 0
        ? "faster"
        : change > failAbove
          ? "REGRESSION"
          : "slower";
    out.push({ name: entry.name, change, noise, verdict });
  }
  return out;
}

/** The printed report: one line per compared workload. */
export function comparisonLines(
  comparisons: readonly Comparison[],
  baselineFile: string,
  failAbove: number,
): string[] {
  if (comparisons.length === 0) return [`compare: no workload of this run is in ${baselineFile}`];
  const width = Math.max(...comparisons.map((c) => c.name.length));
  return [
    `compare with ${baselineFile} (time per iteration over the same run's roofline of the workload's layer-1 GEMMs; fail above +${(100 * failAbove).toFixed(0)}%):`,
    ...comparisons.map((c) => {
      const sign = c.change >= 0 ? "+" : "";
      return `  ${c.name.padEnd(width)}  ${sign}${(100 * c.change).toFixed(1)}%  (noise ±${(100 * c.noise).toFixed(1)}%)  ${c.verdict}`;
    }),
  ];
}
