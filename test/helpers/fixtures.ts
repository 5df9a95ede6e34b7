// Loads the numpy float64 reference values (test/fixtures/seed-cases.json) as Matrix objects, and the
// shared `closeTo` macro that compares results with them and names the worst element on failure.

import { readFileSync } from "node:fs";
import test, { type ExecutionContext } from "ava";
import { Matrix } from "../../lib/matrix.js";

/** A matrix as the fixture file stores it: row-major values. */
export interface RawMatrix {
  shape: [number, number];
  data: number[];
}

interface RawInitChecksum {
  sum: number;
  sum_abs: number;
  first5: number[];
  last5: number[];
}

interface RawCache {
  A_prev: RawMatrix;
  W: RawMatrix;
  b: RawMatrix;
  Z: RawMatrix;
}

interface RawGrads {
  dA_prev: RawMatrix;
  dW: RawMatrix;
  db: RawMatrix;
}

type RawDict = Record<string, RawMatrix>;

/** The fixture file's layout, as far as the tests read it. */
export interface RawSeedCases {
  rng: Array<{ seed: number; [field: string]: number | number[] }>;
  initialize_parameters_2_2_1: { seed: number; args: [number, number, number]; expected: RawDict };
  initialize_parameters_3_2_1: { seed: number; args: [number, number, number]; expected: RawDict };
  initialize_parameters_deep_5_4_3: { seed: number; scale: string; args: number[]; expected: RawDict };
  initialize_parameters_deep_cat_app: {
    seed: number;
    scale: string;
    args: number[];
    expected_checksums: Record<string, RawInitChecksum>;
  };
  linear_forward: {
    seed: number;
    inputs: { A: RawMatrix; W: RawMatrix; b: RawMatrix };
    expected: { Z: RawMatrix };
  };
  linear_activation_forward: {
    seed: number;
    inputs: { A_prev: RawMatrix; W: RawMatrix; b: RawMatrix };
    expected: { sigmoid: RawMatrix; relu: RawMatrix };
  };
  L_model_forward: {
    seed: number;
    inputs: { X: RawMatrix; parameters: RawDict };
    expected: { AL: RawMatrix; caches_length: number };
  };
  L_model_forward_2hidden: {
    seed: number;
    inputs: { X: RawMatrix; parameters: RawDict };
    expected: { AL: RawMatrix; caches_length: number };
  };
  compute_cost: { inputs: { Y: RawMatrix; AL: RawMatrix }; expected: { cost: number } };
  compute_cost_mixed: { inputs: { Y: RawMatrix; AL: RawMatrix }; expected: { cost: number } };
  linear_backward: {
    seed: number;
    inputs: { dZ: RawMatrix; A_prev: RawMatrix; W: RawMatrix; b: RawMatrix };
    expected: RawGrads;
  };
  linear_activation_backward: {
    seed: number;
    inputs: { dA: RawMatrix; A_prev: RawMatrix; W: RawMatrix; b: RawMatrix; Z: RawMatrix };
    expected: { sigmoid: RawGrads; relu: RawGrads };
  };
  L_model_backward: {
    seed: number;
    inputs: { AL: RawMatrix; Y: RawMatrix; caches: RawCache[] };
    note: string;
    expected: RawDict;
  };
  update_parameters: {
    seeds: number[];
    learning_rate: number;
    inputs: { parameters: RawDict; grads: RawDict };
    expected: RawDict;
  };
}

/** A fixture value with every `{shape, data}` replaced by a Matrix. */
export type Converted<T> = T extends RawMatrix
  ? Matrix
  : T extends readonly unknown[]
    ? { [K in keyof T]: Converted<T[K]> }
    : T extends object
      ? { [K in keyof T]: Converted<T[K]> }
      : T;

/** The fixture file, parsed once per test process. */
export const seedCases: RawSeedCases = JSON.parse(
  readFileSync(new URL("../fixtures/seed-cases.json", import.meta.url), "utf8"),
) as RawSeedCases;

function isRawMatrix(value: unknown): value is RawMatrix {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<RawMatrix>;
  return Array.isArray(v.shape) && v.shape.length === 2 && Array.isArray(v.data);
}

