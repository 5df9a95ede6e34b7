// Data sets as numpy .npz archives, np.savez(path, X=X, y=y): X is [m, n] (examples as rows, as
// numpy and scikit-learn hold them), y is [m] or [m, 1] class labels. Any integer, float or bool
// dtype. Separate from lib/npz.ts, which reads a model's float weights and nothing else.
import { readFile } from "node:fs/promises";
import { unzipSync } from "fflate";
import { inputError } from "./errors.js";

/** A 1-D or 2-D array as float64 values, row-major. */
export interface DataArray {
  rows: number;
  cols: number;
  data: Float64Array;
  /** Whether the dtype was an integer or bool one (labels print without a decimal point). */
  integer: boolean;
}

const READERS: Record<string, [number, (v: DataView, at: number) => number, boolean]> = {
  f8: [8, (v, at) => v.getFloat64(at, true), false],
  f4: [4, (v, at) => v.getFloat32(at, true), false],
  i8: [8, (v, at) => Number(v.getBigInt64(at, true)), true],
  u8: [8, (v, at) => Number(v.getBigUint64(at, true)), true],
  i4: [4, (v, at) => v.getInt32(at, true), true],
  u4: [4, (v, at) => v.getUint32(at, true), true],
  i2: [2, (v, at) => v.getInt16(at, true), true],
  u2: [2, (v, at) => v.getUint16(at, true), true],
  i1: [1, (v, at) => v.getInt8(at), true],
  u1: [1, (v, at) => v.getUint8(at), true],
  b1: [1, (v, at) => v.getUint8(at), true],
};

/** Reads one .npy entry of a data archive. */
export function decodeDataNpy(where: string, bytes: Uint8Array): DataArray {
  const fail = (what: string) => inputError(`${where}: ${what}`);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw fail("not a .npy array");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw fail(`unknown .npy version ${major}`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw fail("truncated .npy header");
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  if (dataStart > bytes.length) throw fail("truncated .npy header");
  const header = new TextDecoder("latin1").decode(bytes.subarray(8 + lengthBytes, dataStart));
  const descr = /'descr'\s*:\s*'([<>|=]?)([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shape = /'shape'\s*:\s*\(([\d\s,]*)\)/.exec(header);
  if (descr === null || fortran === null || shape === null) throw fail("malformed .npy header");
  const reader = READERS[descr[2]!];
  if (reader === undefined || (descr[1] === ">" && reader[0] > 1)) {
    throw fail(
      `has dtype '${descr[1]}${descr[2]}'; expected little-endian numbers (float, int, uint or bool)`,
    );
  }
  const dims = shape[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map(Number);
  if (dims.length < 1 || dims.length > 2) throw fail(`is ${dims.length}-D; expected 1-D or 2-D`);
  const [rows, cols = 1] = dims as [number, number?];
  const [size, read, integer] = reader;
  if (rows < 1 || cols < 1 || rows * cols * size !== bytes.length - dataStart) {
    throw fail(`has shape (${dims.join(", ")}) but ${bytes.length - dataStart} bytes of data`);
  }
  const data = new Float64Array(rows * cols);
  const isFortran = fortran[1] === "True";
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const k = isFortran ? j * rows + i : i * cols + j;
      data[i * cols + j] = read(view, dataStart + k * size);
    }
  }
  return { rows, cols, data, integer };
}

/** X and, when the archive has one, y (also accepted as Y) from a data .npz file. */
export async function readDataNpz(file: string): Promise<{ X: DataArray; y: DataArray | undefined }> {
  const bytes = await readFile(file);
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, { filter: (f) => /^(X|y|Y)\.npy$/.test(f.name) });
  } catch (error) {
    throw inputError(`${file}: not a readable .npz archive (${(error as Error).message})`);
  }
  const xBytes = entries["X.npy"];
  if (xBytes === undefined) {
    throw inputError(`${file}: the archive has no array X (save it with np.savez(path, X=X, y=y))`);
  }
  const X = decodeDataNpy(`${file}: X`, xBytes);
  const yBytes = entries["y.npy"] ?? entries["Y.npy"];
  const y = yBytes === undefined ? undefined : decodeDataNpy(`${file}: y`, yBytes);
  if (y !== undefined && (y.cols !== 1 || y.rows !== X.rows)) {
    throw inputError(
      `${file}: y has shape (${y.rows}, ${y.cols}); expected (${X.rows},) to match X's ${X.rows} rows`,
    );
  }
  return { X, y };
}
