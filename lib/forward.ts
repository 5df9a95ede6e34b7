// The forward module: linear part, activations, [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID, with caches,
// and the trainer's options (hidden activation, output head, dropout).
import { checkAllocation } from "./budget.js";
import { Matrix, describe } from "./matrix.js";
import { ActivationCode, native, HIDDEN, OUTPUTS } from "./native.js";
import { RandomState } from "./random.js";
import {
  assertActivation,
  assertKeepProb,
  assertOptions,
  assertAligned,
  assertBias,
  assertMatrix,
  assertParameters,
} from "./validate.js";
import type { Activation, Hidden, MatrixDict, Output } from "./types.js";
import { assertOneOf } from "./errors.js";

/** What the linear step keeps for the backward pass: its inputs. */
export interface LinearCache {
  A: Matrix;
  W: Matrix;
  b: Matrix;
}

/**
 * What one [LINEAR->ACTIVATION] step keeps: the linear cache and the pre-activation Z, and, for a
 * hidden layer under dropout, its mask D (0/1, shaped like Z).
 */
export interface LinearActivationCache {
  linear: LinearCache;
  Z: Matrix;
  D?: Matrix;
}

/** The checks both linear steps share; `aName` is how the step names its input ("A" or "APrev"). */
function checkLinear(fn: string, A: unknown, W: unknown, b: unknown, aName = "A"): asserts A is Matrix {
  assertMatrix(fn, aName, A);
  assertMatrix(fn, "W", W);
  assertMatrix(fn, "b", b);
  assertAligned(fn, "W", W, aName, A);
  assertBias(fn, W, b);
}

/**
 * Z = W·A + b.
 * @param A activations of the previous layer, [n_(l-1), m]
 * @param W weights, [n_l, n_(l-1)]
 * @param b biases, [n_l, 1]
 * @returns Z, [n_l, m], and the cache `{A, W, b}`
 * @throws {TypeError} when an argument is not a Matrix
 * @throws {RangeError} when the shapes do not align
 * @example const { Z } = linearForward(A, W, b);
 */
export function linearForward(A: Matrix, W: Matrix, b: Matrix): { Z: Matrix; cache: LinearCache } {
  const fn = "linearForward";
  checkLinear(fn, A, W, b);
  checkAllocation(fn, W.rows * A.cols * 8, `Z, [${W.rows}, ${A.cols}]`);
  const Z = new Matrix(W.rows, A.cols);
  native.linearForward(Z.data, W.data, A.data, b.data, W.rows, W.cols, A.cols);
  return { Z, cache: { A, W, b } };
}

/** A = g(Z) for one activation code: the elementwise forward every activation shares. */
export function activate(fn: string, Z: Matrix, code: ActivationCode): { A: Matrix; cache: Matrix } {
  assertMatrix(fn, "Z", Z);
  checkAllocation(fn, Z.data.length * 8, `A, [${Z.rows}, ${Z.cols}]`);
  const A = new Matrix(Z.rows, Z.cols);
  native.activationForward(A.data, Z.data, Z.data.length, code);
  return { A, cache: Z };
}

/**
 * A = 1 / (1 + exp(-Z)), elementwise.
 * @returns A, the same shape as Z, and the cache Z
 * @throws {TypeError} when Z is not a Matrix
 * @example sigmoid(Matrix.from([[0]])).A.get(0, 0) // 0.5
 */
export function sigmoid(Z: Matrix): { A: Matrix; cache: Matrix } {
  return activate("sigmoid", Z, ActivationCode.sigmoid);
}

/**
 * A = max(0, Z), elementwise.
 * @returns A, the same shape as Z, and the cache Z
 * @throws {TypeError} when Z is not a Matrix
 * @example relu(Matrix.from([[-1, 2]])).A.toArray() // [[0, 2]]
 */
export function relu(Z: Matrix): { A: Matrix; cache: Matrix } {
  return activate("relu", Z, ActivationCode.relu);
}

/**
 * One [LINEAR->ACTIVATION] step: A = g(W·APrev + b).
 * @param APrev [n_(l-1), m]
 * @param W [n_l, n_(l-1)]
 * @param b [n_l, 1]
 * @param activation "relu" or "sigmoid"
 * @returns A, [n_l, m], and the cache `{linear: {A: APrev, W, b}, Z}`
 * @throws {TypeError} for a non-Matrix argument or a non-string activation
 * @throws {RangeError} for misaligned shapes or an unknown activation name
 * @example const { A } = linearActivationForward(X, W1, b1, "relu");
 */
export function linearActivationForward(
  APrev: Matrix,
  W: Matrix,
  b: Matrix,
  activation: Activation,
): { A: Matrix; cache: LinearActivationCache } {
  const fn = "linearActivationForward";
  checkLinear(fn, APrev, W, b, "APrev");
  assertActivation(fn, activation);
  return linearActivationStep(fn, APrev, W, b, ActivationCode[activation]);
}

