// Loads the cat-vs-non-cat HDF5 images into Matrices laid out exactly like the numpy notebook's, so results can be compared number for number.

import { statSync } from "node:fs";
import path from "node:path";
import type { Dataset, File as H5File, OutputData } from "h5wasm/node";

/** The h5wasm module. Loaded on first use: its wasm heap adds ~600 MB of RSS to any process that imports it. */
type H5wasm = typeof import("h5wasm/node").default;
import { allocateFloat64 } from "./budget.js";
import { Matrix, describe } from "./matrix.js";

/** The cat-vs-non-cat images and labels, examples as columns. */
export interface CatDataset {
  /** `[12288, 209]` pixels scaled to [0, 1]; column j is training image j flattened as height, width, channel. */
  trainX: Matrix;
  /** `[1, 209]` labels, 1 for cat and 0 for non-cat. */
  trainY: Matrix;
  /** `[12288, 50]` test pixels, laid out like `trainX`. */
  testX: Matrix;
  /** `[1, 50]` test labels. */
  testY: Matrix;
  /** Label names indexed by label value: `["non-cat", "cat"]`. */
  classes: string[];
}

const TRAIN_FILE = "train_catvnoncat.h5";
const TEST_FILE = "test_catvnoncat.h5";

/** `i / 255` for every byte, so the pixel loop does a load instead of a division yet matches numpy's `x / 255` exactly. */
const BYTE_TO_UNIT = Float64Array.from({ length: 256 }, (_, i) => i / 255);

/**
 * Where the datasets are looked for when no directory is given.
 * @returns `process.env.BLASNET_DATA_DIR` when set and non-empty, else `../shared/datasets` resolved
 *   against the working directory
 * @example
 * process.env.BLASNET_DATA_DIR = "/data/course";
 * defaultDataDir(); // "/data/course"
 */
export function defaultDataDir(): string {
  const fromEnv = process.env.BLASNET_DATA_DIR;
  return fromEnv !== undefined && fromEnv !== ""
    ? fromEnv
    : path.resolve(process.cwd(), "../shared/datasets");
}

/**
 * Whether both cat dataset files are present, so callers (tests, demos) can skip instead of failing.
 * @param dir the directory to look in (default: {@link defaultDataDir})
 * @returns true when `train_catvnoncat.h5` and `test_catvnoncat.h5` both exist there as files
 * @example
 * if (catDataAvailable()) console.log((await loadCatDataset()).trainX.shape);
 */
export function catDataAvailable(dir: string = defaultDataDir()): boolean {
  if (typeof dir !== "string" || dir === "") return false;
  return missingFiles(dir).length === 0;
}

/** The dataset files that are not regular files in `dir`. */
function missingFiles(dir: string): string[] {
  return [TRAIN_FILE, TEST_FILE].filter((name) => !isFile(path.join(dir, name)));
}

/**
 * Loads the cat-vs-non-cat dataset as the notebook prepares it: `X = x_orig.reshape(m, -1).T / 255`
 * and `Y = y_orig.reshape(1, m)`.
 * @param dir the directory holding `train_catvnoncat.h5` and `test_catvnoncat.h5`
 *   (default: {@link defaultDataDir}, i.e. `BLASNET_DATA_DIR` or `../shared/datasets`)
 * @returns the train and test matrices (`[12288, 209]`, `[1, 209]`, `[12288, 50]`, `[1, 50]`) and the class names
 * @throws {TypeError} when dir is not a non-empty string, or a dataset has an unexpected type
 * @throws {Error} when a file is missing (the message names it and how to point at the data),
 *   is not HDF5, or lacks a dataset
 * @throws {RangeError} when a dataset's shape is malformed, the train and test image sizes differ,
 *   or a label is not 0 or 1
 * @example
 * const { trainX, trainY, classes } = await loadCatDataset("/data/course");
 * trainX.shape; // [12288, 209]
 * classes[trainY.get(0, 2)]; // "cat"
 */
