// The cross-entropy cost of the seed, and the trainer's: a softmax head's categorical
// cross-entropy and the L2 term (1/m * l2/2) * sum_l sum(W_l^2).
import type { Matrix } from "./matrix.js";
import { native, OUTPUTS } from "./native.js";
import {
  assertMatrix,
  assertNonNegativeNumber,
  assertOneHot,
  assertOptions,
  assertParameters,
  assertSameShape,
  assertWithin,
} from "./validate.js";
import type { MatrixDict, Output } from "./types.js";
import { assertOneOf } from "./errors.js";

/** The trainer's options of the cost. */
export interface CostOptions {
  /** "sigmoid" (binary cross-entropy, AL [1, m]) or "softmax" (categorical, AL [C, m]); default "sigmoid". */
  output?: Output;
  /** The parameters whose weights the L2 term reads; required when l2 > 0. */
  parameters?: MatrixDict;
  /** The L2 strength λ, a finite number >= 0 (default 0). */
  l2?: number;
}

/**
 * -(1/m) Σ (Y log AL + (1 - Y) log(1 - AL)); with options, the softmax head's -(1/m) Σ Y log AL
 * and the L2 term `(1/m * l2/2) * (Σ W1² + ... + Σ WL²)` added.
 * @param AL predicted probabilities: [1, m], each strictly inside (0, 1), for sigmoid; [C, m] in
 * [0, 1] for softmax
 * @param Y labels: [1, m] in [0, 1] for sigmoid; one-hot [C, m] for softmax
 * @param options `{ output = "sigmoid", parameters, l2 = 0 }`
 * @returns the cost, a number
 * @throws {TypeError} when AL, Y or a parameter is not a Matrix, or l2 > 0 comes without parameters
 * @throws {RangeError} when the shapes differ, AL is not a single row (sigmoid), a value is out of
 * range, Y is not one-hot (softmax), l2 is negative or NaN, or the output name is unknown
 * @example computeCost(Matrix.from([[0.8, 0.9, 0.4]]), Matrix.from([[1, 1, 1]])) // 0.41493159961539694
 * @example computeCost(AL, Y, { output: "softmax", parameters, l2: 0.1 })
 */
export function computeCost(AL: Matrix, Y: Matrix, options?: CostOptions): number {
  const fn = "computeCost";
  assertMatrix(fn, "AL", AL);
  assertMatrix(fn, "Y", Y);
  assertOptions(fn, options);
  const { output = "sigmoid", parameters, l2 = 0 } = options ?? {};
  assertOneOf(fn, "output", output, OUTPUTS);
  assertNonNegativeNumber(fn, "l2", l2);
  let L = 0;
  if (parameters !== undefined || l2 > 0) {
    if (parameters === undefined) {
      throw new TypeError(
        `${fn}: expected parameters (the W_l of the L2 term) with l2 = ${l2}, received undefined`,
      );
    }
    L = assertParameters(fn, parameters);
  }
  let cost: number;
  if (output === "sigmoid") {
    if (AL.rows !== 1) {
      throw new RangeError(`computeCost: expected AL to be [1, m], received [${AL.rows}, ${AL.cols}]`);
    }
    assertSameShape(fn, "AL", AL, "Y", Y);
    assertWithin(fn, "AL", AL, 0, 1, true);
    assertWithin(fn, "Y", Y, 0, 1);
    cost = native.crossEntropyCost(AL.data, Y.data, AL.cols);
  } else {
    if (AL.rows < 2) {
      throw new RangeError(
        `${fn}: expected a softmax AL of at least 2 rows (classes), received [${AL.rows}, ${AL.cols}]`,
      );
    }
    assertSameShape(fn, "AL", AL, "Y", Y);
    assertWithin(fn, "AL", AL, 0, 1);
    assertOneHot(fn, Y);
    cost = native.softmaxCrossEntropyCost(AL.data, Y.data, AL.rows, AL.cols);
  }
  if (l2 === 0) return cost;
  return cost + l2Term(parameters!, L, l2, AL.cols);
}

/** `(1/m * l2/2) * (Σ W1² + ... + Σ WL²)`, summed left to right as the notebook writes it. */
export function l2Term(parameters: MatrixDict, L: number, l2: number, m: number): number {
  let squares = 0;
  for (let l = 1; l <= L; l++) {
    const W = parameters[`W${l}`]!;
    squares += native.sumSquares(W.data, W.data.length);
  }
  return (((1 / m) * l2) / 2) * squares;
}