/**
 * linearActivationForward after its checks, for any code of the activation table (the trainer's
 * tanh, leakyRelu and column-wise softmax included).
 */
function linearActivationStep(
  fn: string,
  APrev: Matrix,
  W: Matrix,
  b: Matrix,
  code: ActivationCode,
): { A: Matrix; cache: LinearActivationCache } {
  checkAllocation(fn, 2 * W.rows * APrev.cols * 8, `Z and A, [${W.rows}, ${APrev.cols}] each`);
  const Z = new Matrix(W.rows, APrev.cols);
  const A = new Matrix(W.rows, APrev.cols);
  native.linearActivationForward(
    A.data,
    Z.data,
    W.data,
    APrev.data,
    b.data,
    W.rows,
    W.cols,
    APrev.cols,
    code,
  );
  return { A, cache: { linear: { A: APrev, W, b }, Z } };
}

/** The trainer's options of the forward pass. */
export interface ForwardOptions {
  /** The hidden layers' activation (default "relu"). */
  hidden?: Hidden;
  /** The output head (default "sigmoid"); softmax needs a last layer of at least 2 units. */
  output?: Output;
  /** Inverted dropout on the hidden layers: the probability of keeping a unit, in (0, 1] (default 1). */
  keepProb?: number;
  /** Where the dropout masks are drawn from (default `new RandomState(1)`); it advances. */
  rng?: RandomState;
}

/** The forward options, checked, with their defaults filled in. */
export function forwardOptions(
  fn: string,
  options: unknown,
): Required<Omit<ForwardOptions, "rng">> & { rng?: RandomState } {
  assertOptions(fn, options);
  const { hidden = "relu", output = "sigmoid", keepProb = 1, rng } = (options ?? {}) as ForwardOptions;
  assertOneOf(fn, "hidden", hidden, HIDDEN);
  assertOneOf(fn, "output", output, OUTPUTS);
  assertKeepProb(fn, keepProb);
  if (rng !== undefined && !(rng instanceof RandomState)) {
    throw new TypeError(`${fn}: expected rng to be a RandomState, received ${describe(rng)}`);
  }
  return { hidden, output, keepProb, rng };
}

/**
 * The whole forward pass: [LINEAR->RELU] x (L-1), then LINEAR->SIGMOID; with options, the
 * trainer's: [LINEAR->hidden->dropout] x (L-1), then LINEAR->output. Dropout (keepProb < 1) draws,
 * for l = 1..L-1 in order, `D = rng.rand(n_l, m) < keepProb`, then `A = A * D; A = A / keepProb`,
 * and keeps D in caches[l - 1].D.
 * @param X input, [n_0, m]
 * @param parameters `{W1, b1, ..., WL, bL}`
 * @param options `{ hidden = "relu", output = "sigmoid", keepProb = 1, rng = new RandomState(1) }`
 * @returns AL, [n_L, m], and the L caches, in layer order
 * @throws {TypeError} when X or a parameter is not a Matrix, a key is missing, or an option has
 * the wrong type
 * @throws {RangeError} for extra keys, shapes that do not chain, an unknown hidden or output name,
 * a keepProb outside (0, 1], or softmax over a single unit
 * @example const { AL, caches } = lModelForward(X, parameters, { hidden: "tanh", keepProb: 0.86 });
 */
export function lModelForward(
  X: Matrix,
  parameters: MatrixDict,
  options?: ForwardOptions,
): { AL: Matrix; caches: LinearActivationCache[] } {
  const fn = "lModelForward";
  assertMatrix(fn, "X", X);
  const L = assertParameters(fn, parameters, X);
  const { hidden, output, keepProb, rng } = forwardOptions(fn, options);
  const nL = parameters[`W${L}`]!.rows;
  if (output === "softmax" && nL < 2) {
    throw new RangeError(
      `${fn}: expected a softmax output of at least 2 units, received W${L} with ${nL} row`,
    );
  }
  const dropout = keepProb < 1;
  let rows = 0;
  for (let l = 1; l <= L; l++) rows += parameters[`W${l}`]!.rows;
  const perLayer = dropout ? 3 : 2;
  checkAllocation(
    fn,
    perLayer * rows * X.cols * 8,
    `every layer's Z and A (the caches)${dropout ? " and dropout masks" : ""} for ${X.cols} examples`,
  );
  const masks = dropout ? (rng ?? new RandomState(1)) : undefined;
  const caches: LinearActivationCache[] = [];
  let A = X;
  for (let l = 1; l <= L; l++) {
    const code = ActivationCode[l < L ? hidden : output];
    const step = linearActivationStep(fn, A, parameters[`W${l}`]!, parameters[`b${l}`]!, code);
    if (masks !== undefined && l < L) {
      const D = masks.dropoutMask(step.A.rows, step.A.cols, keepProb);
      native.dropoutApply(step.A.data, D.data, keepProb, D.data.length);
      step.cache.D = D;
    }
    caches.push(step.cache);
    A = step.A;
  }
  return { AL: A, caches };
}