export async function loadCatDataset(dir?: string): Promise<CatDataset> {
  if (dir !== undefined && (typeof dir !== "string" || dir === "")) {
    throw new TypeError(`loadCatDataset: expected dir to be a non-empty string, received ${describe(dir)}`);
  }
  const root = path.resolve(dir ?? defaultDataDir());
  // Check both files before opening either, so the message lists everything that is missing at once.
  const missing = missingFiles(root);
  if (missing.length > 0) {
    throw new Error(missingMessage(root, missing, dir === undefined));
  }

  const h5wasm = (await import("h5wasm/node")).default;
  await h5wasm.ready;
  const train = readSplit(h5wasm, path.join(root, TRAIN_FILE), "train");
  const test = readSplit(h5wasm, path.join(root, TEST_FILE), "test");
  if (train.x.rows !== test.x.rows) {
    throw new RangeError(
      `loadCatDataset: train images have ${train.x.rows} values each but test images have ${test.x.rows}`,
    );
  }
  // The notebook takes the class names from the test file; they are the same in both.
  return { trainX: train.x, trainY: train.y, testX: test.x, testY: test.y, classes: test.classes };
}

/** One cat .h5 file's images and labels, examples as columns. */
export interface CatFile {
  /** `[pixels, m]` scaled to [0, 1], laid out like CatDataset's trainX. */
  X: Matrix;
  /** `[1, m]` 0/1 labels. */
  Y: Matrix;
  /** Label names indexed by label value, from the file's `list_classes` (empty when it has none). */
  classes: string[];
}

/**
 * Loads one file of the cat layout (`train_set_x`/`train_set_y` or `test_set_x`/`test_set_y`, and
 * `list_classes` when present), prepared like loadCatDataset's.
 * @param file the path of an .h5 file
 * @returns X `[pixels, m]`, Y `[1, m]` and the class names
 * @throws {Error} when the file is missing, not HDF5, or has neither split; and as loadCatDataset
 * @example const { X, Y, classes } = await loadCatFile("train_catvnoncat.h5")
 */
export async function loadCatFile(file: string): Promise<CatFile> {
  if (typeof file !== "string" || file === "") {
    throw new TypeError(`loadCatFile: expected file to be a non-empty string, received ${describe(file)}`);
  }
  if (!isFile(file)) throw new Error(`loadCatFile: cannot find the file ${file}`);
  const h5wasm = (await import("h5wasm/node")).default;
  await h5wasm.ready;
  const { x, y, classes } = readSplit(h5wasm, file, "either");
  return { X: x, Y: y, classes };
}

function missingMessage(root: string, missing: string[], usedDefault: boolean): string {
  const where = usedDefault
    ? process.env.BLASNET_DATA_DIR
      ? " (from BLASNET_DATA_DIR)"
      : " (the default, ../shared/datasets from the working directory)"
    : "";
  const what = isDirectory(root) ? "" : "; that directory does not exist";
  return (
    `loadCatDataset: cannot find ${missing.join(" and ")} in ${root}${where}${what}. ` +
    `Set BLASNET_DATA_DIR to the directory holding ${TRAIN_FILE} and ${TEST_FILE}, ` +
    `or pass it as loadCatDataset(dir).`
  );
}

function readSplit(
  h5wasm: H5wasm,
  file: string,
  wanted: "train" | "test" | "either",
): { x: Matrix; y: Matrix; classes: string[] } {
  let h5: H5File;
  try {
    h5 = new h5wasm.File(file, "r");
  } catch (cause) {
    throw new Error(`loadCatDataset: cannot open ${file} as an HDF5 file`, { cause });
  }
  // h5wasm does not throw on a non-HDF5 file: it hands back an invalid id and the next call fails with
  // "name not defined", which says neither which file nor why.
  if (h5.file_id < 0n) {
    throw new Error(`loadCatDataset: cannot open ${file} as an HDF5 file (is it truncated or not HDF5?)`);
  }
  try {
    // "either" takes whichever split the file holds (loadCatFile), and its classes when it has them.
    const keys = h5.keys();
    const split = wanted !== "either" ? wanted : keys.includes("test_set_x") ? "test" : "train";
    const x = readImages(file, dataset(h5wasm, h5, file, `${split}_set_x`));
    const y = readLabels(file, dataset(h5wasm, h5, file, `${split}_set_y`), x.cols);
    const hasClasses = wanted === "test" || (wanted === "either" && keys.includes("list_classes"));
    const classes = hasClasses ? readClasses(file, dataset(h5wasm, h5, file, "list_classes")) : [];
    return { x, y, classes };
  } finally {
    // The wasm heap holds the file handle; leaking it keeps the file open for the process's lifetime.
    h5.close();
  }
}

