// Models as numpy .npz archives: W1.npy, b1.npy, ... (lib/npy.ts) in a zip read and written with
// fflate. Reading goes through the central directory (np.savez writes zip64 extra fields), takes
// stored entries only, and checks every entry's name and size before fflate copies anything.
import { readFile } from "node:fs/promises";
import { type UnzipFileInfo, unzipSync, zipSync } from "fflate";
import { writeFileAtomic } from "./atomic-write.js";
import { Matrix, describe } from "./matrix.js";
import { ModelFormatError } from "./model-format-error.js";
import { type SavableModel, assertPath } from "./model-file.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import type { DType, Hidden, MatrixDict, Output } from "./types.js";
import { HIDDEN, OUTPUTS } from "./native.js";
import { assertOneOf } from "./errors.js";

/** Options of Model.fromNpz: the activations the arrays were trained with. */
export interface NpzOptions {
  hidden?: Hidden;
  output?: Output;
}

/** An npz's parameters and their dtype. */
export interface NpzContents {
  dtype: DType;
  parameters: MatrixDict;
}

const MAX_ENTRIES = 20_000;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** The zip CRC-32 of some bytes. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Each entry's CRC-32 as the central directory states it (fflate reads the directory but does not
 * check CRCs, so a flipped byte in an entry's data would load as a wrong weight).
 * @throws {ModelFormatError} when the directory cannot be walked
 */
function centralCrcs(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (what: string) => new ModelFormatError(`the zip central directory ${what}`);
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 65557); p--) {
    if (view.getUint32(p, true) === 0x06054b50) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) throw bad("has no end record");
  let entries = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (offset === 0xffffffff || entries === 0xffff) {
    // zip64: the locator just before the end record points at the zip64 end record.
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== 0x07064b50) throw bad("has no zip64 locator");
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > bytes.length || view.getUint32(record, true) !== 0x06064b50) {
      throw bad("has no zip64 end record");
    }
    entries = Number(view.getBigUint64(record + 32, true));
    offset = Number(view.getBigUint64(record + 48, true));
  }
  const crcs = new Map<string, number>();
  const decoder = new TextDecoder();
  let p = offset;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50)
      throw bad(`entry ${i} is unreadable`);
    const nameLength = view.getUint16(p + 28, true);
    const next = p + 46 + nameLength + view.getUint16(p + 30, true) + view.getUint16(p + 32, true);
    if (next > bytes.length) throw bad(`entry ${i} runs past the end of the archive`);
    crcs.set(decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength)), view.getUint32(p + 16, true));
    p = next;
  }
  return crcs;
}

/** The .npz bytes of a model's parameters, stored uncompressed as np.savez does. */
export function encodeNpz(model: SavableModel): Uint8Array {
  const parameters = model.parameters;
  const files: Record<string, [Uint8Array, { level: 0 }]> = {};
  for (let l = 1; l < model.layerDims.length; l++) {
    for (const key of [`W${l}`, `b${l}`]) {
      const m = parameters[key]!;
      files[`${key}.npy`] = [encodeNpy(model.dtype, m.rows, m.cols, m.data), { level: 0 }];
    }
  }
  return zipSync(files);
}

/** Writes a model's .npz atomically (lib/atomic-write.ts). */
export async function exportNpz(fn: string, model: SavableModel, path: unknown): Promise<void> {
  assertPath(fn, path);
  await writeFileAtomic(fn, path, encodeNpz(model));
}

