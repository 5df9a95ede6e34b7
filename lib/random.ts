// A seeded random generator that reproduces numpy's legacy np.random.RandomState bit for bit,
// so that weights initialised here match the course notebooks' np.random.seed(n) output exactly.

import { allocateFloat64, checkAllocation } from "./budget.js";
import { MAX_ELEMENTS, Matrix, checkDims, describe } from "./matrix.js";
import { native } from "./native.js";
import { assertKeepProb } from "./validate.js";

/** Words in the MT19937 key. */
const N = 624;

/**
 * numpy's legacy `RandomState`: MT19937 seeded with `init_genrand`, 53-bit `random_sample`
 * doubles and the polar Box-Muller `randn` whose spare value is cached between calls.
 *
 * Draws are shared by all methods in call order, exactly as in numpy, so interleaving
 * `randn` and `randomSample` gives the same values as the same interleaving in Python.
 *
 * The state lives in typed arrays owned here; the draws run in the native addon, whose `log` is
 * the C library's, as numpy's is (V8's `Math.log` differs by an ulp on a few percent of inputs).
 *
 * @example
 * const rng = new RandomState(1);
 * const W1 = rng.randn(4, 3); // same values as np.random.seed(1); np.random.randn(4, 3)
 */
export class RandomState {
  /** The MT19937 key. */
  readonly #key = new Uint32Array(N);
  /** Index of the next key word to temper; N means the key is regenerated before the next draw. */
  readonly #pos = new Int32Array(1);
  // numpy keeps the second Box-Muller value in the state, so it survives across calls:
  // [hasGauss (0 or 1), cached value].
  readonly #gauss = new Float64Array(2);

  /**
   * Seeds the generator like `np.random.seed(seed)` / `np.random.RandomState(seed)`.
   * @param seed an integer in [0, 2^32 - 1]
   * @throws {TypeError} when seed is not a number
   * @throws {RangeError} when seed is not an integer in [0, 2^32 - 1]
   * @example new RandomState(42)
   */
  constructor(seed: number) {
    if (typeof seed !== "number") {
      throw new TypeError(
        `RandomState: expected seed to be an integer in [0, 2^32 - 1], received ${describe(seed)}`,
      );
    }
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(
        `RandomState: expected seed to be an integer in [0, 2^32 - 1], received ${String(seed)}`,
      );
    }
    native.mtSeed(this.#key, this.#pos, seed);
  }

  /**
   * Uniform doubles in [0, 1), like `np.random.random_sample((rows, cols))`, filled row-major.
   * @param rows number of rows, a positive integer
   * @param cols number of columns, a positive integer
   * @returns a new `[rows, cols]` matrix
   * @throws {RangeError} when the dims are not positive integers, or the matrix would pass the memory limit
   * @example new RandomState(0).randomSample(1, 5)
   */
  randomSample(rows: number, cols: number): Matrix {
    const fn = "RandomState.randomSample";
    checkDims(fn, rows, cols);
    return new Matrix(rows, cols, this.#sample(fn, rows * cols, `a [${rows}, ${cols}] matrix`));
  }

  /**
   * Standard normal values, like `np.random.randn(rows, cols)`, filled row-major.
   * @param rows number of rows, a positive integer
   * @param cols number of columns, a positive integer
   * @returns a new `[rows, cols]` matrix
   * @throws {RangeError} when the dims are not positive integers, or the matrix would pass the memory limit
   * @example new RandomState(1).randn(2, 3)
   */
  randn(rows: number, cols: number): Matrix {
    const fn = "RandomState.randn";
    checkDims(fn, rows, cols);
    return new Matrix(rows, cols, this.#normals(fn, rows * cols, `a [${rows}, ${cols}] matrix`));
  }

  /**
   * `n` uniform doubles in [0, 1), the same stream as {@link RandomState.randomSample}.
   * @param n how many values, a non-negative integer
   * @returns a new Float64Array of length n
   * @throws {RangeError} when n is not a non-negative integer up to 2^31 - 1, or its values would
   * pass the memory limit
   * @example new RandomState(0).randomSampleArray(5)
   */
  randomSampleArray(n: number): Float64Array {
    const fn = "RandomState.randomSampleArray";
    checkLength(fn, n);
    return this.#sample(fn, n, `${n} values`);
  }

  /**
   * `n` standard normal values, the same stream as {@link RandomState.randn}.
   * @param n how many values, a non-negative integer
   * @returns a new Float64Array of length n
   * @throws {RangeError} when n is not a non-negative integer up to 2^31 - 1, or its values would
   * pass the memory limit
   * @example new RandomState(1).randnArray(11)
   */
  randnArray(n: number): Float64Array {
    const fn = "RandomState.randnArray";
    checkLength(fn, n);
    return this.#normals(fn, n, `${n} values`);
  }

  /**
   * A random ordering of 0..n-1, like numpy's legacy `np.random.permutation(n)` bit for bit
   * (Fisher-Yates from the end with `random_interval`: masked 32-bit draws, rejected above the bound).
   * @param n how many indices, a non-negative integer up to 2^31 - 1
   * @returns a new Int32Array of length n
   * @throws {TypeError} when n is not a number
   * @throws {RangeError} when n is not a non-negative integer up to 2^31 - 1, or would pass the memory limit
   * @example new RandomState(0).permutation(10) // Int32Array [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]
   */
  permutation(n: number): Int32Array {
    const fn = "RandomState.permutation";
    checkLength(fn, n);
    checkAllocation(fn, n * 4, `${n} indices`);
    const out = new Int32Array(n);
    native.mtPermutation(this.#key, this.#pos, out);
    return out;
  }

  /**
   * A dropout mask: `rows * cols` uniform draws of this stream compared with keepProb, like numpy's
   * `rng.rand(rows, cols) < keep_prob`, as 0/1 values.
   * @param rows number of rows, a positive integer
   * @param cols number of columns, a positive integer
   * @param keepProb the probability of a 1, in (0, 1]
   * @returns a new `[rows, cols]` matrix of 0 and 1
   * @throws {RangeError} for bad dims, a keepProb outside (0, 1], or a matrix over the memory limit
   * @example new RandomState(1).dropoutMask(2, 3, 0.8)
   */
  dropoutMask(rows: number, cols: number, keepProb: number): Matrix {
    const fn = "RandomState.dropoutMask";
    checkDims(fn, rows, cols);
    assertKeepProb(fn, keepProb);
    const D = allocateFloat64(fn, rows * cols, `a [${rows}, ${cols}] mask`);
    native.mtDropoutMask(this.#key, this.#pos, D, keepProb);
    return new Matrix(rows, cols, D);
  }

  #sample(fn: string, n: number, what: string): Float64Array {
    const out = allocateFloat64(fn, n, what);
    native.mtRandomSample(this.#key, this.#pos, out);
    return out;
  }

  #normals(fn: string, n: number, what: string): Float64Array {
    const out = allocateFloat64(fn, n, what);
    native.mtRandn(this.#key, this.#pos, this.#gauss, out);
    return out;
  }
}

function checkLength(where: string, n: number): void {
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > MAX_ELEMENTS) {
    const kind = typeof n === "number" ? RangeError : TypeError;
    throw new kind(
      `${where}: expected a non-negative integer length up to ${MAX_ELEMENTS}, received ${describe(n)}`,
    );
  }
}
