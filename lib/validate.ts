// Shape and type checks shared by every public function, built on the message builders of errors.ts.
import { assertOneOf, describe, shapeOf } from "./errors.js";
import { MAX_ELEMENTS, Matrix } from "./matrix.js";
import { SEED_ACTIVATIONS } from "./native.js";
import type { Activation } from "./types.js";

/** What a shape check reads of a matrix. */
type Shape = Pick<Matrix, "rows" | "cols">;

/**
 * Throws TypeError unless `value` is a Matrix (or a structurally identical object, e.g. one that
 * crossed a worker boundary) whose data is a Float64Array of rows * cols values.
 */
export function assertMatrix(fn: string, name: string, value: unknown): asserts value is Matrix {
  const v = value as Partial<Matrix> | null;
  const isMatrix =
    value instanceof Matrix ||
    (typeof v === "object" &&
      v !== null &&
      Number.isInteger(v.rows) &&
      Number.isInteger(v.cols) &&
      (v.rows as number) > 0 &&
      (v.cols as number) > 0 &&
      v.data instanceof Float64Array);
  if (!isMatrix) {
    throw new TypeError(`${fn}: expected ${name} to be a Matrix, received ${describe(value)}`);
  }
  const m = value as Matrix;
  if (m.data.length !== m.rows * m.cols) {
    throw new RangeError(
      `${fn}: ${name} is [${m.rows}, ${m.cols}] but its data holds ${m.data.length} values (detached?)`,
    );
  }
}

/** Throws RangeError unless `m` is exactly [rows, cols]. */
export function assertShape(fn: string, name: string, m: Matrix, rows: number, cols: number): void {
  if (m.rows !== rows || m.cols !== cols) {
    throw new RangeError(`${fn}: expected ${name} to be [${rows}, ${cols}], received ${shapeOf(m)}`);
  }
}

/**
 * The product check, worded as numpy's "shapes not aligned":
 * `linearForward: W is [20, 12288] but A is [12287, 209]; W.cols must equal A.rows`.
 */
export function assertAligned(
  fn: string,
  leftName: string,
  left: Shape,
  rightName: string,
  right: Shape,
): void {
  if (left.cols !== right.rows) {
    throw new RangeError(
      `${fn}: ${leftName} is ${shapeOf(left)} but ${rightName} is ${shapeOf(right)}; ` +
        `${leftName}.cols must equal ${rightName}.rows`,
    );
  }
}

/** Throws RangeError unless both matrices have the same shape. */
export function assertSameShape(fn: string, aName: string, a: Matrix, bName: string, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new RangeError(`${fn}: ${aName} is ${shapeOf(a)} but ${bName} is ${shapeOf(b)}; they must match`);
  }
}

/** b must be a column with one bias per output row. */
export function assertBias(fn: string, W: Matrix, b: Matrix, wName = "W", bName = "b"): void {
  if (b.rows !== W.rows || b.cols !== 1) {
    throw new RangeError(
      `${fn}: ${wName} is ${shapeOf(W)} so ${bName} must be [${W.rows}, 1], received ${shapeOf(b)}`,
    );
  }
}

/** One of the seed's activations: `fn: expected activation "relu" or "sigmoid", received ...`. */
export function assertActivation(fn: string, value: unknown): asserts value is Activation {
  assertOneOf(fn, "activation", value, SEED_ACTIVATIONS);
}

/** Every value finite: NaN or Infinity in an input would silently poison a whole training run. */
export function assertFinite(fn: string, name: string, m: Matrix): void {
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const cols = m.cols;
      throw new RangeError(
        `${fn}: expected ${name} to hold finite values, received ${data[i]} at [${Math.floor(i / cols)}, ${i % cols}]`,
      );
    }
  }
}

/** Every value within [low, high] (open ends when `open` is set): labels, probabilities. */
export function assertWithin(
  fn: string,
  name: string,
  m: Matrix,
  low: number,
  high: number,
  open = false,
): void {
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    const inside = open ? v > low && v < high : v >= low && v <= high;
    if (!inside) {
      const range = open ? `(${low}, ${high})` : `[${low}, ${high}]`;
      throw new RangeError(
        `${fn}: expected ${name} values in ${range}, received ${v} at [${Math.floor(i / m.cols)}, ${i % m.cols}]`,
      );
    }
  }
}

/** Y must be a [1, m] row of labels in [0, 1] matching m examples. */
export function assertLabels(fn: string, Y: unknown, m: number): asserts Y is Matrix {
  assertMatrix(fn, "Y", Y);
  if (Y.rows !== 1 || Y.cols !== m) {
    throw new RangeError(`${fn}: expected Y to be [1, ${m}] (one label per example), received ${shapeOf(Y)}`);
  }
  assertWithin(fn, "Y", Y, 0, 1);
}

/** A finite number > 0. */
export function assertPositiveNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${fn}: expected ${name} to be a finite number > 0, received ${describe(value)}`);
  }
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${fn}: expected ${name} to be a finite number > 0, received ${value}`);
  }
}

/** An integer >= min (and a safe one). */
export function assertInteger(
  fn: string,
  name: string,
  value: unknown,
  min: number,
): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${fn}: expected ${name} to be an integer >= ${min}, received ${describe(value)}`);
  }
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${fn}: expected ${name} to be an integer >= ${min}, received ${value}`);
  }
}

/**
 * Layer dims `[n0, n1, ..., nL]`: at least two positive integers whose weight matrices fit in memory.
 */
