// The safetensors container: an 8-byte little-endian header length, a JSON header naming each
// tensor's dtype, shape and data_offsets (plus a string-valued __metadata__), then raw
// little-endian data. Encoding and a strict, allocation-bounded decoding of the layout only; what
// the tensors mean is lib/model-file.ts's business.
import { ModelFormatError } from "./model-format-error.js";

/** The tensor dtypes blasnet writes and reads. */
export type TensorDType = "F64" | "F32";

/** One tensor to write: its data is written as little-endian values of `dtype`. */
export interface TensorInput {
  name: string;
  dtype: TensorDType;
  shape: readonly number[];
  data: Float64Array | Float32Array;
}

/** One tensor as a decoded header describes it; its bytes are `bytes[dataStart + begin, dataStart + end)`. */
export interface TensorEntry {
  dtype: TensorDType;
  shape: number[];
  begin: number;
  end: number;
}

export interface DecodedSafetensors {
  /** `__metadata__`, string values only (an object without prototype). */
  metadata: Record<string, string>;
  /** Tensors in the order of their data offsets. */
  tensors: Map<string, TensorEntry>;
  /** Where the data section starts in the buffer. */
  dataStart: number;
}

/** The safetensors reference implementation's cap on the header; far above anything blasnet writes. */
export const MAX_HEADER_BYTES = 100_000_000;

const ITEM_BYTES: Record<TensorDType, number> = { F64: 8, F32: 4 };

/** Bytes per element of a tensor dtype. */
export function itemBytes(dtype: TensorDType): number {
  return ITEM_BYTES[dtype];
}

/**
 * The safetensors bytes of `tensors`, laid out contiguously in the given order, the header padded
 * with spaces so the data starts 8-byte aligned (as the reference implementation does).
 */
export function encodeSafetensors(
  tensors: readonly TensorInput[],
  metadata: Record<string, string>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const t of tensors) {
    const bytes = t.data.length * itemBytes(t.dtype);
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil((8 + json.length) / 8) * 8 - 8;
  if (padded !== json.length) {
    const spaced = new Uint8Array(padded).fill(0x20);
    spaced.set(json);
    json = spaced;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors) {
    const size = itemBytes(t.dtype);
    for (let i = 0; i < t.data.length; i++, at += size) {
      if (t.dtype === "F64") view.setFloat64(at, t.data[i]!, true);
      else view.setFloat32(at, t.data[i]!, true);
    }
  }
  return out;
}

/**
 * JSON.parse's reviver for untrusted headers: a `__proto__` key (which JSON.parse makes an own
 * property, but which a later spread or assignment would turn into a prototype) is refused.
 */
function refuseProtoKeys(this: unknown, key: string, value: unknown): unknown {
  if (key === "__proto__") throw new ModelFormatError(`the header has a "__proto__" key`);
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isOffset(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Decodes and checks the layout of safetensors bytes, without copying any tensor data: header
 * length within the file, UTF-8 JSON, string metadata, known dtypes, integer shapes whose element
 * count times the item size equals the data_offsets span, tensors that neither overlap nor leave
 * holes and exactly cover the data section.
 * @throws {ModelFormatError} saying what is wrong
 */
export function decodeSafetensors(bytes: Uint8Array): DecodedSafetensors {
  if (bytes.length < 8) {
    throw new ModelFormatError(`the file holds ${bytes.length} bytes, fewer than the 8-byte header length`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const declared = view.getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    throw new ModelFormatError(
      `the header length is ${declared} bytes but only ${bytes.length - 8} bytes follow it (truncated file?)`,
    );
  }
  const headerLength = Number(declared);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new ModelFormatError(
      `the header length ${headerLength} is over the limit of ${MAX_HEADER_BYTES} bytes`,
    );
  }
  if (headerLength < 2) throw new ModelFormatError(`the header length ${headerLength} is too short for JSON`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch (error) {
    throw new ModelFormatError("the header is not valid UTF-8", { cause: error });
  }
  let header: unknown;
  try {
    header = JSON.parse(text, refuseProtoKeys);
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`the header is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (!isPlainObject(header)) throw new ModelFormatError("the header is not a JSON object");

  const metadata: Record<string, string> = Object.create(null);
  const rawMetadata = Object.hasOwn(header, "__metadata__") ? header.__metadata__ : undefined;
  if (rawMetadata !== undefined) {
    if (!isPlainObject(rawMetadata)) throw new ModelFormatError(`"__metadata__" is not an object`);
    for (const key of Object.keys(rawMetadata)) {
      const value = rawMetadata[key];
      if (typeof value !== "string") {
        throw new ModelFormatError(
          `"__metadata__.${key}" is not a string (safetensors metadata holds strings)`,
        );
      }
      metadata[key] = value;
    }
  }

  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const entries: [string, TensorEntry][] = [];
  for (const name of Object.keys(header)) {
    if (name === "__metadata__") continue;
    const raw = header[name];
    const where = `tensor "${name}"`;
    if (!isPlainObject(raw)) throw new ModelFormatError(`${where} is not an object`);
    for (const key of Object.keys(raw)) {
      if (key !== "dtype" && key !== "shape" && key !== "data_offsets") {
        throw new ModelFormatError(`${where} has an unknown field "${key}"`);
      }
    }
    const { dtype, shape, data_offsets: offsets } = raw;
    if (dtype !== "F64" && dtype !== "F32") {
      throw new ModelFormatError(
        `${where} has dtype ${JSON.stringify(dtype)}; blasnet reads "F64" and "F32"`,
      );
    }
    if (!Array.isArray(shape) || !shape.every(isOffset)) {
      throw new ModelFormatError(`${where} has a shape that is not a list of non-negative integers`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isOffset)) {
      throw new ModelFormatError(`${where} has data_offsets that are not two non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw new ModelFormatError(
        `${where} has data_offsets [${begin}, ${end}] outside the ${dataLength} data bytes (truncated file?)`,
      );
    }
    // Counted against the span as it grows, so a shape claiming 2^40 (or 2^80) elements fails
    // before any arithmetic leaves the safe integers and before anything is allocated.
    const span = (end - begin) / itemBytes(dtype);
    let count = 1;
    for (const n of shape as number[]) {
      count *= n;
      if (count > span) break;
    }
    if (count !== span) {
      const claimed = (shape as number[]).reduce((a, n) => a * n, 1);
      throw new ModelFormatError(
        `${where} has shape [${(shape as number[]).join(", ")}] (${claimed} elements) but data_offsets ` +
          `[${begin}, ${end}] hold ${end - begin} bytes, ${span} ${dtype} values`,
      );
    }
    entries.push([name, { dtype, shape: [...(shape as number[])], begin, end }]);
  }
  entries.sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let covered = 0;
  for (const [name, entry] of entries) {
    if (entry.begin < covered) {
      throw new ModelFormatError(
        `tensor "${name}" overlaps the tensor before it (its data starts at ${entry.begin}, before ${covered})`,
      );
    }
    if (entry.begin > covered) {
      throw new ModelFormatError(
        `the data bytes [${covered}, ${entry.begin}) before tensor "${name}" belong to no tensor`,
      );
    }
    covered = entry.end;
  }
  if (covered !== dataLength) {
    throw new ModelFormatError(`the data section holds ${dataLength} bytes but the tensors cover ${covered}`);
  }
  return { metadata, tensors: new Map(entries), dataStart };
}
