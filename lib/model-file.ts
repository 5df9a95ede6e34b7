// blasnet's model file: a safetensors file (lib/safetensors.ts) whose tensors are W1, b1, ... in
// the model's dtype and whose __metadata__ says how to rebuild the model. Encoding, strict decoding
// and the save/load I/O; Model's save, load, toBuffer and fromBuffer delegate here.
import { readFile } from "node:fs/promises";
import { writeFileAtomic, writeFileAtomicSync } from "./atomic-write.js";
import { type RunState, parseRunState, runStateJson, runTensorKinds } from "./checkpoint.js";
import { allocateFloat64, checkAllocation } from "./budget.js";
import { Matrix, describe } from "./matrix.js";
import { ModelFormatError } from "./model-format-error.js";
import { METADATA_KEY, type ModelMetadata, metadataJson, parseMetadata } from "./model-metadata.js";
import { type FloatArray, HIDDEN, OUTPUTS } from "./native.js";
import {
  type TensorDType,
  type TensorInput,
  decodeSafetensors,
  encodeSafetensors,
  itemBytes,
} from "./safetensors.js";
import type { DType, MatrixDict } from "./types.js";

/** The format version this blasnet writes and the only one it reads. */
export const MODEL_FILE_VERSION = "1";

/** The hidden and output activations a loaded Model can run. */
const HIDDEN_SUPPORTED: readonly string[] = HIDDEN;
const OUTPUT_SUPPORTED: readonly string[] = OUTPUTS;

/** The most layers a file may declare: far beyond any real network, small enough to check cheaply. */
const MAX_LAYERS = 10_000;

/** What a model file holds: enough to rebuild the model. */
export interface ModelContents {
  layerDims: readonly number[];
  dtype: DType;
  hidden: string;
  output: string;
  /** `{W1, b1, ...}` as float64 matrices (exact for float32 values). */
  parameters: MatrixDict;
  /** A checkpoint's run state (lib/checkpoint.ts), absent from a plain model file. */
  runState?: RunState;
  /** The model's data description (lib/model-metadata.ts), absent when it has none. */
  metadata?: ModelMetadata;
}

/** Options of Model.load and Model.fromBuffer. */
export interface LoadOptions {
  /** Accept NaN and Infinity in the weights (default false: a ModelFormatError). */
  allowNonFinite?: boolean;
}

/** What a model exposes to be written; `hidden` and `output` are read when the model has them
 * (today's Model always does; the defaults keep plain parameter holders writable). */
export interface SavableModel {
  readonly layerDims: readonly number[];
  readonly dtype: DType;
  readonly parameters: MatrixDict;
}

/** The contents of a model, with the activations it runs ("relu" and "sigmoid" unless it says otherwise). */
export function contentsOf(model: SavableModel): ModelContents {
  const { hidden, output, metadata } = model as {
    hidden?: unknown;
    output?: unknown;
    metadata?: ModelMetadata;
  };
  return {
    layerDims: model.layerDims,
    dtype: model.dtype,
    hidden: typeof hidden === "string" ? hidden : "relu",
    output: typeof output === "string" ? output : "sigmoid",
    parameters: model.parameters,
    ...(metadata === undefined ? {} : { metadata }),
  };
}

const TENSOR_DTYPE: Record<DType, TensorDType> = { float64: "F64", float32: "F32" };

/** The safetensors bytes of a model's contents. */
export function encodeModel(contents: ModelContents): Uint8Array {
  const L = contents.layerDims.length - 1;
  const dtype = TENSOR_DTYPE[contents.dtype];
  const asDType = (m: Matrix) => (contents.dtype === "float32" ? Float32Array.from(m.data) : m.data);
  const tensors: TensorInput[] = [];
  for (let l = 1; l <= L; l++) {
    const W = contents.parameters[`W${l}`]!;
    const b = contents.parameters[`b${l}`]!;
    tensors.push({ name: `W${l}`, dtype, shape: [W.rows, W.cols], data: asDType(W) });
    tensors.push({ name: `b${l}`, dtype, shape: [b.rows, 1], data: asDType(b) });
  }
  return encodeSafetensors(tensors, {
    format: "blasnet",
    format_version: MODEL_FILE_VERSION,
    layerDims: JSON.stringify(contents.layerDims),
    hidden: contents.hidden,
    output: contents.output,
    dtype: contents.dtype,
    ...(contents.metadata === undefined ? {} : { [METADATA_KEY]: metadataJson(contents.metadata) }),
  });
}