export function assertLayerDims(fn: string, layerDims: unknown): asserts layerDims is number[] {
  if (!Array.isArray(layerDims)) {
    throw new TypeError(
      `${fn}: expected layerDims to be an array of integers, received ${describe(layerDims)}`,
    );
  }
  if (layerDims.length < 2) {
    throw new RangeError(
      `${fn}: expected layerDims to list at least an input and an output size, received [${layerDims.join(", ")}]`,
    );
  }
  // An indexed loop, not forEach: forEach skips holes, and a sparse array can claim 2^32 - 1 of them.
  for (let l = 0; l < layerDims.length; l++) {
    const n: unknown = layerDims[l];
    if (typeof n !== "number") {
      throw new TypeError(
        `${fn}: expected layerDims[${l}] to be a positive integer, received ${describe(n)}`,
      );
    }
    if (!Number.isInteger(n) || n < 1 || n > MAX_ELEMENTS) {
      throw new RangeError(`${fn}: expected layerDims[${l}] to be a positive integer, received ${n}`);
    }
    if (l > 0 && n * (layerDims[l - 1] as number) > MAX_ELEMENTS) {
      throw new RangeError(`${fn}: W${l} would be [${n}, ${layerDims[l - 1]}], more than 2^31 - 1 values`);
    }
  }
}

/**
 * Checks a parameter dictionary `{W1, b1, ..., WL, bL}`: every key present, no stray keys, and
 * shapes that chain (W_l is [n_l, n_(l-1)], b_l is [n_l, 1]). Returns L.
 */
export function assertParameters(fn: string, parameters: unknown, X?: Matrix): number {
  if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters)) {
    throw new TypeError(
      `${fn}: expected parameters to be an object {W1, b1, ...}, received ${describe(parameters)}`,
    );
  }
  const keys = Object.keys(parameters);
  const L = keys.filter((k) => /^W[1-9]\d*$/.test(k)).length;
  if (L === 0) {
    throw new TypeError(`${fn}: parameters has no "W1" (expected W1..WL and b1..bL)`);
  }
  const expected = `expected W1..W${L} and b1..b${L}`;
  const dict = parameters as Record<string, unknown>;
  for (let l = 1; l <= L; l++) {
    for (const key of [`W${l}`, `b${l}`]) {
      if (!(key in dict)) throw new TypeError(`${fn}: parameters is missing "${key}" (${expected})`);
      assertMatrix(fn, key, dict[key]);
    }
  }
  for (const key of keys) {
    const match = /^[Wb]([1-9]\d*)$/.exec(key);
    if (match === null || Number(match[1]) > L) {
      throw new RangeError(`${fn}: parameters has an unexpected key "${key}" (${expected})`);
    }
  }
  if (X !== undefined) assertAligned(fn, "W1", dict.W1 as Matrix, "X", X);
  for (let l = 1; l <= L; l++) {
    const W = dict[`W${l}`] as Matrix;
    if (l > 1) {
      const prev = dict[`W${l - 1}`] as Matrix;
      if (W.cols !== prev.rows) {
        throw new RangeError(
          `${fn}: W${l} is ${shapeOf(W)} but W${l - 1} is ${shapeOf(prev)}; W${l}.cols must equal W${l - 1}.rows`,
        );
      }
    }
    assertBias(fn, W, dict[`b${l}`] as Matrix, `W${l}`, `b${l}`);
  }
  return L;
}

/** An optional options object. */
export function assertOptions(fn: string, options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${fn}: expected options to be an object, received ${describe(options)}`);
  }
}

/** keepProb of inverted dropout: a number in (0, 1]. */
export function assertKeepProb(fn: string, value: unknown, name = "keepProb"): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${fn}: expected ${name} to be a number in (0, 1], received ${describe(value)}`);
  }
  if (!(value > 0 && value <= 1)) {
    throw new RangeError(`${fn}: expected ${name} to be a number in (0, 1], received ${value}`);
  }
}

/** A number in [low, high) (a momentum or Adam beta: [0, 1)). */
export function assertInRange(
  fn: string,
  name: string,
  value: unknown,
  low: number,
  high: number,
): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(
      `${fn}: expected ${name} to be a number in [${low}, ${high}), received ${describe(value)}`,
    );
  }
  if (!(value >= low && value < high)) {
    throw new RangeError(`${fn}: expected ${name} to be a number in [${low}, ${high}), received ${value}`);
  }
}

/** A finite number >= 0 (the L2 strength). */
export function assertNonNegativeNumber(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`${fn}: expected ${name} to be a finite number >= 0, received ${describe(value)}`);
  }
  if (!(Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`${fn}: expected ${name} to be a finite number >= 0, received ${value}`);
  }
}

/** Y one-hot: every column holds exactly one 1 and zeros elsewhere. */
export function assertOneHot(fn: string, Y: Matrix, name = "Y"): void {
  for (let j = 0; j < Y.cols; j++) {
    let ones = 0;
    for (let i = 0; i < Y.rows; i++) {
      const v = Y.data[i * Y.cols + j] as number;
      if (v === 1) ones++;
      else if (v !== 0) {
        throw new RangeError(`${fn}: expected ${name} to be one-hot (0 or 1), received ${v} at [${i}, ${j}]`);
      }
    }
    if (ones !== 1) {
      throw new RangeError(`${fn}: expected ${name} to be one-hot, received ${ones} ones in column ${j}`);
    }
  }
}
