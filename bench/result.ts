// The one-line JSON records that contender processes print, and the statistics run.ts takes of them.
import { readFileSync } from "node:fs";
import type { StepsWorkloadName } from "./steps-workload.js";
import type { WorkloadName } from "./workloads.js";

/** One contender on one workload: per-run throughput after a validated first run. */
export interface ContenderResult {
  kind: "contender";
  /** e.g. "blasnet float64 generic", "numpy notebook". */
  contender: string;
  workload: WorkloadName;
  /** Iterations per timed run. */
  iterations: number;
  /** Iterations per second of each timed run (wall clock, setup included). */
  itPerSec: number[];
  /** Per run, the share of native iteration time spent inside BLAS; null where not measured. */
  blasShare: number[] | null;
  /** Peak resident set size of the process, in MB. */
  maxRssMB: number;
  /** The validation run's costs, as [iteration, cost]. */
  costs: [number, number][];
}

/** A GEMM shape timed by a roofline process. */
export interface GemmTiming {
  label: string;
  dtype: "float64" | "float32";
  M: number;
  N: number;
  K: number;
  transB: boolean;
  /** Median seconds per call. */
  seconds: number;
  gflops: number;
}

export interface RooflineResult {
  kind: "roofline";
  /** "blasnet" or "numpy". */
  contender: string;
  timings: GemmTiming[];
}

/** The BLAS a process runs, as its info mode reports it. */
export interface InfoResult {
  kind: "info";
  contender: string;
  /** e.g. "Node v20.20.2", "numpy 2.4.6 (Python 3.11.7)". */
  runtime: string;
  blas: { version: string; config: string; coreName: string; threads: number };
}

/** The main thread's event-loop delay while fitAsync trains a workload (generic path, float64). */
export interface EventLoopResult {
  kind: "eventloop";
  workload: WorkloadName;
  iterations: number;
  itPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** A tiny readFile's latency (libuv's pool) while `runs` fitAsync runs train beside it. */
export interface NeighbourPoint {
  runs: number;
  readFileMedianMs: number;
  readFileP90Ms: number;
  loopP99Ms: number;
}

export interface NeighbourResult {
  kind: "neighbour";
  points: NeighbourPoint[];
}

/** Shares of a run's native training time (blasnet only). */
export interface StepSplit {
  gemm: number[];
  elementwise: number[];
  optimizer: number[];
  gather: number[];
}

/** One contender of a mini-batch workload at one batch size: per-run samples/s after the first epoch. */
export interface StepsResult {
  kind: "steps";
  /** e.g. "blasnet float64", "numpy float32", "torch float64". */
  contender: string;
  workload: StepsWorkloadName;
  dtype: "float64" | "float32";
  batch: number;
  samplesPerSec: number[];
  /** The first run's epoch costs. */
  epochCosts: number[];
  split?: StepSplit;
  maxRssMB: number;
}

/** The shared data of a mini-batch workload is written. */
export interface PreparedResult {
  kind: "prepared";
  workload: StepsWorkloadName;
}

export type ChildResult =
  | ContenderResult
  | RooflineResult
  | InfoResult
  | EventLoopResult
  | NeighbourResult
  | StepsResult
  | PreparedResult;

/**
 * This process's peak RSS in MB: VmHWM from /proc/self/status. Not getrusage's maxrss, which Linux
 * carries across exec, so a child spawned from a big parent reports the parent's size.
 */
export function peakRssMB(): number {
  try {
    const line = readFileSync("/proc/self/status", "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmHWM:"));
    const kB = Number(/(\d+)/.exec(line ?? "")?.[1]);
    if (Number.isFinite(kB)) return kB / 1024;
  } catch {
    // not Linux: fall back below
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Prints a record as the single JSON line the orchestrator reads. */
export function emit(result: ChildResult): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** Half the min..max range, as a percentage of the median. */
  spreadPct: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError("summarize: expected at least one value, received none");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  return { median, min, max, spreadPct: (100 * (max - min)) / 2 / median };
}

/** The median of some values. */
export function median(values: readonly number[]): number {
  return summarize(values).median;
}

/** |a - b| / |b|. */
export function relativeDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(b);
}

/** How far float32 costs may sit from float64's (relative) and still count as the same run. */
export const FLOAT32_TOLERANCE = 1e-4;

/** The cost recorded at `iteration` in `[iteration, cost]` pairs, if any. */
export function costAt(costs: readonly (readonly [number, number])[], iteration: number): number | undefined {
  return costs.find(([i]) => i === iteration)?.[1];
}
