// The cross-entropy cost of the seed.
import type { Matrix } from "./matrix.js";
import { native } from "./native.js";
import { assertMatrix, assertSameShape, assertWithin } from "./validate.js";

/**
 * -(1/m) Σ (Y log AL + (1 - Y) log(1 - AL)).
 * @param AL predicted probabilities, [1, m], each strictly inside (0, 1)
 * @param Y labels, [1, m], each in [0, 1]
 * @returns the cost, a number
 * @throws {TypeError} when AL or Y is not a Matrix
 * @throws {RangeError} when the shapes differ, AL is not a single row, or a value is out of range
 * @example computeCost(Matrix.from([[0.8, 0.9, 0.4]]), Matrix.from([[1, 1, 1]])) // 0.41493159961539694
 */
export function computeCost(AL: Matrix, Y: Matrix): number {
  const fn = "computeCost";
  assertMatrix(fn, "AL", AL);
  assertMatrix(fn, "Y", Y);
  if (AL.rows !== 1) {
    throw new RangeError(`computeCost: expected AL to be [1, m], received [${AL.rows}, ${AL.cols}]`);
  }
  assertSameShape(fn, "AL", AL, "Y", Y);
  assertWithin(fn, "AL", AL, 0, 1, true);
  assertWithin(fn, "Y", Y, 0, 1);
  return native.crossEntropyCost(AL.data, Y.data, AL.cols);
}