function dataset(h5wasm: H5wasm, h5: H5File, file: string, name: string): Dataset {
  // Checking keys first avoids HDF5's diagnostic dump on stderr for a missing name.
  const entity = h5.keys().includes(name) ? h5.get(name) : null;
  if (!(entity instanceof h5wasm.Dataset)) {
    throw new Error(`loadCatDataset: ${file} has no dataset "${name}"`);
  }
  return entity;
}

/** `[m, ...pixel dims]` uint8 images to a `[pixels, m]` matrix scaled to [0, 1]. */
function readImages(file: string, ds: Dataset): Matrix {
  const shape = ds.shape ?? [];
  if (shape.length < 2 || !shape.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new RangeError(
      `loadCatDataset: dataset "${ds.path}" in ${file} has shape ${shapeText(shape)}, ` +
        `expected [examples, height, width, channels]`,
    );
  }
  const raw = ds.value;
  if (!(raw instanceof Uint8Array)) {
    throw new TypeError(
      `loadCatDataset: dataset "${ds.path}" in ${file} holds ${String(ds.dtype)} values (${describe(raw)}), expected uint8 pixels`,
    );
  }
  const m = shape[0] as number;
  const n = raw.length / m;
  if (!Number.isInteger(n) || raw.length !== shape.reduce((a, b) => a * b, 1)) {
    throw new RangeError(
      `loadCatDataset: dataset "${ds.path}" in ${file} has shape ${shapeText(shape)} but ${raw.length} values`,
    );
  }
  const out = allocateFloat64("loadCatDataset", n * m, `the [${n}, ${m}] pixels of "${ds.path}" in ${file}`);
  // Pixel-major outer loop: writes stream sequentially, and the m source rows being read (one cache line
  // each) stay cached across consecutive k, so the transpose costs about one pass over each buffer.
  for (let k = 0; k < n; k++) {
    const row = k * m;
    for (let j = 0; j < m; j++) {
      out[row + j] = BYTE_TO_UNIT[raw[j * n + k] as number] as number;
    }
  }
  return new Matrix(n, m, out);
}

/** `[m]` (or `[1, m]`) 0/1 labels of any integer or float type to a `[1, m]` float64 matrix. */
function readLabels(file: string, ds: Dataset, m: number): Matrix {
  const shape = ds.shape ?? [];
  const size = shape.reduce((a, b) => a * b, 1);
  const nonUnit = shape.filter((d) => d !== 1).length;
  if (shape.length === 0 || size !== m || nonUnit > 1) {
    throw new RangeError(
      `loadCatDataset: dataset "${ds.path}" in ${file} has shape ${shapeText(shape)}, expected [${m}] to match the images`,
    );
  }
  const raw = ds.value;
  const values = numericValues(raw);
  if (values === null || values.length !== m) {
    throw new TypeError(
      `loadCatDataset: dataset "${ds.path}" in ${file} holds ${String(ds.dtype)} values (${describe(raw)}), expected ${m} numeric labels`,
    );
  }
  const out = allocateFloat64("loadCatDataset", m, `the ${m} labels of "${ds.path}" in ${file}`);
  for (let j = 0; j < m; j++) {
    const v = Number(values[j]);
    if (v !== 0 && v !== 1) {
      throw new RangeError(
        `loadCatDataset: dataset "${ds.path}" in ${file} has label ${v} at index ${j}, expected 0 or 1`,
      );
    }
    out[j] = v;
  }
  return new Matrix(1, m, out);
}

/** Indexable numeric view of a dataset value, or null when it is not a numeric typed array. */
function numericValues(v: OutputData | null): ArrayLike<number | bigint> | null {
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<number>;
  return null;
}

/** Fixed-length byte strings to JS strings, without the NUL padding HDF5 may keep. */
function readClasses(file: string, ds: Dataset): string[] {
  const raw = ds.value;
  const items: unknown[] = Array.isArray(raw) ? raw : [raw];
  const decoder = new TextDecoder();
  return items.map((item, i) => {
    let s: string;
    if (typeof item === "string") s = item;
    else if (item instanceof Uint8Array) s = decoder.decode(item);
    else {
      throw new TypeError(
        `loadCatDataset: dataset "${ds.path}" in ${file} holds ${describe(item)} at index ${i}, expected strings`,
      );
    }
    return s.replace(/\0+$/, "");
  });
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
