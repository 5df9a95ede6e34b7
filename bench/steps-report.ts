// Formatting of the mini-batch workload: contender lines, cost agreement, ratios and the targets.
import type { BenchEntry } from "./report.js";
import { type RooflineResult, type StepsResult, relativeDiff, summarize } from "./result.js";
import { type StepsWorkload, flopsPerSample } from "./steps-workload.js";

/** How far a contender's epoch costs may sit from blasnet float64's at the same batch. */
const FLOAT64_AGREEMENT = 1e-9;
/** float32 drifts from float64 over an epoch of Adam steps (about 1e-3 after 4 epochs). */
const FLOAT32_AGREEMENT = 5e-3;

const pct = (x: number) => `${(100 * x).toFixed(0).padStart(3)}%`;

function rate(values: readonly number[]): string {
  const s = summarize(values);
  return `${Math.round(s.median).toLocaleString("en-US").padStart(8)} samples/s ±${s.spreadPct.toFixed(1).padStart(4)}%`;
}

export function stepsTitle(w: StepsWorkload, epochs: number): string {
  const kflop = flopsPerSample(w.dims) / 1e3;
  return (
    `\n${w.name}  dims [${w.dims.join(",")}]  m ${w.m}  Adam lr ${w.learningRate}  ${kflop.toFixed(0)} kFLOP/sample  ` +
    `${epochs} epochs/run, samples/s over epochs 2..${epochs}`
  );
}

export function stepsLine(r: StepsResult, nameWidth: number): string {
  const split = r.split;
  const parts = split
    ? `  GEMM ${pct(summarize(split.gemm).median)}  elementwise ${pct(summarize(split.elementwise).median)}  ` +
      `optimizer ${pct(summarize(split.optimizer).median)}  gather ${pct(summarize(split.gather).median)}`
    : "";
  return `  batch ${String(r.batch).padEnd(5)} ${r.contender.padEnd(nameWidth)} ${rate(r.samplesPerSec)}  RSS ${r.maxRssMB.toFixed(0).padStart(4)} MB${parts}`;
}

/** Epoch costs of every contender at one batch size against blasnet float64's; false on a mismatch. */
export function stepsAgreement(
  results: readonly StepsResult[],
  nameWidth: number,
): { lines: string[]; ok: boolean } {
  const base = results.find((r) => r.contender === "blasnet float64");
  if (base === undefined) return { lines: [], ok: true };
  let ok = true;
  const lines = results
    .filter((r) => r !== base)
    .map((r) => {
      const tolerance = r.dtype === "float32" ? FLOAT32_AGREEMENT : FLOAT64_AGREEMENT;
      const worst = Math.max(...base.epochCosts.map((c, e) => relativeDiff(r.epochCosts[e] ?? NaN, c)));
      const agrees = worst <= tolerance;
      ok &&= agrees;
      return `    ${r.contender.padEnd(nameWidth)} epoch costs within ${worst.toExponential(1)} of blasnet float64  ${agrees ? "ok" : "MISMATCH"}`;
    });
  const costs = base.epochCosts.map((c) => c.toFixed(6)).join(", ");
  return { lines: [`  batch ${base.batch}: blasnet float64 epoch costs ${costs}`, ...lines], ok };
}

/** The batch-64 epoch costs the issue states (numpy and PyTorch), within a unit of their 6th digit (0.70130550 is stated as 0.701306). */
export function referenceOk(w: StepsWorkload, results: readonly StepsResult[]): boolean {
  const base = results.find((r) => r.contender === "blasnet float64" && r.batch === 64);
  return base === undefined || w.reference.every((c, e) => Math.abs((base.epochCosts[e] ?? NaN) - c) <= 1e-6);
}

function median(results: readonly StepsResult[], contender: string, batch: number): number | undefined {
  const r = results.find((x) => x.contender === contender && x.batch === batch);
  return r ? summarize(r.samplesPerSec).median : undefined;
}

function peak(rooflines: readonly RooflineResult[], dtype: "float64" | "float32"): number | undefined {
  return rooflines
    .find((r) => r.contender === "blasnet")
    ?.timings.find((t) => t.dtype === dtype && t.label === "square 2048")?.gflops;
}

/**
 * The issue's targets as this run measured them: batch 64 against numpy and PyTorch, batch 1024
 * against the GEMM limit (this run's square dgemm / sgemm peak over the GEMM flops per sample).
 */
export function targetLines(
  w: StepsWorkload,
  results: readonly StepsResult[],
  rooflines: readonly RooflineResult[],
  mlpWide: { float64?: number; float32?: number },
): string[] {
  const lines = ["\ntargets (medians, all from this run):"];
  const ratio = (ours: number | undefined, theirs: number | undefined, goal: number, what: string) => {
    if (ours === undefined || theirs === undefined) return;
    const x = ours / theirs;
    lines.push(
      `  ${what.padEnd(44)} ${x.toFixed(2).padStart(6)}x   target ${goal}x  ${x >= goal ? "met" : "NOT MET"}`,
    );
  };
  for (const dtype of ["float64", "float32"] as const) {
    const ours = median(results, `blasnet ${dtype}`, 64);
    ratio(
      ours,
      median(results, `numpy ${dtype}`, 64),
      dtype === "float64" ? 3 : 2,
      `mnist-mlp b64 ${dtype} / numpy`,
    );
    ratio(ours, median(results, `torch ${dtype}`, 64), 5, `mnist-mlp b64 ${dtype} / PyTorch`);
  }
  for (const dtype of ["float64", "float32"] as const) {
    const ours = median(results, `blasnet ${dtype}`, 1024);
    const gflops = peak(rooflines, dtype);
    if (ours === undefined || gflops === undefined) continue;
    const limit = (gflops * 1e9) / flopsPerSample(w.dims);
    const share = ours / limit;
    lines.push(
      `  ${`mnist-mlp b1024 ${dtype} / GEMM limit`.padEnd(44)} ${pct(share).padStart(6)}    target 60%  ` +
        `${share >= 0.6 ? "met" : "NOT MET"}  (limit ${Math.round(limit).toLocaleString("en-US")} samples/s at ${gflops.toFixed(1)} GFLOP/s)`,
    );
  }
  for (const dtype of ["float64", "float32"] as const) {
    const achieved = mlpWide[dtype];
    const gflops = peak(rooflines, dtype);
    if (achieved === undefined || gflops === undefined) continue;
    const share = achieved / gflops;
    lines.push(
      `  ${`mlp-wide ${dtype} / GEMM peak`.padEnd(44)} ${pct(share).padStart(6)}    target 90%  ${share >= 0.9 ? "met" : "NOT MET"}`,
    );
  }
  return lines;
}

/** github-action-benchmark entries: ms per step, so --compare treats them like the other workloads. */
export function stepsEntries(results: readonly StepsResult[]): BenchEntry[] {
  return results.map((r) => {
    const s = summarize(r.samplesPerSec);
    return {
      name: `${r.workload} b${r.batch} ${r.contender}`,
      unit: "ms/it",
      value: (1000 * r.batch) / s.median,
      range: `±${s.spreadPct.toFixed(1)}%`,
    };
  });
}
