// The options and results of Model's training runs (re-exported by types.ts).
import type { Matrix } from "./matrix.js";
import type { InitScheme, DType, Hidden, Output } from "./types.js";

export interface ModelOptions {
  /** Weight scaling, default "fan-in". */
  init?: InitScheme;
  /** numpy seed of the initial weights, default 1. */
  seed?: number;
  /** Precision of the parameters and of every training buffer, default "float64". */
  dtype?: DType;
  /** The hidden layers' activation, default "relu". */
  hidden?: Hidden;
  /** The output head, default "sigmoid" (1 unit); "softmax" needs at least 2 units and one-hot Y. */
  output?: Output;
}

/** The optimizer of an epochs run: a name, or a name with its hyperparameters. */
export type OptimizerOption =
  | "gd"
  | "momentum"
  | "adam"
  | { name: "gd" }
  | { name: "momentum"; beta?: number }
  | { name: "adam"; beta1?: number; beta2?: number; epsilon?: number };

/** What one epoch reports to onEpoch and to history. */
export interface EpochLog {
  /** The spec's epoch cost: sum over batches of b * batch cost / m (with the L2 term). */
  cost: number;
  /** The cost on validationData (no dropout, no L2 term), when given. */
  validationCost?: number;
  /** The accuracy on validationData, when given. */
  validationAccuracy?: number;
}

export interface FitOptions {
  /** Gradient-descent step, a finite number > 0. */
  learningRate: number;
  /** How many full-batch iterations to run (0 is allowed). Give iterations or epochs, not both. */
  iterations?: number;
  /** How many passes over the data (0 is allowed). Give epochs or iterations, not both. */
  epochs?: number;
  /** Mini-batch size, default m; the last batch of an epoch holds the remainder. */
  batchSize?: number;
  /** Visit epoch e in the order RandomState(shuffleSeed + e).permutation(m); default batchSize < m. */
  shuffle?: boolean;
  /** Default 0. */
  shuffleSeed?: number;
  /** Default "gd". */
  optimizer?: OptimizerOption;
  /** The L2 strength λ, default 0. */
  l2?: number;
  /** Inverted dropout on the hidden layers, default 1 (none). */
  keepProb?: number;
  /** Seed of the one dropout stream of the run, default 1. */
  dropoutSeed?: number;
  /** Evaluated after each epoch without dropout. */
  validationData?: { X: Matrix; Y: Matrix };
  /** Called after each epoch (from 0), between chunks. */
  onEpoch?: (epoch: number, log: EpochLog) => void;
  /** Stop when the monitored cost (validation, else training) has not improved for patience epochs. */
  earlyStopping?: { patience: number; minDelta?: number; restoreBest?: boolean };
  /** Record the cost every this many iterations (iteration 0, costEvery, ...), default 100. */
  costEvery?: number;
  /** Called with each recorded cost, between iterations. */
  onCost?: (iteration: number, cost: number) => void;
  /**
   * Use the Gram path for layer 1 (Z1 updated through X^T X, W1 materialised when read).
   * Default "auto": on for float64 models with fewer examples than input features.
   */
  gram?: boolean | "auto";
  /**
   * Epochs runs: write a checkpoint (the model file plus the run state) atomically to `path` after
   * every `everyEpochs` (default 1) completed epochs and at the end.
   */
  checkpoint?: { path: string; everyEpochs?: number };
  /**
   * Epochs runs: continue the run of the checkpoint this model was loaded from (Model.load), with
   * the same options and data; only the remaining epochs run, ending bit-identical to an
   * uninterrupted run.
   */
  resume?: boolean;
}

export interface FitProgress {
  /** Iterations (optimizer steps, for an epochs run) completed so far in this run. */
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
   * Of `seconds`, in an epochs run: gathering each shuffled batch's columns, and the optimizer's
   * updates (0 for a full-batch iterations run). The rest of `seconds` outside BLAS is elementwise
   * work: bias, activations, dropout, softmax and cost.
   */
  gatherSeconds: number;
  optimizerSeconds: number;
  /**
   * The most threads that shared one of the run's products, split into blocks of blasnet's own
   * (0 when the run left all threading to OpenBLAS).
   */
  splitThreads: number;
  /** Per epoch (per iteration for an iterations run through the mini-batch engine); [] for a run of the
   * full-batch engine with iterations. */
  history: EpochLog[];
  /** Whether earlyStopping ended the run. */
  stoppedEarly: boolean;
  /** The epoch with the best monitored cost under earlyStopping, else the last epoch (-1: none). */
  bestEpoch: number;
}
