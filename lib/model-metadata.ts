// What a model knows about its data besides its weights: the feature columns it reads, the target
// column, the class names and the feature scaling it was trained with. Model.save writes it into
// the model file's __metadata__ (key "model_metadata", JSON) and Model.load reads it back, checked.
import { Matrix, describe } from "./matrix.js";
import { ModelFormatError } from "./model-format-error.js";

/** The __metadata__ key that holds a model's metadata, as JSON. */
export const METADATA_KEY = "model_metadata";

/** How features were scaled before training: x' = (x - offset) / scale, per feature. */
export interface FeatureScaling {
  /** "standard": offset is the mean, scale the standard deviation; "minmax": the minimum and the range. */
  method: "standard" | "minmax";
  /** One finite number per input feature (n_0). */
  offset: readonly number[];
  /** One finite number > 0 per input feature (n_0). */
  scale: readonly number[];
}

/** A model's data description; every field is optional. */
export interface ModelMetadata {
  /** The n_0 input feature names, in the order of X's rows (unique, non-empty). */
  features?: readonly string[];
  /** The name of the target column. */
  target?: string;
  /** Class names by class index: 2 for a sigmoid head (index 1 is the positive class), n_L for softmax. */
  classes?: readonly string[];
  /** The feature scaling the model expects its inputs to have been through. */
  scaling?: FeatureScaling;
}

const KEYS = ["features", "target", "classes", "scaling"];
const SCALING_KEYS = ["method", "offset", "scale"];
const METHODS = ["standard", "minmax"];

/** Thrown by the checks below; the caller picks the class (TypeError/RangeError or ModelFormatError). */
class Problem {
  constructor(
    readonly kind: "type" | "range",
    readonly message: string,
  ) {}
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkKeys(where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const extra = Object.keys(value).find((key) => !allowed.includes(key));
  if (extra !== undefined) {
    throw new Problem(
      "range",
      `${where} has an unknown key ${JSON.stringify(extra)} (expected ${allowed.join(", ")})`,
    );
  }
}

function names(where: string, value: unknown, count: number, unit: string): string[] {
  if (!Array.isArray(value))
    throw new Problem("type", `expected ${where} to be an array of strings, received ${describe(value)}`);
  if (value.length !== count) {
    throw new Problem(
      "range",
      `expected ${where} to hold ${count} names (${unit}), received ${value.length}`,
    );
  }
  const seen = new Set<string>();
  value.forEach((name, i) => {
    if (typeof name !== "string" || name === "") {
      throw new Problem(
        "type",
        `expected ${where}[${i}] to be a non-empty string, received ${describe(name)}`,
      );
    }
    if (seen.has(name)) throw new Problem("range", `${where} names ${JSON.stringify(name)} twice`);
    seen.add(name);
  });
  return [...value] as string[];
}

function numbers(where: string, value: unknown, count: number, positive: boolean): number[] {
  if (!Array.isArray(value))
    throw new Problem("type", `expected ${where} to be an array of numbers, received ${describe(value)}`);
  if (value.length !== count) {
    throw new Problem(
      "range",
      `expected ${where} to hold ${count} numbers (one per feature), received ${value.length}`,
    );
  }
  value.forEach((x, i) => {
    if (typeof x !== "number")
      throw new Problem("type", `expected ${where}[${i}] to be a number, received ${describe(x)}`);
    if (!Number.isFinite(x) || (positive && x <= 0)) {
      throw new Problem(
        "range",
        `expected ${where}[${i}] to be a finite number${positive ? " > 0" : ""}, received ${x}`,
      );
    }
  });
  return [...value] as number[];
}

/** A frozen copy of `value` checked against the model's input size and head, or a Problem. */
function check(value: unknown, layerDims: readonly number[], output: string): ModelMetadata {
  if (!isRecord(value))
    throw new Problem("type", `expected metadata to be an object, received ${describe(value)}`);
  checkKeys("metadata", value, KEYS);
  const n0 = layerDims[0]!;
  const nL = layerDims[layerDims.length - 1]!;
  const out: ModelMetadata = {};
  if (value.features !== undefined)
    out.features = Object.freeze(names("metadata.features", value.features, n0, "n_0"));
  if (value.target !== undefined) {
    if (typeof value.target !== "string" || value.target === "") {
      throw new Problem(
        "type",
        `expected metadata.target to be a non-empty string, received ${describe(value.target)}`,
      );
    }
    out.target = value.target;
  }
  if (value.classes !== undefined) {
    const count = output === "softmax" ? nL : 2;
    const unit = output === "softmax" ? "one per output unit" : "two for a sigmoid head";
    out.classes = Object.freeze(names("metadata.classes", value.classes, count, unit));
  }
  if (value.scaling !== undefined) {
    const s = value.scaling;
    if (!isRecord(s))
      throw new Problem("type", `expected metadata.scaling to be an object, received ${describe(s)}`);
    checkKeys("metadata.scaling", s, SCALING_KEYS);
    if (typeof s.method !== "string" || !METHODS.includes(s.method)) {
      throw new Problem(
        "range",
        `expected metadata.scaling.method to be "standard" or "minmax", received ${describe(s.method)}`,
      );
    }
    out.scaling = Object.freeze({
      method: s.method as FeatureScaling["method"],
      offset: Object.freeze(numbers("metadata.scaling.offset", s.offset, n0, false)),
      scale: Object.freeze(numbers("metadata.scaling.scale", s.scale, n0, true)),
    });
  }
  return Object.freeze(out);
}

/**
 * Checks metadata given to a model (Model's `metadata` setter).
 * @returns a frozen copy
 * @throws {TypeError} for a wrong kind of value, {RangeError} for a wrong count, key or number
 */
export function checkMetadata(
  fn: string,
  value: unknown,
  layerDims: readonly number[],
  output: string,
): ModelMetadata {
  try {
    return check(value, layerDims, output);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new (error.kind === "type" ? TypeError : RangeError)(`${fn}: ${error.message}`);
  }
}

/** The JSON a model file stores. */
export function metadataJson(metadata: ModelMetadata): string {
  return JSON.stringify(metadata);
}

/**
 * Reads a model file's metadata JSON, checked like checkMetadata.
 * @throws {ModelFormatError} saying what is wrong
 */
export function parseMetadata(text: string, layerDims: readonly number[], output: string): ModelMetadata {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(
      `"__metadata__.${METADATA_KEY}" is not JSON: ${JSON.stringify(text.slice(0, 80))}`,
      {
        cause: error,
      },
    );
  }
  try {
    return check(value, layerDims, output);
  } catch (error) {
    if (!(error instanceof Problem)) throw error;
    throw new ModelFormatError(`"__metadata__.${METADATA_KEY}": ${error.message}`);
  }
}

