// The seed's application functions: two_layer_model, L_layer_model, predict, as thin wrappers on Model.
import { Matrix } from "./matrix.js";
import { Model, releaseModelMemory } from "./model.js";
import { initializeParameters } from "./params.js";
import { assertLabels, assertMatrix, assertOneHot, assertOptions, assertParameters } from "./validate.js";
import type { InitScheme, MatrixDict } from "./types.js";

export interface SeedModelOptions {
  /** default 0.0075 */
  learningRate?: number;
  /** default 3000 */
  numIterations?: number;
  /** print "Cost after iteration i: c" every 100 iterations, like the notebook */
  printCost?: boolean;
  /** numpy seed of the initial weights, default 1 */
  seed?: number;
  /** use the Gram path for layer 1 ("auto", the default, when m < n_0) */
  gram?: boolean | "auto";
  /** called with every recorded cost */
  onCost?: (iteration: number, cost: number) => void;
}

/** Trains a model that never leaves these functions, and releases its memory reservation after. */
function train(model: Model, X: Matrix, Y: Matrix, options: SeedModelOptions) {
  try {
    return trainOnce(model, X, Y, options);
  } finally {
    model[releaseModelMemory]();
  }
}

function trainOnce(model: Model, X: Matrix, Y: Matrix, options: SeedModelOptions) {
  const printCost = options.printCost ?? false;
  const { onCost } = options;
  const { costs } = model.fit(X, Y, {
    learningRate: options.learningRate ?? 0.0075,
    iterations: options.numIterations ?? 3000,
    gram: options.gram ?? "auto",
    // Only when someone listens: a callback makes the Gram path fold W1 before each call.
    onCost:
      printCost || onCost !== undefined
        ? (i, cost) => {
            if (printCost) console.log(`Cost after iteration ${i}: ${cost}`);
            onCost?.(i, cost);
          }
        : undefined,
  });
  return { parameters: model.parameters, costs };
}

/**
 * LINEAR->RELU->LINEAR->SIGMOID, initialised with initializeParameters (randn * 0.01).
 * @param X [n_x, m]
 * @param Y [1, m]
 * @param layersDims `[n_x, n_h, n_y]`
 * @returns the trained parameters and the costs at iterations 0, 100, 200, ...
 * @throws {TypeError} / {RangeError} for malformed input
 * @example twoLayerModel(trainX, trainY, [12288, 7, 1], { numIterations: 2500 })
 */
export function twoLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: [number, number, number],
  options: SeedModelOptions = {},
): { parameters: MatrixDict; costs: number[] } {
  const fn = "twoLayerModel";
  assertOptions(fn, options);
  if (!Array.isArray(layersDims) || layersDims.length !== 3) {
    const kind = Array.isArray(layersDims) ? RangeError : TypeError;
    throw new kind(`${fn}: expected layersDims to be [nx, nh, ny], received ${JSON.stringify(layersDims)}`);
  }
  const [nx, nh, ny] = layersDims;
  const parameters = initializeParameters(nx, nh, ny, { seed: options.seed ?? 1 });
  return train(Model.fromParameters(parameters), X, Y, options);
}

/**
 * [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID, initialised with initializeParametersDeep.
 * @param X [n_0, m]
 * @param Y [1, m]
 * @param layersDims `[n_0, ..., n_L]` with n_L = 1
 * @param options as twoLayerModel, plus `init` (default "fan-in", the application notebook's)
 * @returns the trained parameters and the costs at iterations 0, 100, 200, ...
 * @example lLayerModel(trainX, trainY, [12288, 20, 7, 5, 1], { numIterations: 2500, printCost: true })
 */
export function lLayerModel(
  X: Matrix,
  Y: Matrix,
  layersDims: number[],
  options: SeedModelOptions & { init?: InitScheme } = {},
): { parameters: MatrixDict; costs: number[] } {
  assertOptions("lLayerModel", options);
  const model = new Model(layersDims, { seed: options.seed ?? 1, init: options.init ?? "fan-in" });
  return train(model, X, Y, options);
}

/**
 * 0/1 predictions of an L-layer network: 1 where AL > 0.5.
 * @param X [n_0, m]
 * @param parameters `{W1, b1, ..., WL, bL}`
 * @returns [1, m] of 0 and 1
 * @example accuracy(predict(testX, parameters), testY)
 */
export function predict(X: Matrix, parameters: MatrixDict): Matrix {
  assertMatrix("predict", "X", X);
  const L = assertParameters("predict", parameters, X);
  const WL = parameters[`W${L}`]!;
  if (WL.rows !== 1) {
    throw new RangeError(
      `predict: expected W${L} to have 1 row (binary output), received [${WL.rows}, ${WL.cols}]`,
    );
  }
  const model = Model.fromParameters(parameters);
  try {
    return model.predict(X);
  } finally {
    model[releaseModelMemory]();
  }
}

/**
 * The share of predictions equal to their labels. Labels are a [1, m] row of 0/1 (sigmoid), or a
 * one-hot [C, m] (softmax), whose class indices the predictions are compared with.
 * @param predictions [1, m]: 0/1, or class indices for one-hot labels
 * @param Y [1, m] of 0/1, or one-hot [C, m]
 * @returns a number in [0, 1]
 * @throws {TypeError} when an argument is not a Matrix
 * @throws {RangeError} when the shapes disagree, a [1, m] label is outside [0, 1], or a [C, m] Y is not one-hot
 * @example accuracy(Matrix.from([[1, 0]]), Matrix.from([[1, 1]])) // 0.5
 * @example accuracy(Matrix.from([[2, 0]]), oneHot([2, 1], 3)) // 0.5
 */
export function accuracy(predictions: Matrix, Y: Matrix): number {
  const fn = "accuracy";
  assertMatrix(fn, "predictions", predictions);
  if (Y instanceof Matrix && Y.rows > 1 && Y.cols === predictions.cols && predictions.rows === 1) {
    assertMatrix(fn, "Y", Y);
    assertOneHot(fn, Y);
    let equal = 0;
    for (let j = 0; j < Y.cols; j++) {
      const c = predictions.data[j] as number;
      if (Number.isInteger(c) && c >= 0 && c < Y.rows && Y.data[c * Y.cols + j] === 1) equal++;
    }
    return equal / Y.cols;
  }
  assertLabels(fn, Y, predictions.cols);
  if (predictions.rows !== 1) {
    throw new RangeError(
      `${fn}: expected predictions to be [1, m], received [${predictions.rows}, ${predictions.cols}]`,
    );
  }
  let equal = 0;
  for (let i = 0; i < Y.cols; i++) if (predictions.data[i] === Y.data[i]) equal++;
  return equal / Y.cols;
}
