// The options and results of Model's training runs, and the error an aborted run rejects with.
import type { InitScheme } from "./params.js";
import type { DType } from "./plan.js";

export interface ModelOptions {
  /** Weight scaling, default "fan-in". */
  init?: InitScheme;
  /** numpy seed of the initial weights, default 1. */
  seed?: number;
  /** Precision of the parameters and of every training buffer, default "float64". */
  dtype?: DType;
}

export interface FitOptions {
  /** Gradient-descent step, a finite number > 0. */
  learningRate: number;
  /** How many full-batch iterations to run (0 is allowed). */
  iterations: number;
  /** Record the cost every this many iterations (iteration 0, costEvery, ...), default 100. */
  costEvery?: number;
  /** Called with each recorded cost, between iterations. */
  onCost?: (iteration: number, cost: number) => void;
  /**
   * Use the Gram path for layer 1 (Z1 updated through X^T X, W1 materialised when read).
   * Default "auto": on for float64 models with fewer examples than input features.
   */
  gram?: boolean | "auto";
}

export interface FitProgress {
  /** Iterations completed so far in this run. */
  iteration: number;
  /** Iterations requested. */
  iterations: number;
  /** The latest recorded cost, or undefined before the first. */
  cost: number | undefined;
}

export interface FitAsyncOptions extends FitOptions {
  /** Cancels between iterations; the promise rejects with an AbortError and the model keeps
   * the parameters of the last completed iteration. */
  signal?: AbortSignal;
  /** Called on the main thread after each chunk of iterations (chunks last about 25 ms). */
  onProgress?: (progress: FitProgress) => void;
}

export interface FitResult {
  /** The recorded costs, at iterations 0, costEvery, 2 costEvery, ... */
  costs: number[];
  /** Whether the Gram path ran. */
  gram: boolean;
  /** Seconds spent in native training iterations, and the part of them inside BLAS GEMM calls. */
  seconds: number;
  blasSeconds: number;
  /**
   * The most threads that shared one of the run's products, split into blocks of blasnet's own
   * (0 when the run left all threading to OpenBLAS).
   */
  splitThreads: number;
}

/** What an aborted fitAsync rejects with: an Error named "AbortError", as Node's own APIs use. */
export class AbortError extends Error {
  override readonly name = "AbortError";
  readonly code = "ABORT_ERR";
}