/** What a checkpoint holds: the parameters as the run holds them (in the model's dtype) and the run state. */
export interface CheckpointContents {
  layerDims: readonly number[];
  dtype: DType;
  hidden: string;
  output: string;
  W: readonly FloatArray[];
  b: readonly FloatArray[];
  state: RunState;
}

/** The bytes of a checkpoint: a model file whose __metadata__ adds run_state, with the run's tensors. */
export function encodeCheckpoint(c: CheckpointContents): Uint8Array {
  const L = c.layerDims.length - 1;
  const dtype = TENSOR_DTYPE[c.dtype];
  const tensors: TensorInput[] = [];
  const shapeOf = (kind: "W" | "b", l: number) =>
    kind === "W" ? [c.layerDims[l]!, c.layerDims[l - 1]!] : [c.layerDims[l]!, 1];
  const add = (kind: string, shape: "W" | "b", list: readonly FloatArray[]) =>
    list.forEach((data, i) =>
      tensors.push({ name: `${kind}${i + 1}`, dtype, shape: shapeOf(shape, i + 1), data }),
    );
  add("W", "W", c.W);
  add("b", "b", c.b);
  const s = c.state;
  const kinds = runTensorKinds(s.fingerprint.optimizer, s.bestParameters !== undefined);
  const lists: Record<string, readonly FloatArray[]> = {
    vW: s.vW,
    vb: s.vb,
    sW: s.sW,
    sb: s.sb,
    bestW: s.bestParameters?.slice(0, L) ?? [],
    bestb: s.bestParameters?.slice(L) ?? [],
  };
  for (const kind of kinds) add(kind, kind.endsWith("W") ? "W" : "b", lists[kind]!);
  return encodeSafetensors(tensors, {
    format: "blasnet",
    format_version: MODEL_FILE_VERSION,
    layerDims: JSON.stringify(c.layerDims),
    hidden: c.hidden,
    output: c.output,
    dtype: c.dtype,
    run_state: runStateJson(s),
  });
}

/** Writes a checkpoint atomically and durably, synchronously (the sync fit) or not (fitAsync). */
export function saveCheckpointSync(fn: string, path: string, c: CheckpointContents): void {
  writeFileAtomicSync(fn, path, encodeCheckpoint(c));
}
export async function saveCheckpoint(fn: string, path: string, bytes: Uint8Array): Promise<void> {
  await writeFileAtomic(fn, path, bytes);
}

function metadataField(metadata: Record<string, string>, key: string): string {
  const value = metadata[key];
  if (value === undefined) throw new ModelFormatError(`"__metadata__" has no "${key}"`);
  return value;
}

function parseLayerDims(text: string): number[] {
  let dims: unknown;
  try {
    dims = JSON.parse(text);
  } catch (error) {
    throw new ModelFormatError(`"__metadata__.layerDims" is not JSON: ${JSON.stringify(text.slice(0, 80))}`, {
      cause: error,
    });
  }
  if (
    !Array.isArray(dims) ||
    dims.length < 2 ||
    dims.length > MAX_LAYERS + 1 ||
    !dims.every((n) => Number.isSafeInteger(n) && n >= 1 && n <= 2 ** 31 - 1)
  ) {
    throw new ModelFormatError(
      `"__metadata__.layerDims" is not a list of 2 to ${MAX_LAYERS + 1} positive integers: ${JSON.stringify(text.slice(0, 80))}`,
    );
  }
  return dims as number[];
}

/**
 * Decodes and checks a model file's bytes: the safetensors layout, the format and its version,
 * the activations, exactly the tensors W1..WL and b1..bL with the shapes layerDims implies, in
 * the declared dtype, and finite values unless allowed. Every allocation is sized from tensors
 * already checked to lie inside `bytes`.
 * @throws {ModelFormatError} saying what is wrong
 */
