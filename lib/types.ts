// The public types of blasnet in one place: every type a user imports beside the functions. The
// unions are defined here; each function's options and results interfaces stay beside that
// function and are re-exported from here, so lib/index.ts takes every type from this file.
import type { Matrix } from "./matrix.js";

/** A dictionary of matrices keyed by the seed's names: `W1`, `b1`, ... or `dW1`, `db1`, `dA0`, ... */
export type MatrixDict = Record<string, Matrix>;

/** The activations the seed uses. */
export type Activation = "relu" | "sigmoid";

/** The hidden-layer activations of the trainer. */
export type Hidden = "relu" | "tanh" | "leakyRelu";

/** The output heads: sigmoid (1 unit, binary cross-entropy) or softmax (C >= 2 units, one-hot Y). */
export type Output = "sigmoid" | "softmax";

/** The element precision of a model's buffers. */
export type DType = "float64" | "float32";

/**
 * How W_l is scaled from standard normals: "small" is randn * 0.01 (the step-by-step notebook),
 * "fan-in" is randn / sqrt(n_(l-1)) (the application notebook), "he" is randn * sqrt(2 / n_(l-1)).
 */
export type InitScheme = "small" | "fan-in" | "he";

export type {
  EpochLog,
  FitAsyncOptions,
  FitOptions,
  FitProgress,
  FitResult,
  ModelOptions,
  OptimizerOption,
} from "./fit-options.js";
export type { BackwardOptions, LayerGradients } from "./backward.js";
export type { CostOptions } from "./cost.js";
export type { ForwardOptions, LinearActivationCache, LinearCache } from "./forward.js";
export type { GradientCheckOptions, GradientCheckResult } from "./gradcheck.js";
export type { MiniBatch } from "./minibatch.js";
export type { LoadOptions } from "./model-file.js";
export type { FeatureScaling, ModelMetadata } from "./model-metadata.js";
export type { NpzOptions } from "./npz.js";
export type { SeedModelOptions } from "./models.js";
export type { CatDataset, CatFile } from "./data.js";
export type { TrainingRuns } from "./runs.js";
export type { CostCurves, CostPlotOptions } from "./plot.js";
