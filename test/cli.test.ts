// The blasnet command end to end, each command a child process on small CSV files written here:
// train -> predict -> evaluate -> export, their exit codes, outputs and files, the exported ONNX
// graph against predict's probabilities on the raw features, and the package's bin entry.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import * as ort from "onnxruntime-node";
import { Model } from "../lib/index.js";
import { projectRoot, runTsChild } from "./helpers/child.js";
import { RandomState } from "../lib/random.js";

const cli = new URL("../lib/cli/main.ts", import.meta.url);
/** Options without paths, written as one string. */
const words = (text: string) => text.split(" ");
const blasnet = (args: string[]) => runTsChild(cli, args, { env: { CI: "" }, killAfterMs: 60_000 });

/**
 * Three well-separated clusters in (x, y) plus a column of noise on another scale, so the scaling
 * matters; `m` rows, the class names as text.
 */
function clusters(m: number, seed: number): { csv: string; rows: number[][]; labels: string[] } {
  const rng = new RandomState(seed);
  const noise = rng.randn(3, m).data;
  const centres: Record<string, [number, number]> = { setosa: [0, 0], versicolor: [4, 0], virginica: [0, 4] };
  const names = Object.keys(centres);
  const rows: number[][] = [];
  const labels: string[] = [];
  const lines = ["x,y,weight,species"];
  for (let j = 0; j < m; j++) {
    const name = names[j % 3]!;
    const [cx, cy] = centres[name]!;
    const row = [cx + 0.7 * noise[j]!, cy + 0.7 * noise[m + j]!, 1000 + 50 * noise[2 * m + j]!];
    rows.push(row);
    labels.push(name);
    lines.push(`${row.map((v) => v.toFixed(4)).join(",")},${name}`);
  }
  return { csv: lines.join("\n") + "\n", rows: rows.map((r) => r.map((v) => Number(v.toFixed(4)))), labels };
}

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-cli-"));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

test.serial("train, predict, evaluate and export run end to end on CSV files", async (t) => {
  const train = clusters(240, 1);
  const held = clusters(60, 2);
  const trainCsv = join(dir, "train.csv");
  const testCsv = join(dir, "test.csv");
  // The new data has no target column, and its columns in another order: predict picks them by name.
  const newCsv = join(dir, "new.csv");
  await writeFile(trainCsv, train.csv);
  await writeFile(testCsv, held.csv);
  await writeFile(
    newCsv,
    ["weight,y,x", ...held.rows.map(([x, y, w]) => `${w},${y},${x}`)].join("\n") + "\n",
  );
  const modelFile = join(dir, "iris.safetensors");
  const plot = join(dir, "costs.svg");

  const trained = await blasnet([
    "train",
    "--data",
    trainCsv,
    ...words("--target species --layers 8 --epochs 40 --batch-size 32 --learning-rate 0.01 --save"),
    modelFile,
    "--plot",
    plot,
    "--json",
  ]);
  t.is(trained.code, 0, trained.stderr);
  t.is(trained.stderr, "");
  const summary = JSON.parse(trained.stdout);
  t.deepEqual(summary.layerDims, [3, 8, 3]);
  t.is(summary.output, "softmax");
  t.deepEqual(summary.classes, ["setosa", "versicolor", "virginica"]);
  t.is(summary.history.length, 40);
  t.is(summary.validationExamples, 24);
  t.true(summary.trainAccuracy >= 0.95, `train accuracy ${summary.trainAccuracy}`);
  t.true(summary.validationAccuracy >= 0.9, `validation accuracy ${summary.validationAccuracy}`);
  t.true(summary.history[39].cost < summary.history[0].cost);
  t.regex(await readFile(plot, "utf8"), /^<svg[^>]*>[\s\S]*validation cost[\s\S]*<\/svg>\n$/);

  // The model file carries the scaling, the feature names and the classes.
  const model = await Model.load(modelFile);
  t.deepEqual(model.metadata?.features, ["x", "y", "weight"]);
  t.is(model.metadata?.target, "species");
  t.deepEqual(model.metadata?.classes, ["setosa", "versicolor", "virginica"]);
  t.is(model.metadata?.scaling?.method, "standard");
  t.true(Math.abs(model.metadata!.scaling!.offset[2]! - 1000) < 20);

  const onnxFile = join(dir, "iris.onnx");
  const npzFile = join(dir, "iris.npz");
  const [predicted, proba, evaluated, exported] = await Promise.all([
    blasnet(["predict", "--model", modelFile, "--data", newCsv]),
    blasnet(["predict", "--model", modelFile, "--data", newCsv, "--proba"]),
    blasnet(["evaluate", "--model", modelFile, "--data", testCsv, "--json"]),
    blasnet(["export", "--model", modelFile, "--onnx", onnxFile, "--npz", npzFile]),
  ]);
  for (const r of [predicted, proba, evaluated, exported]) t.is(r.code, 0, r.stderr);

  const lines = predicted.stdout.trimEnd().split("\n");
  t.is(lines[0], "prediction");
  t.is(lines.length, 61);
  const right = lines.slice(1).filter((name, j) => name === held.labels[j]).length;
  t.true(right / 60 >= 0.9, `predict got ${right} of 60`);

  const probaLines = proba.stdout.trimEnd().split("\n");
  t.is(probaLines[0], "setosa,versicolor,virginica");
  const P = probaLines.slice(1).map((line) => line.split(",").map(Number));
  t.true(P.every((p) => p.length === 3 && Math.abs(p[0]! + p[1]! + p[2]! - 1) < 1e-9));

  const evaluation = JSON.parse(evaluated.stdout);
  t.is(evaluation.examples, 60);
  t.true(evaluation.accuracy >= 0.9, `evaluate accuracy ${evaluation.accuracy}`);
  t.is(evaluation.accuracy, right / 60); // the same rows, the same model
  t.true(evaluation.cost > 0 && evaluation.cost < 0.5);
  t.deepEqual(evaluation.classes, ["setosa", "versicolor", "virginica"]);
  const confusion: number[][] = evaluation.confusion;
  t.is(
    confusion.flat().reduce((a, b) => a + b, 0),
    60,
  );
  t.deepEqual(
    confusion.map((row) => row.reduce((a, b) => a + b, 0)),
    [20, 20, 20],
  );

  t.regex(exported.stdout, /wrote ONNX .*iris\.onnx\nwrote npz .*iris\.npz\n/);
  t.true((await stat(npzFile)).size > 0);
  // The ONNX graph has the scaling folded in: the raw features give predict's probabilities.
  const session = await ort.InferenceSession.create(onnxFile);
  const input = new ort.Tensor("float64", Float64Array.from(held.rows.flat()), [60, 3]);
  const out = await session.run({ [session.inputNames[0]!]: input });
  const onnxP = out[session.outputNames[0]!]!.data as Float64Array;
  let worst = 0;
  P.forEach((p, j) => p.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - onnxP[j * 3 + k]!)))));
  t.true(worst < 1e-9, `ONNX probabilities differ from predict's by ${worst}`);
});

