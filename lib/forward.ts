// The forward module: linear part, activations, [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID, with caches.
import { checkAllocation } from "./budget.js";
import { Matrix } from "./matrix.js";
import { ActivationCode, native } from "./native.js";
import {
  type Activation,
  type MatrixDict,
  assertActivation,
  assertAligned,
  assertBias,
  assertMatrix,
  assertParameters,
} from "./validate.js";

/** What the linear step keeps for the backward pass: its inputs. */
export interface LinearCache {
  A: Matrix;
  W: Matrix;
  b: Matrix;
}

/** What one [LINEAR->ACTIVATION] step keeps: the linear cache and the pre-activation Z. */
export interface LinearActivationCache {
  linear: LinearCache;
  Z: Matrix;
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

function activate(fn: string, Z: Matrix, code: ActivationCode): { A: Matrix; cache: Matrix } {
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
    ActivationCode[activation],
  );
  return { A, cache: { linear: { A: APrev, W, b }, Z } };
}

/**
 * The whole forward pass: [LINEAR->RELU] x (L-1), then LINEAR->SIGMOID.
 * @param X input, [n_0, m]
 * @param parameters `{W1, b1, ..., WL, bL}`
 * @returns AL, [n_L, m], and the L caches, in layer order
 * @throws {TypeError} when X or a parameter is not a Matrix, or a key is missing
 * @throws {RangeError} for extra keys, or shapes that do not chain
 * @example const { AL, caches } = lModelForward(X, parameters);
 */
export function lModelForward(
  X: Matrix,
  parameters: MatrixDict,
): { AL: Matrix; caches: LinearActivationCache[] } {
  const fn = "lModelForward";
  assertMatrix(fn, "X", X);
  const L = assertParameters(fn, parameters, X);
  let rows = 0;
  for (let l = 1; l <= L; l++) rows += parameters[`W${l}`]!.rows;
  checkAllocation(fn, 2 * rows * X.cols * 8, `every layer's Z and A (the caches) for ${X.cols} examples`);
  const caches: LinearActivationCache[] = [];
  let A = X;
  for (let l = 1; l <= L; l++) {
    const step = linearActivationForward(
      A,
      parameters[`W${l}`]!,
      parameters[`b${l}`]!,
      l < L ? "relu" : "sigmoid",
    );
    caches.push(step.cache);
    A = step.A;
  }
  return { AL: A, caches };
}
