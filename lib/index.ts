// The public API of blasnet, and nothing else: every type from types.ts, the functions and classes
// from their modules.
export type {
  Activation,
  BackwardOptions,
  CatDataset,
  CatFile,
  CostCurves,
  CostOptions,
  CostPlotOptions,
  DType,
  EpochLog,
  FeatureScaling,
  FitAsyncOptions,
  FitOptions,
  FitProgress,
  FitResult,
  ForwardOptions,
  GradientCheckOptions,
  GradientCheckResult,
  Hidden,
  InitScheme,
  LayerGradients,
  LinearActivationCache,
  LinearCache,
  LoadOptions,
  MatrixDict,
  MiniBatch,
  ModelMetadata,
  ModelOptions,
  NpzOptions,
  OptimizerOption,
  Output,
  SeedModelOptions,
  TrainingRuns,
} from "./types.js";
export { AbortError, ModelFormatError } from "./errors.js";
export { Matrix } from "./matrix.js";
export { RandomState } from "./random.js";
export { randomMiniBatches } from "./minibatch.js";
export { initializeParameters, initializeParametersDeep } from "./params.js";
export { linearForward, linearActivationForward, lModelForward, relu, sigmoid } from "./forward.js";
export {
  LEAKY_RELU_ALPHA,
  leakyRelu,
  leakyReluBackward,
  softmax,
  tanh,
  tanhBackward,
} from "./activations.js";
export { computeCost } from "./cost.js";
export {
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
export { gradientCheck } from "./gradcheck.js";
export { oneHot } from "./labels.js";
export { Model } from "./model.js";
export { fitScaling, scaleFeatures } from "./model-metadata.js";
export { accuracy, lLayerModel, predict, twoLayerModel } from "./models.js";
export { defaultDataDir, loadCatDataset, loadCatFile } from "./data.js";
export { blasInfo, getNumThreads, setNumThreads } from "./threads.js";
export { setMaxConcurrentRuns, trainingRuns } from "./runs.js";
export { memoryInfo, setMemoryLimit } from "./memory.js";
export { costCurveSvg } from "./plot.js";
