// The public API of blasnet, and nothing else.
export { Matrix } from "./matrix.js";
export { RandomState } from "./random.js";
export { type MiniBatch, randomMiniBatches } from "./minibatch.js";
export { type InitScheme, initializeParameters, initializeParametersDeep } from "./params.js";
export {
  type LinearCache,
  type LinearActivationCache,
  type ForwardOptions,
  linearForward,
  linearActivationForward,
  lModelForward,
  relu,
  sigmoid,
} from "./forward.js";
export {
  LEAKY_RELU_ALPHA,
  leakyRelu,
  leakyReluBackward,
  softmax,
  tanh,
  tanhBackward,
} from "./activations.js";
export { type CostOptions, computeCost } from "./cost.js";
export {
  type LayerGradients,
  type BackwardOptions,
  linearBackward,
  linearActivationBackward,
  lModelBackward,
  reluBackward,
  sigmoidBackward,
  updateParameters,
} from "./backward.js";
export {
  initializeAdam,
  initializeVelocity,
  updateParametersWithAdam,
  updateParametersWithMomentum,
} from "./update.js";
export { type GradientCheckOptions, type GradientCheckResult, gradientCheck } from "./gradcheck.js";
export { oneHot } from "./labels.js";
export {
  AbortError,
  Model,
  type DType,
  type FitAsyncOptions,
  type FitOptions,
  type FitProgress,
  type FitResult,
  type ModelOptions,
  type EpochLog,
  type OptimizerOption,
} from "./model.js";
export { ModelFormatError } from "./model-format-error.js";
export type { LoadOptions } from "./model-file.js";
export { type FeatureScaling, type ModelMetadata, fitScaling, scaleFeatures } from "./model-metadata.js";
export type { NpzOptions } from "./npz.js";
export { type SeedModelOptions, accuracy, lLayerModel, predict, twoLayerModel } from "./models.js";
export { type CatDataset, type CatFile, defaultDataDir, loadCatDataset, loadCatFile } from "./data.js";
export { blasInfo, getNumThreads, setNumThreads } from "./threads.js";
export { type TrainingRuns, setMaxConcurrentRuns, trainingRuns } from "./runs.js";
export { memoryInfo, setMemoryLimit } from "./memory.js";
export { type CostCurves, type CostPlotOptions, costCurveSvg } from "./plot.js";
export type { Activation, Hidden, MatrixDict, Output } from "./validate.js";
