// numpy's .npy format for 2-D float64/float32 arrays: writing, and strict reading of what numpy
// writes (the "\x93NUMPY" magic, versions 1 to 3, a header dict of descr, fortran_order and shape).
// The header is matched, never evaluated.
import { allocateFloat64 } from "./budget.js";
import { ModelFormatError } from "./model-format-error.js";
import type { DType } from "./types.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** The descr numpy writes for each dtype, little-endian. */
const DESCR: Record<DType, string> = { float64: "<f8", float32: "<f4" };

/** A 2-D array read from a .npy file, as row-major float64 values (exact for float32). */
export interface NpyArray {
  dtype: DType;
  rows: number;
  cols: number;
  data: Float64Array;
}

/**
 * The .npy (version 1.0) bytes of a row-major `[rows, cols]` array, written as `dtype`; the header
 * is padded so the data starts 64-byte aligned, as numpy does.
 */
export function encodeNpy(dtype: DType, rows: number, cols: number, data: Float64Array): Uint8Array {
  const dict = `{'descr': '${DESCR[dtype]}', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const headerLength = Math.ceil(unpadded / 64) * 64 - MAGIC.length - 4;
  const header = dict.padEnd(headerLength - 1, " ") + "\n";
  const size = dtype === "float64" ? 8 : 4;
  const out = new Uint8Array(MAGIC.length + 4 + headerLength + data.length * size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  view.setUint16(8, headerLength, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let at = 10 + headerLength;
  for (let i = 0; i < data.length; i++, at += size) {
    if (dtype === "float64") view.setFloat64(at, data[i]!, true);
    else view.setFloat32(at, data[i]!, true);
  }
  return out;
}

/** The header dict numpy writes: keys in any order, Python literals, trailing comma and spaces allowed. */
const HEADER =
  /^\{\s*(?:'descr'\s*:\s*'(?<descr>[^']*)'|'fortran_order'\s*:\s*(?<fortran>True|False)|'shape'\s*:\s*\((?<shape>[\d\s,]*)\))\s*,\s*(?:'descr'\s*:\s*'(?<descr2>[^']*)'|'fortran_order'\s*:\s*(?<fortran2>True|False)|'shape'\s*:\s*\((?<shape2>[\d\s,]*)\))\s*,\s*(?:'descr'\s*:\s*'(?<descr3>[^']*)'|'fortran_order'\s*:\s*(?<fortran3>True|False)|'shape'\s*:\s*\((?<shape3>[\d\s,]*)\))\s*,?\s*\}\s*$/;

/**
 * Reads a 2-D float64 or float32 array from .npy bytes (C or Fortran order), checking that the
 * data holds exactly the shape's values. `name` prefixes the errors.
 * @throws {ModelFormatError} for anything else: another dtype, another rank, a malformed header,
 * a data length that does not match
 */
export function decodeNpy(fn: string, name: string, bytes: Uint8Array): NpyArray {
  const fail = (what: string) => new ModelFormatError(`${name}: ${what}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
    throw fail("not a .npy file (no \\x93NUMPY magic)");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major < 1 || major > 3) throw fail(`unknown .npy version ${major}.${bytes[7]}`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail("truncated .npy header");
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) {
    throw fail(`the .npy header length ${headerLength} runs past the entry's ${bytes.length} bytes`);
  }
  let header: string;
  try {
    header = new TextDecoder(major === 3 ? "utf-8" : "latin1", { fatal: true }).decode(
      bytes.subarray(8 + lengthBytes, dataStart),
    );
  } catch {
    throw fail("the .npy header is not text");
  }
  const match = HEADER.exec(header);
  const groups = match?.groups ?? {};
  const descrs = [groups.descr, groups.descr2, groups.descr3].filter((v) => v !== undefined);
  const fortrans = [groups.fortran, groups.fortran2, groups.fortran3].filter((v) => v !== undefined);
  const shapes = [groups.shape, groups.shape2, groups.shape3].filter((v) => v !== undefined);
  if (match === null || descrs.length !== 1 || fortrans.length !== 1 || shapes.length !== 1) {
    throw fail(`malformed .npy header ${JSON.stringify(header.trim().slice(0, 120))}`);
  }
  const descr = descrs[0]!;
  const dtype = descr === "<f8" ? "float64" : descr === "<f4" ? "float32" : undefined;
  if (dtype === undefined) {
    throw fail(`has dtype '${descr}'; blasnet reads float64 ('<f8') and float32 ('<f4') arrays`);
  }
  const dims = shapes[0]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (dims.length !== 2) throw fail(`is ${dims.length}-D (shape (${dims.join(", ")})); expected a 2-D array`);
  const [rows, cols] = dims.map(Number) as [number, number];
  const size = dtype === "float64" ? 8 : 4;
  const available = (bytes.length - dataStart) / size;
  if (
    !Number.isSafeInteger(rows) ||
    !Number.isSafeInteger(cols) ||
    rows < 1 ||
    cols < 1 ||
    rows * cols !== available
  ) {
    throw fail(`has shape (${rows}, ${cols}) but its data holds ${bytes.length - dataStart} bytes`);
  }
  const data = allocateFloat64(fn, rows * cols, name);
  const fortran = fortrans[0] === "True";
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = fortran ? j * rows + i : i * cols + j;
      const at = dataStart + k * size;
      data[i * cols + j] = dtype === "float64" ? view.getFloat64(at, true) : view.getFloat32(at, true);
    }
  }
  return { dtype, rows, cols, data };
}