/**
 * Applies a feature scaling to X (features as rows): row i becomes (X[i] - offset[i]) / scale[i].
 * @param X [n_0, m]
 * @returns a new [n_0, m] Matrix
 * @throws {RangeError} when X's rows differ from the scaling's feature count
 * @example scaleFeatures(X, model.metadata.scaling)
 */
export function scaleFeatures(X: Matrix, scaling: FeatureScaling): Matrix {
  if (X.rows !== scaling.offset.length) {
    throw new RangeError(
      `scaleFeatures: X is [${X.rows}, ${X.cols}] but the scaling has ${scaling.offset.length} features`,
    );
  }
  const out = new Matrix(X.rows, X.cols);
  for (let i = 0; i < X.rows; i++) {
    const offset = scaling.offset[i]!;
    const scale = scaling.scale[i]!;
    for (let j = i * X.cols, end = j + X.cols; j < end; j++) out.data[j] = (X.data[j]! - offset) / scale;
  }
  return out;
}

/**
 * The scaling that maps X's rows to mean 0 and standard deviation 1 ("standard") or to [0, 1]
 * ("minmax"). A constant feature gets scale 1, so it maps to 0.
 * @param X [n_0, m], m >= 1
 * @example const scaling = fitScaling(trainX, "standard")
 */
export function fitScaling(X: Matrix, method: FeatureScaling["method"]): FeatureScaling {
  const offset: number[] = [];
  const scale: number[] = [];
  const m = X.cols;
  for (let i = 0; i < X.rows; i++) {
    const row = X.data.subarray(i * m, (i + 1) * m);
    let a: number;
    let b: number;
    if (method === "standard") {
      let sum = 0;
      for (const x of row) sum += x;
      a = sum / m;
      let squares = 0;
      for (const x of row) squares += (x - a) * (x - a);
      b = Math.sqrt(squares / m);
    } else {
      a = Infinity;
      let max = -Infinity;
      for (const x of row) {
        if (x < a) a = x;
        if (x > max) max = x;
      }
      b = max - a;
    }
    offset.push(a);
    scale.push(b > 0 && Number.isFinite(b) ? b : 1);
  }
  return { method, offset, scale };
}