/** `{shape: [r, c], data}` (row-major) -> `new Matrix(r, c, Float64Array.from(data))`. */
export function toMatrix(raw: RawMatrix): Matrix {
  const [rows, cols] = raw.shape;
  return new Matrix(rows, cols, Float64Array.from(raw.data));
}

/** Deep-converts a fixture value, turning every `{shape, data}` into a fresh Matrix. */
export function convert<T>(value: T): Converted<T> {
  if (isRawMatrix(value)) return toMatrix(value) as Converted<T>;
  if (Array.isArray(value)) return value.map((v) => convert(v)) as Converted<T>;
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = convert(v);
    return out as Converted<T>;
  }
  return value as Converted<T>;
}

/**
 * One fixture case with its matrices as Matrix objects. Every call builds fresh buffers, so a test
 * may keep its own copy to prove that a function did not mutate its inputs.
 * @example const { inputs, expected } = seedCase("linear_forward");
 */
export function seedCase<K extends keyof RawSeedCases>(key: K): Converted<RawSeedCases[K]> {
  return convert(seedCases[key]);
}

/** The default tolerance: |actual - expected| <= 1e-12 * max(1, |expected|). */
export const DEFAULT_TOLERANCE = 1e-12;

/** What `closeTo` compares: a Matrix, a number, a plain number array (read as a [1, n] row), or a dictionary of those. */
export type Comparable = Matrix | number | readonly number[] | { readonly [key: string]: Comparable };

/** The outcome of an elementwise comparison of two same-shaped matrices. */
export interface MatrixDiff {
  /** True when every element is within tolerance. */
  ok: boolean;
  /** How many elements are outside tolerance. */
  failures: number;
  /** The largest |actual - expected| over all elements (NaN when an element is NaN on one side only). */
  maxAbsDiff: number;
  /** The element furthest outside its allowance, relative to that allowance (the largest |diff| when all pass). */
  worst: { row: number; col: number; actual: number; expected: number; absDiff: number };
  tolerance: number;
}

/** Treats a number as [1, 1] and a number array as [1, n]. */
function asMatrix(value: Matrix | number | readonly number[]): Matrix {
  if (value instanceof Matrix) return value;
  if (typeof value === "number") return new Matrix(1, 1, Float64Array.of(value));
  return new Matrix(1, value.length, Float64Array.from(value));
}

/**
 * Compares two matrices of the same shape elementwise: element (i, j) passes when
 * |a - e| <= tolerance * max(1, |e|) (or when both are the same non-finite value).
 * @throws {RangeError} when the shapes differ (check them first when that is a test outcome)
 * @example const { ok, maxAbsDiff, worst } = matrixDiff(grads.dW1, expected.dW1);
 */
export function matrixDiff(actual: Matrix, expected: Matrix, tolerance = DEFAULT_TOLERANCE): MatrixDiff {
  if (actual.rows !== expected.rows || actual.cols !== expected.cols) {
    throw new RangeError(
      `matrixDiff: actual is [${actual.rows}, ${actual.cols}] but expected is [${expected.rows}, ${expected.cols}]`,
    );
  }
  let failures = 0;
  let maxAbsDiff = 0;
  let worstIndex = 0;
  let worstScore = -1;
  for (let i = 0; i < expected.data.length; i++) {
    const a = actual.data[i] as number;
    const e = expected.data[i] as number;
    const absDiff = Object.is(a, e) || a === e ? 0 : Math.abs(a - e);
    const allowed = tolerance * Math.max(1, Math.abs(e));
    // NaN (or an infinite miss) scores Infinity so that it is always the worst element.
    const score = Number.isNaN(absDiff) || !Number.isFinite(absDiff) ? Infinity : absDiff / allowed;
    if (!(absDiff <= allowed)) failures++;
    if (Number.isNaN(absDiff) || Number.isNaN(maxAbsDiff)) maxAbsDiff = NaN;
    else maxAbsDiff = Math.max(maxAbsDiff, absDiff);
    if (score > worstScore) {
      worstScore = score;
      worstIndex = i;
    }
  }
  const a = actual.data[worstIndex] as number;
  const e = expected.data[worstIndex] as number;
  return {
    ok: failures === 0,
    failures,
    maxAbsDiff,
    worst: {
      row: Math.floor(worstIndex / expected.cols),
      col: worstIndex % expected.cols,
      actual: a,
      expected: e,
      absDiff: Object.is(a, e) ? 0 : Math.abs(a - e),
    },
    tolerance,
  };
}

