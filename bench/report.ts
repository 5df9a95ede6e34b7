// Formatting of the bench output: header, contender lines, agreement, ratios, roofline, JSON entries.
import { readFileSync } from "node:fs";
import os from "node:os";
import type { ContenderResult, InfoResult, RooflineResult } from "./result.js";
import { FLOAT32_TOLERANCE, costAt, relativeDiff, summarize } from "./result.js";
import { type Workload, flopsPerIteration } from "./workloads.js";

/** One github-action-benchmark "customSmallerIsBetter" entry. */
/** One github-action-benchmark entry ("customSmallerIsBetter"); `range` is the runs' spread. */
export interface BenchEntry {
  name: string;
  unit: "ms/it" | "s";
  value: number;
  range?: string;
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":")[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

/** The 1-minute load average now: context for an outlier on a shared machine. */
export function loadNow(): string {
  return os.loadavg()[0]!.toFixed(1);
}

function blasText(info: InfoResult): string {
  const { version, coreName, threads } = info.blas;
  return `${version}, core ${coreName}, ${threads} threads`;
}

export function header(
  command: string,
  blasnet: InfoResult | undefined,
  numpy: InfoResult | undefined,
): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  return [
    `blasnet bench   ${new Date().toISOString()}   ${command}`,
    `CPU      ${cpuModel()} (${os.cpus().length} logical cores), load average ${load}`,
    `Node     ${process.version}`,
    `blasnet  ${blasnet ? `OpenBLAS ${blasText(blasnet)}` : "unavailable"}`,
    `numpy    ${numpy ? `${numpy.runtime}: ${blasText(numpy)}` : "not measured"}`,
    "Each contender runs in a fresh process: validate, warm up, then timed runs from the same init.",
    "it/s: median ±half the min..max range (min..max); GFLOP/s from the generic-path GEMM count",
    "(* = effective, Gram path); BLAS = share of native iteration time in GEMM; RSS = peak;",
    "load = 1-minute load average when the contender finished (this bench alone adds about 2).",
  ].join("\n");
}

export function dimsText(w: Workload): string {
  return `[${w.dims.join(",")}]x${w.m}`;
}

export function workloadTitle(w: Workload, generic: number, gram: number): string {
  const gflop = flopsPerIteration(w.dims, w.m) / 1e9;
  const iterations = w.gram ? `${generic} it/run (Gram ${gram})` : `${generic} it/run`;
  return `\n${w.name}  dims ${dimsText(w)}  lr ${w.learningRate}  ${gflop.toPrecision(3)} GFLOP/it  ${iterations}`;
}

function fixed(x: number): string {
  return x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3);
}

export function contenderLine(w: Workload, r: ContenderResult, nameWidth: number): string {
  const s = summarize(r.itPerSec);
  const gflops = (flopsPerIteration(w.dims, w.m) * s.median) / 1e9;
  const effective = r.contender.endsWith("gram") ? "*" : " ";
  const blas = r.blasShare ? `${(100 * summarize(r.blasShare).median).toFixed(0).padStart(3)}%` : "   -";
  const rate =
    `x ${fixed(s.median).padStart(7)} it/s ±${s.spreadPct.toFixed(1).padStart(4)}% ` +
    `(${fixed(s.min)}..${fixed(s.max)})`;
  return (
    `  ${r.contender.padEnd(nameWidth)} ${dimsText(w)}  ${rate.padEnd(42)} ${gflops.toFixed(2).padStart(7)}` +
    `${effective}GFLOP/s  BLAS ${blas}  RSS ${r.maxRssMB.toFixed(0).padStart(4)} MB  load ${loadNow()}`
  );
}

/** Each contender's validation costs against the first one's (blasnet float64 generic). */
export function agreementLines(results: readonly ContenderResult[], nameWidth: number): string[] {
  const base = results[0];
  if (base === undefined || results.length < 2) return [];
  const lines = [`  agreement of the validation costs with ${base.contender} (relative |diff|):`];
  for (const r of results.slice(1)) {
    const tolerance = r.contender.includes("float32") ? FLOAT32_TOLERANCE : 1e-9;
    let ok = true;
    const parts = base.costs.map(([iteration, expected]) => {
      const got = costAt(r.costs, iteration);
      if (got === undefined) {
        ok = false;
        return `cost@${iteration} missing`;
      }
      const diff = relativeDiff(got, expected);
      ok &&= diff <= tolerance;
      return `cost@${iteration} ${diff.toExponential(1)}`;
    });
    lines.push(`    ${r.contender.padEnd(nameWidth)} ${parts.join("  ")}  ${ok ? "ok" : "MISMATCH"}`);
  }
  return lines;
}

/** it/s of each blasnet contender over each numpy contender, all from this run. */
export function ratioLines(results: readonly ContenderResult[], nameWidth: number): string[] {
  const ours = results.filter((r) => r.contender.startsWith("blasnet"));
  const theirs = results.filter((r) => r.contender.startsWith("numpy"));
  if (ours.length === 0 || theirs.length === 0) return [];
  const lines = [
    "  ratios, blasnet it/s over numpy it/s (both from this run):",
    `    ${"".padEnd(nameWidth)}${theirs.map((t) => `/ ${t.contender}`.padStart(18)).join("")}`,
  ];
  for (const o of ours) {
    const mine = summarize(o.itPerSec).median;
    const cells = theirs.map((t) => `${(mine / summarize(t.itPerSec).median).toFixed(2)}x`.padStart(18));
    lines.push(`    ${o.contender.padEnd(nameWidth)}${cells.join("")}`);
  }
  return lines;
}

export function rooflineLines(results: readonly RooflineResult[]): string[] {
  const first = results[0];
  if (first === undefined) return [];
  const names = results.flatMap((r) => [`${r.contender} f64`, `${r.contender} f32`]);
  const lines = [
    "\nroofline: GEMM GFLOP/s (median), C[M,N] = A[M,K] B, B transposed for NT",
    `  ${"shape".padEnd(24)} ${"M x N x K".padEnd(18)}   ${names.map((n) => n.padStart(12)).join("")}`,
  ];
  const shapes = first.timings.filter((t) => t.dtype === "float64");
  for (const shape of shapes) {
    const cells = results.flatMap((r) =>
      (["float64", "float32"] as const).map((dtype) => {
        const t = r.timings.find((x) => x.label === shape.label && x.dtype === dtype);
        return (t ? t.gflops.toFixed(1) : "-").padStart(12);
      }),
    );
    const mnk = `${shape.M}x${shape.N}x${shape.K} ${shape.transB ? "NT" : "NN"}`;
    lines.push(`  ${shape.label.padEnd(24)} ${mnk.padEnd(18)}   ${cells.join("")}`);
  }
  return lines;
}

export function benchEntries(
  contenders: readonly ContenderResult[],
  rooflines: readonly RooflineResult[],
): BenchEntry[] {
  const entries: BenchEntry[] = contenders.map((r) => {
    const s = summarize(r.itPerSec);
    return {
      name: `${r.workload} ${r.contender}`,
      unit: "ms/it",
      value: 1000 / s.median,
      range: `±${s.spreadPct.toFixed(1)}%`,
    };
  });
  for (const r of rooflines) {
    for (const t of r.timings) {
      entries.push({
        name: `roofline ${r.contender} ${t.dtype} ${t.label} ${t.M}x${t.N}x${t.K}`,
        unit: "s",
        value: t.seconds,
      });
    }
  }
  return entries;
}
