// blasnet predict, evaluate and export: load a model file, read data the way the model was
// trained on (its feature columns, its scaling, its classes), and use it.
import { statSync } from "node:fs";
import { Matrix } from "../matrix.js";
import { ModelFormatError } from "../model-format-error.js";
import { type ModelMetadata, scaleFeatures } from "../model-metadata.js";
import { Model, argmaxColumns } from "../model.js";
import { CliError, inputError } from "./errors.js";
import { readTable } from "./table.js";
import { type CliIO } from "./terminal.js";
import { targetsFor } from "./train.js";

interface Common {
  model: string;
  json?: boolean;
  quiet?: boolean;
}

/** Loads a model file, every failure one line naming the file. */
export async function loadModel(file: string): Promise<Model> {
  try {
    if (!statSync(file).isFile()) throw inputError(`${file}: not a file`);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw inputError(`${file}: no such file`);
  }
  try {
    return await Model.load(file);
  } catch (error) {
    if (error instanceof ModelFormatError) {
      const reason = error.message.replace(/^Model\.load: /, "").replace(`${file}: `, "");
      throw inputError(`${file}: not a blasnet model file (${reason})`);
    }
    throw error;
  }
}

/** The data's features as the model reads them: picked by name when the model has names, scaled. */
async function modelInputs(model: Model, data: string, requireTarget: boolean) {
  const metadata: ModelMetadata = model.metadata ?? {};
  const table = await readTable(data, {
    ...(metadata.target === undefined ? {} : { target: metadata.target }),
    requireTarget,
    ...(metadata.features === undefined ? {} : { features: metadata.features }),
    noTarget: "the model names no target column to evaluate against (it was not trained on CSV data)",
  });
  const n0 = model.layerDims[0]!;
  if (table.X.rows !== n0) {
    throw inputError(`${data}: ${table.X.rows} feature columns, but the model reads ${n0}`);
  }
  const X = metadata.scaling === undefined ? table.X : scaleFeatures(table.X, metadata.scaling);
  const classes =
    metadata.classes ??
    Array.from({ length: model.output === "softmax" ? model.layerDims.at(-1)! : 2 }, (_, c) => String(c));
  return { table, X, classes };
}

/** Per-class probabilities, [C, m] (a sigmoid head's p becomes the rows 1 - p and p). */
function probabilities(model: Model, X: Matrix): Matrix {
  const AL = model.predictProba(X);
  if (model.output === "softmax") return AL;
  const P = new Matrix(2, AL.cols);
  for (let j = 0; j < AL.cols; j++) {
    P.data[j] = 1 - AL.data[j]!;
    P.data[AL.cols + j] = AL.data[j]!;
  }
  return P;
}

