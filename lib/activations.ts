// The trainer's activations: tanh, leaky relu and the column-wise softmax, each with its backward
// beside its forward (relu and sigmoid, the seed's, stay in forward.ts and backward.ts).
import { activationBackward } from "./backward.js";
import { activate } from "./forward.js";
import { checkAllocation } from "./budget.js";
import { Matrix } from "./matrix.js";
import { ActivationCode, native } from "./native.js";
import { assertMatrix } from "./validate.js";

/** The slope of leaky relu for Z <= 0 (native/kernels.h kLeakyReluAlpha). */
export const LEAKY_RELU_ALPHA = 0.01;

/**
 * A = tanh(Z), elementwise (the C library's tanh, as numpy's).
 * @param Z [n, m]
 * @returns A, [n, m], and the cache Z
 * @throws {TypeError} when Z is not a Matrix
 * @example tanh(Matrix.from([[0, 1]])).A // [[0, 0.76159416]]
 */
export function tanh(Z: Matrix): { A: Matrix; cache: Matrix } {
  return activate("tanh", Z, ActivationCode.tanh);
}

/**
 * A = Z where Z > 0, else 0.01 Z, elementwise.
 * @param Z [n, m]
 * @returns A, [n, m], and the cache Z
 * @throws {TypeError} when Z is not a Matrix
 * @example leakyRelu(Matrix.from([[-1, 2]])).A // [[-0.01, 2]]
 */
export function leakyRelu(Z: Matrix): { A: Matrix; cache: Matrix } {
  return activate("leakyRelu", Z, ActivationCode.leakyRelu);
}

/**
 * Column-wise softmax: A[:, j] = exp(Z[:, j] - max(Z[:, j])) / sum, finite for any finite Z.
 * @param Z scores, [C, m]
 * @returns A, [C, m] (each column sums to 1), and the cache Z
 * @throws {TypeError} when Z is not a Matrix
 * @throws {RangeError} when A would pass the memory limit
 * @example softmax(Matrix.from([[1], [1]])).A // [[0.5], [0.5]]
 */
export function softmax(Z: Matrix): { A: Matrix; cache: Matrix } {
  const fn = "softmax";
  assertMatrix(fn, "Z", Z);
  checkAllocation(fn, Z.data.length * 8, `A, [${Z.rows}, ${Z.cols}]`);
  const A = new Matrix(Z.rows, Z.cols);
  native.softmaxForward(A.data, Z.data, Z.rows, Z.cols);
  return { A, cache: Z };
}

/**
 * dZ = dA · (1 - tanh(Z)^2).
 * @param dA [n, m]
 * @param Z the cached pre-activation, [n, m]
 * @returns dZ, [n, m]
 * @throws {TypeError} when dA or Z is not a Matrix
 * @throws {RangeError} when the shapes differ
 * @example tanhBackward(dA, cache.Z)
 */
export function tanhBackward(dA: Matrix, Z: Matrix): Matrix {
  return activationBackward("tanhBackward", dA, Z, ActivationCode.tanh);
}

/**
 * dZ = dA where Z > 0, else 0.01 dA.
 * @param dA [n, m]
 * @param Z the cached pre-activation, [n, m]
 * @returns dZ, [n, m]
 * @throws {TypeError} when dA or Z is not a Matrix
 * @throws {RangeError} when the shapes differ
 * @example leakyReluBackward(dA, cache.Z)
 */
export function leakyReluBackward(dA: Matrix, Z: Matrix): Matrix {
  return activationBackward("leakyReluBackward", dA, Z, ActivationCode.leakyRelu);
}
