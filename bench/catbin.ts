// The cat training set as raw little-endian float64 files, X.bin [n0, m] and Y.bin [1, m], row-major:
// the orchestrator writes them once, and every contender (blasnet and numpy) reads the same bytes.
// Contenders then never load h5wasm, whose wasm heap alone adds ~600 MB to a process's peak RSS.
import { closeSync, mkdtempSync, openSync, readSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadCatDataset } from "../lib/data.js";
import { Matrix } from "../lib/matrix.js";

/**
 * Loads the cat dataset from dataDir and writes its training set into a fresh temp directory.
 * @returns the directory; the caller removes it
 */
export async function writeCatBins(dataDir: string): Promise<string> {
  if (os.endianness() !== "LE") throw new Error("bench: the .bin files are read as little-endian float64");
  const { trainX, trainY } = await loadCatDataset(dataDir);
  const dir = mkdtempSync(path.join(os.tmpdir(), "blasnet-bench-"));
  writeFileSync(path.join(dir, "X.bin"), trainX.data);
  writeFileSync(path.join(dir, "Y.bin"), trainY.data);
  return dir;
}

// Reads straight into the matrix's buffer: a Buffer in between would double the peak RSS.
export function readMatrix(file: string, rows: number, cols: number): Matrix {
  const size = statSync(file).size;
  if (size !== rows * cols * 8) {
    throw new RangeError(`bench: ${file} holds ${size} bytes, expected [${rows}, ${cols}] float64`);
  }
  const data = new Float64Array(rows * cols);
  const fd = openSync(file, "r");
  try {
    const bytes = new Uint8Array(data.buffer);
    for (let at = 0; at < bytes.length;) at += readSync(fd, bytes, at, bytes.length - at, at);
  } finally {
    closeSync(fd);
  }
  return new Matrix(rows, cols, data);
}

/** X [n0, m] and Y [1, m] from a directory written by writeCatBins. */
export function readCatBins(dir: string, n0: number, m: number): { X: Matrix; Y: Matrix } {
  return { X: readMatrix(path.join(dir, "X.bin"), n0, m), Y: readMatrix(path.join(dir, "Y.bin"), 1, m) };
}
