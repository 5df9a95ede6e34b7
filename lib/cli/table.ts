// Reads the command line's data files into features and labels: CSV with a header (csv-parse), a
// data .npz (X and y) or a file of the cat .h5 layout, told apart by their first bytes.
import { readFile } from "node:fs/promises";
import { statSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { loadCatFile } from "../data.js";
import { Matrix } from "../matrix.js";
import { inputError, usageError } from "./errors.js";
import { readDataNpz } from "./npz-data.js";

/** A data set as the commands use it. */
export interface Table {
  /** Where it came from, for messages. */
  file: string;
  /** The feature names: CSV header names, or x0, x1, ... for files without names. */
  features: string[];
  /** Whether the feature names are the file's own (CSV) rather than positions. */
  named: boolean;
  /** [n, m]: features as rows, examples as columns. */
  X: Matrix;
  /** The target value of each example, as text, when the file has targets. */
  labels?: string[];
  /** The class names in the order the file declares them (the cat layout's list_classes). */
  classOrder?: string[];
  /** Where each example is, for messages ("line 7"). */
  where: (j: number) => string;
}

/** What to read: the target column's name, whether it must be there, and the features to pick. */
export interface TableRequest {
  target?: string;
  requireTarget: boolean;
  /** Pick these columns by name (CSV), in this order; otherwise every column but the target. */
  features?: readonly string[];
  /** What to say when CSV data needs a target and none is named (default: train's --target advice). */
  noTarget?: string;
}

const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46];
const ZIP_MAGIC = [0x50, 0x4b];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

/** Reads a data file, whatever its format. */
export async function readTable(file: string, request: TableRequest): Promise<Table> {
  let stat;
  try {
    stat = statSync(file);
  } catch {
    throw inputError(`${file}: no such file`);
  }
  if (!stat.isFile()) throw inputError(`${file}: not a file`);
  if (stat.size === 0) throw inputError(`${file}: the file is empty`);
  const bytes = await readFile(file);
  if (startsWith(bytes, HDF5_MAGIC)) return readCat(file);
  if (startsWith(bytes, ZIP_MAGIC)) return readNpzTable(file, request);
  return readCsv(file, bytes, request);
}

function positional(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `x${i}`);
}

async function readCat(file: string): Promise<Table> {
  let cat;
  try {
    cat = await loadCatFile(file);
  } catch (error) {
    throw inputError(`${file}: ${(error as Error).message.replace(/^[A-Za-z.]+: /, "")}`);
  }
  const { X, Y, classes } = cat;
  const labels = Array.from(Y.data, (v) => classes[v] ?? String(v));
  return {
    file,
    features: positional(X.rows),
    named: false,
    X,
    labels,
    ...(classes.length > 0 ? { classOrder: classes } : {}),
    where: (j) => `image ${j}`,
  };
}

async function readNpzTable(file: string, request: TableRequest): Promise<Table> {
  const { X: raw, y } = await readDataNpz(file);
  const m = raw.rows;
  const n = raw.cols;
  const X = new Matrix(n, m);
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++) {
      const v = raw.data[j * n + i]!;
      if (!Number.isFinite(v))
        throw inputError(`${file}: X[${j}, ${i}] is ${v}; features must be finite numbers`);
      X.data[i * m + j] = v;
    }
  }
  if (request.requireTarget && y === undefined) {
    throw inputError(`${file}: the archive has no array y with the targets`);
  }
  const labels = y === undefined ? undefined : Array.from(y.data, (v) => String(v));
  return {
    file,
    features: positional(n),
    named: false,
    X,
    ...(labels === undefined ? {} : { labels }),
    where: (j) => `row ${j}`,
  };
}

function readCsv(file: string, bytes: Uint8Array, request: TableRequest): Table {
  const text = new TextDecoder().decode(bytes);
  if (text.replace(/^\uFEFF/, "").trim() === "") throw inputError(`${file}: the file is empty`);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      skip_empty_lines: true,
      trim: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    const e = error as { code?: string; lines?: number; record?: string[]; message: string };
    if (e.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
      const header = parse(text, { bom: true, to_line: 1 })[0] as string[] | undefined;
      const fields = e.record?.length ?? 0;
      throw inputError(
        `${file}: line ${e.lines} has ${fields} field${fields === 1 ? "" : "s"}, but the header has ${header?.length ?? "a different number of"}`,
      );
    }
    throw inputError(`${file}: not readable as CSV (${e.message})`);
  }
  if (request.requireTarget && request.target === undefined) {
    throw request.noTarget !== undefined
      ? inputError(`${file}: ${request.noTarget}`)
      : usageError("--target is required for CSV data: the name of the column to predict");
  }
  const header = rows[0]!.record;
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === "") throw inputError(`${file}: column ${i + 1} of the header has no name`);
    if (seen.has(name)) throw inputError(`${file}: the header names the column "${name}" twice`);
    seen.add(name);
  });
  const body = rows.slice(1);
  if (body.length === 0) throw inputError(`${file}: the file has a header but no data rows`);
  const columns = header.join(", ");
  const target = request.target;
  const targetIndex = target === undefined ? -1 : header.indexOf(target);
  if (target !== undefined && targetIndex < 0 && request.requireTarget) {
    throw inputError(`${file}: no target column "${target}" (the columns are ${columns})`);
  }
  let picked: number[];
  if (request.features !== undefined) {
    picked = request.features.map((name) => {
      const i = header.indexOf(name);
      if (i < 0)
        throw inputError(`${file}: no column "${name}", which the model reads (the columns are ${columns})`);
      return i;
    });
  } else {
    picked = header.map((_, i) => i).filter((i) => i !== targetIndex);
  }
  if (picked.length === 0) throw inputError(`${file}: no feature columns besides the target "${target}"`);
  const m = body.length;
  const X = new Matrix(picked.length, m);
  body.forEach(({ record, info }, j) => {
    picked.forEach((c, i) => {
      const field = record[c]!;
      const value = field === "" ? NaN : Number(field);
      if (!Number.isFinite(value)) {
        const what = field === "" ? "is empty" : `${JSON.stringify(field)} is not a number`;
        throw inputError(
          `${file}: line ${info.lines}, column "${header[c]}": ${what} (features must be numbers; ` +
            `one-hot encode a categorical column as 0/1 columns first)`,
        );
      }
      X.data[i * m + j] = value;
    });
  });
  const labels = targetIndex < 0 ? undefined : body.map(({ record }) => record[targetIndex]!);
  const lines = body.map(({ info }) => info.lines);
  return {
    file,
    features: picked.map((c) => header[c]!),
    named: true,
    X,
    ...(labels === undefined ? {} : { labels }),
    where: (j) => `line ${lines[j]}`,
  };
}

/** The distinct labels in a stable order: numerically when all are numbers, else by text. */
export function distinctLabels(labels: readonly string[]): string[] {
  const distinct = [...new Set(labels)];
  const numeric = distinct.every((s) => s.trim() !== "" && Number.isFinite(Number(s)));
  return numeric ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
}