export function decodeModel(fn: string, bytes: Uint8Array, options: LoadOptions = {}): ModelContents {
  const { metadata, tensors, dataStart } = decodeSafetensors(bytes);
  if (metadata.format !== "blasnet") {
    throw new ModelFormatError(
      `"__metadata__.format" is ${describe(metadata.format)}; not a blasnet model file`,
    );
  }
  const version = metadataField(metadata, "format_version");
  if (version !== MODEL_FILE_VERSION) {
    throw new ModelFormatError(
      `the file's format version is ${JSON.stringify(version)}; this blasnet reads version "${MODEL_FILE_VERSION}"`,
    );
  }
  const dtype = metadataField(metadata, "dtype");
  if (dtype !== "float64" && dtype !== "float32") {
    throw new ModelFormatError(
      `"__metadata__.dtype" is ${JSON.stringify(dtype)}, not "float64" or "float32"`,
    );
  }
  const hidden = metadataField(metadata, "hidden");
  const output = metadataField(metadata, "output");
  if (!HIDDEN_SUPPORTED.includes(hidden)) {
    throw new ModelFormatError(
      `the hidden activation is ${JSON.stringify(hidden)}; expected ${HIDDEN_SUPPORTED.join(" or ")}`,
    );
  }
  if (!OUTPUT_SUPPORTED.includes(output)) {
    throw new ModelFormatError(
      `the output activation is ${JSON.stringify(output)}; expected ${OUTPUT_SUPPORTED.join(" or ")}`,
    );
  }
  const layerDims = parseLayerDims(metadataField(metadata, "layerDims"));
  const L = layerDims.length - 1;
  if (output === "sigmoid" && layerDims[L] !== 1) {
    throw new ModelFormatError(`a sigmoid output has 1 unit, but layerDims ends in ${layerDims[L]}`);
  }
  if (output === "softmax" && layerDims[L]! < 2) {
    throw new ModelFormatError(
      `a softmax output has at least 2 units, but layerDims ends in ${layerDims[L]}`,
    );
  }
  const metadataText = metadata[METADATA_KEY];
  const described =
    metadataText === undefined ? {} : { metadata: parseMetadata(metadataText, layerDims, output) };
  const expected = `expected W1..W${L} and b1..b${L}`;
  const runText = metadata.run_state;
  for (const name of tensors.keys()) {
    const match = (runText === undefined ? /^()[Wb]([1-9]\d*)$/ : /^(v|s|best)?[Wb]([1-9]\d*)$/).exec(name);
    if (match === null || Number(match[2]) > L) {
      throw new ModelFormatError(`the file has an unexpected tensor "${name}" (${expected})`);
    }
  }
  const tensorDType = TENSOR_DTYPE[dtype];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parameters: MatrixDict = {};
  for (let l = 1; l <= L; l++) {
    for (const [name, rows, cols] of [
      [`W${l}`, layerDims[l]!, layerDims[l - 1]!],
      [`b${l}`, layerDims[l]!, 1],
    ] as const) {
      const entry = tensors.get(name);
      if (entry === undefined) throw new ModelFormatError(`the file has no tensor "${name}" (${expected})`);
      if (entry.dtype !== tensorDType) {
        throw new ModelFormatError(`tensor "${name}" is ${entry.dtype} but the model's dtype is ${dtype}`);
      }
      if (entry.shape.length !== 2 || entry.shape[0] !== rows || entry.shape[1] !== cols) {
        throw new ModelFormatError(
          `tensor "${name}" has shape [${entry.shape.join(", ")}] but layerDims [${layerDims.join(", ")}] needs [${rows}, ${cols}]`,
        );
      }
      const count = rows * cols;
      // count * itemBytes bytes of the file back this buffer (decodeSafetensors checked the span).
      checkAllocation(fn, count * 8, `tensor "${name}"`);
      const data = allocateFloat64(fn, count, `tensor "${name}"`);
      const size = itemBytes(entry.dtype);
      let at = dataStart + entry.begin;
      for (let i = 0; i < count; i++, at += size) {
        const value = entry.dtype === "F64" ? view.getFloat64(at, true) : view.getFloat32(at, true);
        if (!Number.isFinite(value) && !options.allowNonFinite) {
          throw new ModelFormatError(
            `tensor "${name}" holds ${value} at index ${i}; pass { allowNonFinite: true } to load it anyway`,
          );
        }
        data[i] = value;
      }
      parameters[name] = new Matrix(rows, cols, data);
    }
  }
  if (runText === undefined) return { layerDims, dtype, hidden, output, parameters, ...described };
  const read = (name: string, like: string): FloatArray => {
    const entry = tensors.get(name);
    const want = parameters[like]!;
    if (entry === undefined) throw new ModelFormatError(`the checkpoint has no tensor "${name}"`);
    if (entry.dtype !== tensorDType) {
      throw new ModelFormatError(`tensor "${name}" is ${entry.dtype} but the model's dtype is ${dtype}`);
    }
    if (entry.shape.length !== 2 || entry.shape[0] !== want.rows || entry.shape[1] !== want.cols) {
      throw new ModelFormatError(
        `tensor "${name}" has shape [${entry.shape.join(", ")}] but needs [${want.rows}, ${want.cols}]`,
      );
    }
    const count = want.rows * want.cols;
    checkAllocation(fn, count * itemBytes(entry.dtype), `tensor "${name}"`);
    const data = dtype === "float32" ? new Float32Array(count) : new Float64Array(count);
    const size = itemBytes(entry.dtype);
    let at = dataStart + entry.begin;
    for (let i = 0; i < count; i++, at += size) {
      const value = entry.dtype === "F64" ? view.getFloat64(at, true) : view.getFloat32(at, true);
      if (!Number.isFinite(value))
        throw new ModelFormatError(`tensor "${name}" holds ${value} at index ${i}`);
      data[i] = value;
    }
    return data;
  };
  const { state, tensors: extra } = parseRunState(runText, layerDims, read);
  if (tensors.size !== 2 * L + extra.length) {
    const known = new Set(extra);
    const stray = [...tensors.keys()].find((name) => !known.has(name) && !/^[Wb][1-9]\d*$/.test(name));
    throw new ModelFormatError(`the checkpoint has an unexpected tensor "${stray}"`);
  }
  return { layerDims, dtype, hidden, output, parameters, runState: state, ...described };
}