/** Checks fromNpz's options: activations the Model runs. */
export function assertNpzOptions(fn: string, options: unknown): asserts options is NpzOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${fn}: expected options to be an object { hidden, output }, received ${describe(options)}`,
    );
  }
  const { hidden = "relu", output = "sigmoid" } = options as NpzOptions;
  assertOneOf(fn, "hidden", hidden, HIDDEN);
  assertOneOf(fn, "output", output, OUTPUTS);
}

/**
 * Reads W1..WL and b1..bL from .npz bytes: stored entries named `W<l>.npy` / `b<l>.npy` only, all
 * 2-D in one dtype (float64 or float32), with shapes that chain and an output layer that fits
 * `output` (1 unit for sigmoid, at least 2 for softmax).
 * @throws {ModelFormatError} saying what is wrong
 */
export function decodeNpz(fn: string, bytes: Uint8Array, output: Output = "sigmoid"): NpzContents {
  const seen = new Set<string>();
  let claimed = 0;
  const filter = (file: UnzipFileInfo): boolean => {
    if (seen.size >= MAX_ENTRIES)
      throw new ModelFormatError(`the archive has more than ${MAX_ENTRIES} entries`);
    if (!/^[Wb][1-9]\d{0,5}\.npy$/.test(file.name)) {
      throw new ModelFormatError(
        `unexpected entry ${JSON.stringify(file.name.slice(0, 80))} (expected W1.npy, b1.npy, ...)`,
      );
    }
    if (seen.has(file.name)) throw new ModelFormatError(`the entry ${file.name} appears twice`);
    seen.add(file.name);
    if (file.compression !== 0) {
      throw new ModelFormatError(
        `${file.name} is compressed (method ${file.compression}); blasnet reads np.savez archives, not np.savez_compressed`,
      );
    }
    // Stored entries are copied out of the file: together they must fit in it.
    claimed += file.size;
    if (!Number.isSafeInteger(file.size) || file.size < 0 || claimed > bytes.length) {
      throw new ModelFormatError(`the entries claim more bytes than the ${bytes.length}-byte archive holds`);
    }
    return true;
  };
  let files: Record<string, Uint8Array>;
  if (bytes.length < 22)
    throw new ModelFormatError(`the archive holds ${bytes.length} bytes, too few for a zip`);
  try {
    files = unzipSync(bytes, { filter });
  } catch (error) {
    if (error instanceof ModelFormatError) throw error;
    throw new ModelFormatError(`not a readable zip archive (${(error as Error).message})`, { cause: error });
  }
  const crcs = centralCrcs(bytes);
  for (const name of seen) {
    const data = files[name];
    if (data !== undefined && crc32(data) !== crcs.get(name)) {
      throw new ModelFormatError(`${name} fails its CRC-32 check: the archive is corrupted`);
    }
  }
  const L = [...seen].filter((n) => n.startsWith("W")).length;
  if (L === 0) throw new ModelFormatError("the archive has no W1.npy");
  const parameters: MatrixDict = {};
  let dtype: DType | undefined;
  let previous = 0;
  for (let l = 1; l <= L; l++) {
    for (const key of [`W${l}`, `b${l}`]) {
      const entry = seen.has(`${key}.npy`) ? files[`${key}.npy`] : undefined;
      if (entry === undefined) {
        throw new ModelFormatError(`the archive has no ${key}.npy (expected W1..W${L} and b1..b${L})`);
      }
      const array = decodeNpy(fn, `${key}.npy`, entry);
      dtype ??= array.dtype;
      if (array.dtype !== dtype)
        throw new ModelFormatError(`${key}.npy is ${array.dtype} but W1.npy is ${dtype}`);
      const shape = `(${array.rows}, ${array.cols})`;
      if (key.startsWith("W")) {
        if (l > 1 && array.cols !== previous) {
          throw new ModelFormatError(`${key}.npy has shape ${shape} but W${l - 1}.npy has ${previous} rows`);
        }
        previous = array.rows;
      } else if (array.rows !== previous || array.cols !== 1) {
        throw new ModelFormatError(`${key}.npy has shape ${shape}; expected (${previous}, 1)`);
      }
      parameters[key] = new Matrix(array.rows, array.cols, array.data);
    }
  }
  if (output === "sigmoid" && previous !== 1) {
    throw new ModelFormatError(`W${L}.npy has ${previous} rows; a sigmoid output has 1`);
  }
  if (output === "softmax" && previous < 2) {
    throw new ModelFormatError(`W${L}.npy has ${previous} rows; a softmax output has at least 2`);
  }
  return { dtype: dtype!, parameters };
}

/** Reads an .npz file (see decodeNpz), its errors prefixed with `fn` and the path. */
export async function readNpz(fn: string, path: unknown, options: unknown = {}): Promise<NpzContents> {
  assertPath(fn, path);
  assertNpzOptions(fn, options);
  const bytes = await readFile(path);
  try {
    return decodeNpz(fn, bytes, (options as NpzOptions).output);
  } catch (error) {
    if (error instanceof ModelFormatError) {
      throw new ModelFormatError(`${fn}: ${path}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
