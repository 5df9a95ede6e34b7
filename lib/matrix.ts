// The Matrix type: a row-major float64 matrix with examples as columns, like numpy's default layout.
import { allocateFloat64, checkAllocation, copyOf } from "./budget.js";
import { formatLikeNumpy } from "./format.js";

/** A dense row-major matrix of float64 values: element (i, j) is `data[i * cols + j]`. */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  /**
   * Wraps an existing buffer without copying it.
   * @param rows number of rows, a positive integer
   * @param cols number of columns, a positive integer
   * @param data row-major values, `rows * cols` of them (a fresh zeroed buffer when omitted)
   * @throws {RangeError} when the dims are not positive integers or data has the wrong length, or
   * when a fresh buffer would pass the memory limit (see setMemoryLimit)
   * @throws {TypeError} when data is not a Float64Array
   * @example new Matrix(2, 3, new Float64Array(6))
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    checkDims("Matrix", rows, cols);
    if (data === undefined) {
      data = zeroData("Matrix", rows, cols);
    } else if (!(data instanceof Float64Array)) {
      throw new TypeError(`Matrix: expected data to be a Float64Array, received ${describe(data)}`);
    } else if (data.length !== rows * cols) {
      throw new RangeError(
        `Matrix: data holds ${data.length} values but [${rows}, ${cols}] needs ${rows * cols}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /**
   * Builds a matrix from nested rows, copying the values.
   * @param values rows of equal length, finite numbers or not
   * @returns a new `[values.length, values[0].length]` matrix
   * @throws {TypeError} when values is not an array of number arrays
   * @throws {RangeError} when it is empty or ragged
   * @example Matrix.from([[1, 2], [3, 4]])
   */
  static from(values: readonly (readonly number[])[]): Matrix {
    const notRows = () =>
      new TypeError(`Matrix.from: expected an array of number arrays, received ${describe(values)}`);
    if (!Array.isArray(values) || (values.length > 0 && !Array.isArray(values[0]))) throw notRows();
    const rows = values.length;
    const cols = rows > 0 ? (values[0] as readonly number[]).length : 0;
    if (rows === 0 || cols === 0) {
      throw new RangeError(
        `Matrix.from: expected at least one row and one column, received [${rows}, ${cols}]`,
      );
    }
    checkDims("Matrix.from", rows, cols);
    const out = new Matrix(rows, cols, zeroData("Matrix.from", rows, cols));
    // Indexed loops stop at the first hole of a sparse array, where forEach would skip it.
    for (let i = 0; i < rows; i++) {
      const row: unknown = values[i];
      if (!Array.isArray(row)) throw notRows();
      if (row.length !== cols) {
        throw new RangeError(`Matrix.from: row ${i} has ${row.length} values, expected ${cols}`);
      }
      for (let j = 0; j < cols; j++) {
        const v: unknown = row[j];
        if (typeof v !== "number") {
          throw new TypeError(`Matrix.from: expected a number at [${i}, ${j}], received ${describe(v)}`);
        }
        out.data[i * cols + j] = v;
      }
    }
    return out;
  }

  /**
   * A matrix of zeros.
   * @throws {RangeError} for dims that are not positive integers, or beyond the memory limit
   * @example Matrix.zeros(3, 1)
   */
  static zeros(rows: number, cols: number): Matrix {
    checkDims("Matrix.zeros", rows, cols);
    return new Matrix(rows, cols, zeroData("Matrix.zeros", rows, cols));
  }

  /** The shape as `[rows, cols]`. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /**
   * Element (i, j).
   * @throws {RangeError} when the indices are outside the shape
   */
  get(i: number, j: number): number {
    if (!Number.isInteger(i) || !Number.isInteger(j) || i < 0 || j < 0 || i >= this.rows || j >= this.cols) {
      throw new RangeError(`Matrix.get: index (${i}, ${j}) is outside [${this.rows}, ${this.cols}]`);
    }
    return this.data[i * this.cols + j] as number;
  }

  /** The values as nested rows (a copy). */
  toArray(): number[][] {
    checkAllocation("Matrix.toArray", this.rows * this.cols * 8, `the rows of a ${shapeText(this)} matrix`);
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) {
      out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    }
    return out;
  }

  /** A deep copy. */
  clone(): Matrix {
    const data = copyOf("Matrix.clone", "float64", this.data, `a ${shapeText(this)} matrix`);
    return new Matrix(this.rows, this.cols, data as Float64Array);
  }

  /** Prints like numpy with 8 decimals: `[[ 0.01624345 -0.00611756]]`. */
  toString(): string {
    return formatLikeNumpy(this.data, this.rows, this.cols);
  }
}

/** Throws RangeError unless rows and cols are positive safe integers whose product fits in memory. */
export function checkDims(where: string, rows: number, cols: number): void {
  if (typeof rows !== "number" || typeof cols !== "number") {
    throw new TypeError(
      `${where}: expected dims to be numbers, received ${describe(rows)} and ${describe(cols)}`,
    );
  }
  if (!isPositiveInt(rows) || !isPositiveInt(cols)) {
    throw new RangeError(
      `${where}: expected positive integer dims, received [${String(rows)}, ${String(cols)}]`,
    );
  }
  if (rows * cols > MAX_ELEMENTS) {
    throw new RangeError(`${where}: [${rows}, ${cols}] has more than ${MAX_ELEMENTS} elements`);
  }
}

/** A zeroed buffer for a [rows, cols] matrix, checked against the memory limit (dims already checked). */
function zeroData(where: string, rows: number, cols: number): Float64Array {
  return allocateFloat64(where, rows * cols, `a ${shapeText({ rows, cols })} matrix`);
}

function shapeText(m: { rows: number; cols: number }): string {
  return `[${m.rows}, ${m.cols}]`;
}

/** The most elements a Float64Array may hold here, and what native int32 sizes allow. */
export const MAX_ELEMENTS = 2 ** 31 - 1;

function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_ELEMENTS;
}

/** A short description of any value for error messages: `Float32Array(6)`, `number 3`, `undefined`. */
export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (v instanceof Matrix) return `Matrix [${v.rows}, ${v.cols}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as Float64Array).length})`;
  if (Array.isArray(v)) return `Array(${v.length})`;
  if (typeof v === "object") return v.constructor?.name ?? "object";
  if (typeof v === "string") return `string "${v.length > 20 ? `${v.slice(0, 20)}...` : v}"`;
  return `${typeof v} ${String(v)}`;
}