/** A CSV field, quoted when it must be. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

export async function predictCommand(
  flags: Common & { data: string; proba?: boolean },
  io: CliIO,
): Promise<void> {
  const model = await loadModel(flags.model);
  const { X, classes } = await modelInputs(model, flags.data, false);
  const P = probabilities(model, X);
  const predicted = argmaxColumns(P).data;
  const m = X.cols;
  if (flags.json) {
    const rows = Array.from(predicted, (c, j) => ({
      prediction: classes[c]!,
      ...(flags.proba
        ? { probabilities: Object.fromEntries(classes.map((name, k) => [name, P.data[k * m + j]!])) }
        : {}),
    }));
    io.stdout.write(JSON.stringify(rows) + "\n");
    return;
  }
  const lines: string[] = [flags.proba ? classes.map(csvField).join(",") : "prediction"];
  for (let j = 0; j < m; j++) {
    lines.push(
      flags.proba
        ? classes.map((_, k) => String(P.data[k * m + j])).join(",")
        : csvField(classes[predicted[j]!]!),
    );
  }
  io.stdout.write(lines.join("\n") + "\n");
}

export async function evaluateCommand(flags: Common & { data: string }, io: CliIO): Promise<void> {
  const model = await loadModel(flags.model);
  const { table, X, classes } = await modelInputs(model, flags.data, true);
  if (table.labels === undefined) {
    const target = model.metadata?.target;
    throw inputError(
      `${flags.data}: no target column${target === undefined ? "" : ` "${target}"`} to evaluate against`,
    );
  }
  const index = new Map(classes.map((c, i) => [c, i]));
  const truth = table.labels.map((label, j) => {
    const c = index.get(label);
    if (c === undefined) {
      throw inputError(
        `${flags.data}: ${table.where(j)}: the target ${JSON.stringify(label)} is not one of the model's classes (${classes.join(", ")})`,
      );
    }
    return c;
  });
  const predicted = argmaxColumns(probabilities(model, X)).data;
  const C = classes.length;
  const confusion = Array.from({ length: C }, () => new Array<number>(C).fill(0));
  let correct = 0;
  truth.forEach((t, j) => {
    const p = predicted[j]!;
    confusion[t]![p]!++;
    if (t === p) correct++;
  });
  const m = truth.length;
  const accuracy = correct / m;
  const cost = model.cost(X, targetsFor(model.output, truth, C));
  if (flags.json) {
    io.stdout.write(JSON.stringify({ examples: m, accuracy, cost, classes, confusion }) + "\n");
    return;
  }
  if (flags.quiet) {
    io.stdout.write(`${accuracy}\n`);
    return;
  }
  const width = Math.max(
    9,
    ...classes.map((c) => c.length),
    ...confusion.flat().map((v) => String(v).length),
  );
  const cell = (text: string) => text.padStart(width);
  const lines = [
    `accuracy ${accuracy.toFixed(4)} (${correct} of ${m})`,
    `cost     ${cost.toFixed(6)}`,
    "confusion matrix (rows: true class, columns: predicted class)",
    cell("") + " " + classes.map(cell).join(" "),
    ...confusion.map((row, t) => cell(classes[t]!) + " " + row.map((v) => cell(String(v))).join(" ")),
  ];
  io.stdout.write(lines.join("\n") + "\n");
}

/**
 * The model with its feature scaling folded into the first layer, so an exported graph takes the
 * raw features: W1' = W1 / scale (column-wise), b1' = b1 - W1' · offset.
 */
export function foldScaling(model: Model): Model {
  const scaling = model.metadata?.scaling;
  if (scaling === undefined) return model;
  const parameters = model.parameters;
  const W1 = parameters.W1!;
  const b1 = parameters.b1!;
  const W = new Matrix(W1.rows, W1.cols);
  const b = new Matrix(b1.rows, 1);
  for (let i = 0; i < W1.rows; i++) {
    let shift = 0;
    for (let k = 0; k < W1.cols; k++) {
      const w = W1.data[i * W1.cols + k]! / scaling.scale[k]!;
      W.data[i * W1.cols + k] = w;
      shift += w * scaling.offset[k]!;
    }
    b.data[i] = b1.data[i]! - shift;
  }
  return Model.fromParameters(
    { ...parameters, W1: W, b1: b },
    { dtype: model.dtype, hidden: model.hidden, output: model.output },
  );
}

export async function exportCommand(
  flags: Common & { onnx?: string; npz?: string },
  io: CliIO,
): Promise<void> {
  const model = foldScaling(await loadModel(flags.model));
  const written: Record<string, string> = {};
  if (flags.onnx !== undefined) {
    await model.exportOnnx(flags.onnx);
    written.onnx = flags.onnx;
  }
  if (flags.npz !== undefined) {
    await model.exportNpz(flags.npz);
    written.npz = flags.npz;
  }
  if (flags.json) io.stdout.write(JSON.stringify(written) + "\n");
  else if (!flags.quiet) {
    for (const [kind, path] of Object.entries(written))
      io.stdout.write(`wrote ${kind === "onnx" ? "ONNX" : "npz"} ${path}\n`);
  }
}
