// Mini-batches as the "optimization methods" notebook makes them: one seeded legacy permutation
// of the examples, then consecutive slices of miniBatchSize columns (the last holds the remainder).
import { checkAllocation } from "./budget.js";
import { Matrix } from "./matrix.js";
import { native } from "./native.js";
import { RandomState } from "./random.js";
import { assertInteger, assertMatrix } from "./validate.js";
import { shapeOf } from "./errors.js";

/** One mini-batch: the examples' columns of X and Y, in the shuffled order. */
export interface MiniBatch {
  X: Matrix;
  Y: Matrix;
}

/**
 * Shuffles the columns of X and Y with `new RandomState(seed).permutation(m)` and cuts them into
 * batches of miniBatchSize columns; the last batch holds the remaining `m % miniBatchSize`.
 * @param X inputs, [n_x, m]
 * @param Y labels, [n_y, m] (any number of rows: a [1, m] row or a one-hot [C, m])
 * @param miniBatchSize columns per batch, an integer >= 1 (default 64)
 * @param seed the permutation's seed, an integer in [0, 2^32 - 1] (default 0)
 * @returns the batches in order, each `{ X: [n_x, b], Y: [n_y, b] }`
 * @throws {TypeError} when X or Y is not a Matrix, or miniBatchSize or seed is not a number
 * @throws {RangeError} when X and Y hold different numbers of examples, miniBatchSize is not an
 * integer >= 1, the seed is out of range, or the batches would pass the memory limit
 * @example const batches = randomMiniBatches(X, Y, 64, 0); // like random_mini_batches(X, Y, 64, 0)
 */
export function randomMiniBatches(X: Matrix, Y: Matrix, miniBatchSize = 64, seed = 0): MiniBatch[] {
  const fn = "randomMiniBatches";
  assertMatrix(fn, "X", X);
  assertMatrix(fn, "Y", Y);
  if (X.cols !== Y.cols) {
    throw new RangeError(
      `${fn}: X is ${shapeOf(X)} but Y is ${shapeOf(Y)}; they must hold the same number of examples (columns)`,
    );
  }
  assertInteger(fn, "miniBatchSize", miniBatchSize, 1);
  const m = X.cols;
  checkAllocation(fn, (X.rows + Y.rows) * m * 8 + m * 4, `the batches of ${m} examples`);
  let order: Int32Array;
  try {
    order = new RandomState(seed).permutation(m);
  } catch (error) {
    // RandomState names itself; the caller passed `seed` to this function.
    if (error instanceof Error) error.message = error.message.replace(/^RandomState: /, `${fn}: `);
    throw error;
  }
  const batches: MiniBatch[] = [];
  for (let start = 0; start < m; start += miniBatchSize) {
    const count = Math.min(miniBatchSize, m - start);
    const idx = order.subarray(start, start + count);
    const bX = new Matrix(X.rows, count);
    const bY = new Matrix(Y.rows, count);
    native.gatherColumns(bX.data, X.data, idx, X.rows, m, count);
    native.gatherColumns(bY.data, Y.data, idx, Y.rows, m, count);
    batches.push({ X: bX, Y: bY });
  }
  return batches;
}