function describeValue(value: unknown): string {
  if (value instanceof Matrix) return `Matrix [${value.rows}, ${value.cols}]`;
  if (value === null) return "null";
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === "object") return value.constructor?.name ?? "object";
  return `${typeof value} ${String(value)}`;
}

function isNumberArray(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.every((v) => typeof v === "number");
}

function isLeaf(value: unknown): value is Matrix | number | readonly number[] {
  return value instanceof Matrix || typeof value === "number" || isNumberArray(value);
}

/**
 * Asserts that `actual` is close to `expected` (see matrixDiff for the rule). Shapes are checked
 * first; a failure names the worst (row, col), its actual and expected values, and the max |diff|.
 * Dictionaries must have the same keys and are compared key by key.
 * @returns whether everything passed
 */
export function assertClose(
  t: ExecutionContext,
  actual: unknown,
  expected: Comparable,
  options: { tolerance?: number; label?: string } = {},
): boolean {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const label = options.label ?? "value";
  if (!isLeaf(expected)) {
    if (typeof actual !== "object" || actual === null || actual instanceof Matrix || Array.isArray(actual)) {
      t.fail(
        `${label}: expected a dictionary of ${Object.keys(expected).join(", ")}, received ${describeValue(actual)}`,
      );
      return false;
    }
    const actualKeys = Object.keys(actual).sort();
    const expectedKeys = Object.keys(expected).sort();
    const missing = expectedKeys.filter((k) => !actualKeys.includes(k));
    const extra = actualKeys.filter((k) => !expectedKeys.includes(k));
    let ok = true;
    if (missing.length > 0 || extra.length > 0) {
      t.fail(`${label}: keys differ; missing [${missing.join(", ")}], unexpected [${extra.join(", ")}]`);
      ok = false;
    }
    for (const key of expectedKeys) {
      if (!(key in actual)) continue;
      const sub = (actual as Record<string, unknown>)[key];
      ok = assertClose(t, sub, expected[key] as Comparable, { tolerance, label: `${label}.${key}` }) && ok;
    }
    return ok;
  }
  const sameKind = typeof expected === "number" ? typeof actual === "number" : typeof actual !== "number";
  if (!isLeaf(actual) || !sameKind) {
    t.fail(`${label}: expected ${describeValue(expected)}, received ${describeValue(actual)}`);
    return false;
  }
  const a = asMatrix(actual);
  const e = asMatrix(expected);
  if (a.rows !== e.rows || a.cols !== e.cols) {
    t.fail(`${label}: shape [${a.rows}, ${a.cols}] differs from expected [${e.rows}, ${e.cols}]`);
    return false;
  }
  const diff = matrixDiff(a, e, tolerance);
  if (!diff.ok) {
    const { row, col, actual: wa, expected: we, absDiff } = diff.worst;
    const where = typeof expected === "number" ? "" : ` worst at (${row}, ${col}):`;
    t.fail(
      `${label}: ${diff.failures} of ${e.data.length} value(s) outside ${tolerance} * max(1, |expected|);` +
        `${where} actual ${wa}, expected ${we}, |diff| ${absDiff}; max |diff| ${diff.maxAbsDiff}`,
    );
    return false;
  }
  t.pass(label);
  return true;
}

/**
 * `test(title, closeTo, actual, expected, tolerance?)`: passes when actual is within
 * tolerance * max(1, |expected|) of expected, elementwise (default 1e-12). `actual` may be a thunk,
 * so that the code under test runs inside the test and its exceptions fail that test only.
 * @example test("linearForward matches seed case", closeTo, () => linearForward(A, W, b).Z, expected.Z);
 */
export const closeTo = test.macro<[actual: unknown, expected: Comparable, tolerance?: number]>({
  exec(t, actual, expected, tolerance = DEFAULT_TOLERANCE) {
    const value = typeof actual === "function" ? (actual as () => unknown)() : actual;
    assertClose(t, value, expected, { tolerance });
  },
  title(providedTitle) {
    return providedTitle ?? "values are close to expected";
  },
});
