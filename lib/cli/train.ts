// blasnet train: reads a data file, scales its features, trains a classifier, and saves it with
// the scaling, the feature names and the class names in the model file.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { oneHot } from "../labels.js";
import { Matrix } from "../matrix.js";
import { type FeatureScaling, type ModelMetadata, fitScaling, scaleFeatures } from "../model-metadata.js";
import { Model } from "../model.js";
import { accuracy } from "../models.js";
import { costCurveSvg } from "../plot.js";
import { RandomState } from "../random.js";
import { inputError } from "./errors.js";
import { type Table, distinctLabels, readTable } from "./table.js";
import { type CliIO, costChart, interactive, progressBar } from "./terminal.js";
import type { DType, EpochLog, Hidden, Output } from "../types.js";

export interface TrainFlags {
  data: string;
  target?: string;
  layers: number[];
  hidden: Hidden;
  output: "auto" | Output;
  scale: "standard" | "minmax" | "none";
  epochs: number;
  batchSize: number;
  optimizer: "gd" | "momentum" | "adam";
  learningRate: number;
  l2: number;
  keepProb: number;
  validationSplit: number;
  seed: number;
  dtype: DType;
  save: string;
  plot?: string;
  json?: boolean;
  quiet?: boolean;
}

/** Columns `indices` of X. */
function columns(X: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Matrix(X.rows, indices.length);
  for (let i = 0; i < X.rows; i++) {
    for (let k = 0; k < indices.length; k++)
      out.data[i * indices.length + k] = X.data[i * X.cols + indices[k]!]!;
  }
  return out;
}

/** Y for the head: [1, m] of 0/1 (sigmoid) or one-hot [C, m] (softmax). */
export function targetsFor(output: Output, classIndex: readonly number[], classes: number): Matrix {
  return output === "softmax" ? oneHot(classIndex, classes) : Matrix.from([classIndex.map((c) => c)]);
}

/** The class of each example, checked: no empty targets. */
function classIndices(table: Table, classes: readonly string[]): number[] {
  const index = new Map(classes.map((c, i) => [c, i]));
  return table.labels!.map((label, j) => {
    const c = index.get(label);
    if (c === undefined)
      throw inputError(
        `${table.file}: ${table.where(j)}: the target ${JSON.stringify(label)} is not a known class`,
      );
    return c;
  });
}