/** Checks Model.load / Model.fromBuffer options. */
export function assertLoadOptions(fn: string, options: unknown): asserts options is LoadOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${fn}: expected options to be an object, received ${describe(options)}`);
  }
  const allow = (options as LoadOptions).allowNonFinite;
  if (allow !== undefined && typeof allow !== "boolean") {
    throw new TypeError(`${fn}: expected allowNonFinite to be a boolean, received ${describe(allow)}`);
  }
}

/** Checks a bytes argument: a Uint8Array (a Node Buffer is one). */
export function assertBytes(fn: string, bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`${fn}: expected buffer to be a Uint8Array or Buffer, received ${describe(bytes)}`);
  }
}

/** Checks a path argument. */
export function assertPath(fn: string, path: unknown): asserts path is string {
  if (typeof path !== "string" || path === "") {
    throw new TypeError(`${fn}: expected path to be a non-empty string, received ${describe(path)}`);
  }
}

/** Writes the model file atomically and durably (lib/atomic-write.ts). */
export async function saveModel(fn: string, model: SavableModel, path: string): Promise<void> {
  assertPath(fn, path);
  await writeFileAtomic(fn, path, encodeModel(contentsOf(model)));
}

/** Decodes a model file's bytes, its errors prefixed with `fn` (and the file's path when given). */
export function readModelBytes(
  fn: string,
  bytes: unknown,
  options: unknown = {},
  path?: string,
): ModelContents {
  assertBytes(fn, bytes);
  assertLoadOptions(fn, options);
  try {
    return decodeModel(fn, bytes, options);
  } catch (error) {
    if (error instanceof ModelFormatError) {
      throw new ModelFormatError(`${fn}: ${path === undefined ? "" : `${path}: `}${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
}

/** Reads and decodes a model file. */
export async function readModel(fn: string, path: unknown, options: unknown = {}): Promise<ModelContents> {
  assertPath(fn, path);
  assertLoadOptions(fn, options);
  return readModelBytes(fn, await readFile(path), options, path);
}