test("train on a two-class CSV makes a sigmoid model that predicts the class names", async (t) => {
  const rng = new RandomState(3);
  const z = rng.randn(2, 120).data;
  const rows = Array.from({ length: 120 }, (_, j) => {
    const yes = j % 2 === 0;
    return `${(yes ? 3 : -3) + z[j]!},${z[120 + j]!},${yes ? "yes" : "no"}`;
  });
  const csv = join(dir, "binary.csv");
  await writeFile(csv, ["a,b,answer", ...rows].join("\n") + "\n");
  const modelFile = join(dir, "binary.safetensors");
  const trained = await blasnet([
    "train",
    "--data",
    csv,
    ...words(
      "--target answer --layers 4 --epochs 30 --learning-rate 0.05 --scale minmax --validation-split 0 --save",
    ),
    modelFile,
  ]);
  t.is(trained.code, 0, trained.stderr);
  t.regex(trained.stdout, /^trained \[2, 4, 1\] \(relu, sigmoid\) on 120 examples for 30 epochs/);
  t.regex(trained.stdout, /train accuracy (0\.9\d+|1\.0000)/);
  t.regex(trained.stdout, /saved the model to .*binary\.safetensors/);
  const model = await Model.load(modelFile);
  t.is(model.output, "sigmoid");
  t.deepEqual(model.metadata?.classes, ["no", "yes"]);
  t.is(model.metadata?.scaling?.method, "minmax");
  const evaluated = await blasnet(["evaluate", "--model", modelFile, "--data", csv]);
  t.is(evaluated.code, 0, evaluated.stderr);
  t.regex(evaluated.stdout, /^accuracy (0\.9\d+|1\.0000) \(\d+ of 120\)\ncost {5}0\.\d+\nconfusion matrix/);
  t.regex(evaluated.stdout, /\n +no +\d+ +\d+\n +yes +\d+ +\d+\n$/);
});

test("info prints the versions, the kernel, the threads and the memory limit, and --help exits 0", async (t) => {
  const [info, help, none] = await Promise.all([
    blasnet(["info", "--json"]),
    blasnet(["train", "--help"]),
    blasnet([]),
  ]);
  t.is(info.code, 0, info.stderr);
  const fields = JSON.parse(info.stdout);
  t.is(fields.blasnet, JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8")).version);
  t.regex(fields.openblas, /^\d+\.\d+\.\d+/);
  t.true(typeof fields.coreKernel === "string" && fields.coreKernel !== "");
  t.true(Number.isInteger(fields.threads) && fields.threads >= 1);
  t.true(fields.memoryLimit > 0);
  t.is(help.code, 0);
  for (const flag of ["--data", "--target", "--layers", "--plot", "--json", "--quiet", "--help"]) {
    t.true(help.stdout.includes(flag), flag);
  }
  // No command is bad usage: the help goes to stderr and the exit code is 2.
  t.is(none.code, 2);
  t.regex(none.stderr, /Usage: blasnet/);
});

test("package.json's bin runs dist/cli/main.js, which the build makes from lib/cli/main.ts", (t) => {
  const pkg = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
  t.deepEqual(pkg.bin, { blasnet: "./dist/cli/main.js" });
  const build = JSON.parse(readFileSync(join(projectRoot, "tsconfig.build.json"), "utf8"));
  t.is(build.compilerOptions.rootDir, "lib");
  t.is(build.compilerOptions.outDir, "dist");
  t.regex(pkg.scripts.prepare, /tsc -p tsconfig\.build\.json/); // npm install builds dist/
  t.true(readFileSync(new URL(cli), "utf8").startsWith("#!/usr/bin/env node\n"));
});