export async function train(flags: TrainFlags, io: CliIO): Promise<void> {
  const started = performance.now();
  const table = await readTable(flags.data, { target: flags.target, requireTarget: true });
  if (table.labels === undefined) throw inputError(`${table.file}: no targets to train on`);
  const empty = table.labels.findIndex((label) => label === "");
  if (empty >= 0)
    throw inputError(`${table.file}: ${table.where(empty)}: the target "${flags.target}" is empty`);
  const classes = table.classOrder ?? distinctLabels(table.labels);
  if (classes.length < 2) {
    throw inputError(
      `${table.file}: the target${flags.target === undefined ? "" : ` "${flags.target}"`} has only one value (${JSON.stringify(classes[0])}); classification needs at least two`,
    );
  }
  const output: Output =
    flags.output === "auto" ? (classes.length === 2 ? "sigmoid" : "softmax") : flags.output;
  if (output === "sigmoid" && classes.length > 2) {
    throw inputError(
      `${table.file}: --output sigmoid needs two classes, but the target has ${classes.length}; use softmax`,
    );
  }
  const index = classIndices(table, classes);
  const m = table.X.cols;

  // The validation examples: a seeded shuffle's first round(split * m), at least one when asked.
  let validationCount = Math.round(flags.validationSplit * m);
  if (flags.validationSplit > 0 && validationCount === 0) validationCount = 1;
  if (validationCount >= m) {
    throw inputError(
      `${table.file}: ${m} example${m === 1 ? "" : "s"} leave none to train on after --validation-split ${flags.validationSplit}`,
    );
  }
  const order =
    validationCount > 0
      ? new RandomState(flags.seed).permutation(m)
      : Int32Array.from({ length: m }, (_, j) => j);
  const trainIdx = order.subarray(validationCount);
  const validIdx = order.subarray(0, validationCount);
  let trainX = validationCount > 0 ? columns(table.X, trainIdx) : table.X;
  let validX = validationCount > 0 ? columns(table.X, validIdx) : undefined;
  const scaling: FeatureScaling | undefined =
    flags.scale === "none" ? undefined : fitScaling(trainX, flags.scale);
  if (scaling !== undefined) {
    trainX = scaleFeatures(trainX, scaling);
    if (validX !== undefined) validX = scaleFeatures(validX, scaling);
  }
  const trainY = targetsFor(
    output,
    Array.from(trainIdx, (j) => index[j]!),
    classes.length,
  );
  const validY =
    validationCount > 0
      ? targetsFor(
          output,
          Array.from(validIdx, (j) => index[j]!),
          classes.length,
        )
      : undefined;

  const layerDims = [table.X.rows, ...flags.layers, output === "softmax" ? classes.length : 1];
  const model = new Model(layerDims, {
    hidden: flags.hidden,
    output,
    seed: flags.seed,
    dtype: flags.dtype,
    init: flags.hidden === "tanh" ? "fan-in" : "he",
  });
  const metadata: ModelMetadata = {
    ...(table.named ? { features: table.features } : {}),
    ...(flags.target === undefined ? {} : { target: flags.target }),
    classes,
    ...(scaling === undefined ? {} : { scaling }),
  };
  model.metadata = metadata;

  const draw = interactive(io, flags);
  const bar = progressBar(io, draw, flags.epochs);
  const batchSize = Math.min(flags.batchSize, trainX.cols);
  let result;
  try {
    result = await model.fitAsync(trainX, trainY, {
      epochs: flags.epochs,
      batchSize,
      optimizer: flags.optimizer,
      learningRate: flags.learningRate,
      l2: flags.l2,
      keepProb: flags.keepProb,
      shuffleSeed: flags.seed,
      ...(validX === undefined ? {} : { validationData: { X: validX, Y: validY! } }),
      onEpoch: (epoch, log) => bar.update(epoch + 1, log.cost),
    });
  } catch (error) {
    throw inputError(`training failed: ${(error as Error).message.replace(/^[A-Za-z.]+: /, "")}`);
  } finally {
    bar.stop();
  }
  await model.save(flags.save);
  const history: readonly EpochLog[] = result.history ?? [];
  const trainCosts = history.map((h) => h.cost);
  const validCosts = validX === undefined ? undefined : history.map((h) => h.validationCost ?? NaN);
  if (flags.plot !== undefined) {
    const svg = costCurveSvg(
      { train: trainCosts, ...(validCosts === undefined ? {} : { validation: validCosts }) },
      { title: `blasnet train: ${path.basename(table.file)}, [${layerDims.join(", ")}]` },
    );
    writeFileSync(flags.plot, svg);
  }
  const trainAccuracy = accuracy(model.predict(trainX), trainY);
  const validationAccuracy = validX === undefined ? undefined : accuracy(model.predict(validX), validY!);
  const last = history[history.length - 1];
  const summary = {
    model: flags.save,
    plot: flags.plot ?? null,
    layerDims,
    hidden: flags.hidden,
    output,
    classes,
    features: table.features.length,
    trainExamples: trainX.cols,
    validationExamples: validationCount,
    epochs: history.length,
    cost: last?.cost ?? null,
    validationCost: last?.validationCost ?? null,
    trainAccuracy,
    validationAccuracy: validationAccuracy ?? null,
    seconds: (performance.now() - started) / 1000,
    history,
  };
  if (flags.json) {
    io.stdout.write(JSON.stringify(summary) + "\n");
    return;
  }
  if (draw && trainCosts.length > 1) io.stderr.write(costChart(trainCosts, validCosts));
  if (flags.quiet) return;
  const lines = [
    `trained [${layerDims.join(", ")}] (${flags.hidden}, ${output}) on ${trainX.cols} examples for ${history.length} epochs in ${summary.seconds.toFixed(2)} s`,
    `cost ${last?.cost.toFixed(6)}` +
      (last?.validationCost === undefined ? "" : `, validation cost ${last.validationCost.toFixed(6)}`),
    `train accuracy ${trainAccuracy.toFixed(4)}` +
      (validationAccuracy === undefined
        ? ""
        : `, validation accuracy ${validationAccuracy.toFixed(4)} (${validationCount} examples)`),
    `saved the model to ${flags.save}` +
      (flags.plot === undefined ? "" : `, the cost curve to ${flags.plot}`),
  ];
  io.stdout.write(lines.join("\n") + "\n");
}
