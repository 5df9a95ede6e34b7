// Class labels for the softmax head: class indices to one-hot columns.
import { checkAllocation } from "./budget.js";
import { Matrix, describe } from "./matrix.js";
import { assertInteger, assertMatrix } from "./validate.js";
import { shapeOf } from "./errors.js";

/**
 * One-hot columns from class indices: column j has a 1 in row labels[j].
 * @param labels class indices, a [1, m] Matrix or an array of m numbers, each an integer in [0, classes)
 * @param classes the number of classes C, an integer >= 1
 * @returns Y, [C, m]
 * @throws {TypeError} when labels is neither a Matrix nor an array, or classes is not a number
 * @throws {RangeError} when labels is not a single row, a label is not an integer in [0, classes),
 * or Y would pass the memory limit
 * @example oneHot(Matrix.from([[2, 0]]), 3).toArray() // [[0, 1], [0, 0], [1, 0]]
 */
export function oneHot(labels: Matrix | readonly number[], classes: number): Matrix {
  const fn = "oneHot";
  let values: ArrayLike<unknown>;
  if (Array.isArray(labels)) {
    values = labels;
  } else {
    assertMatrix(fn, "labels", labels);
    const m = labels as Matrix;
    if (m.rows !== 1) throw new RangeError(`${fn}: expected labels to be [1, m], received ${shapeOf(m)}`);
    values = m.data;
  }
  assertInteger(fn, "classes", classes, 1);
  const m = values.length;
  if (m === 0) throw new RangeError(`${fn}: expected at least one label, received []`);
  checkAllocation(fn, classes * m * 8, `Y, [${classes}, ${m}]`);
  const Y = new Matrix(classes, m);
  for (let j = 0; j < m; j++) {
    const c = values[j];
    if (typeof c !== "number" || !Number.isInteger(c) || c < 0 || c >= classes) {
      const kind = typeof c === "number" ? RangeError : TypeError;
      throw new kind(`${fn}: expected labels in [0, ${classes}) (integers), received ${describe(c)} at ${j}`);
    }
    Y.data[c * m + j] = 1;
  }
  return Y;
}
