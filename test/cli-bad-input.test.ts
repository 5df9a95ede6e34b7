// The blasnet command on bad input and bad usage, run in-process through runCli: each failure is
// one line on stderr naming the problem (never a stack trace), nothing on stdout, exit code 1 for
// a failed run and 2 for bad usage. Also the .npz and cat .h5 inputs, --quiet and --json.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { zipSync } from "fflate";
import { runCli } from "../lib/cli/run.js";
import { Model } from "../lib/index.js";
import { catDataDir, catTest } from "./helpers/data.js";

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options without paths, written as one string. */
const words = (text: string) => text.split(" ");

async function run(...argv: string[]): Promise<Outcome> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: {},
  });
  return { code, stdout, stderr };
}

let dir = "";
let goodCsv = "";

/** Trains a small model on good.csv into `save`, quietly. */
const trainGood = (save: string) =>
  run(
    "train",
    "--data",
    goodCsv,
    "--target",
    "label",
    "--save",
    save,
    ...words("--layers 3 --epochs 2 --quiet"),
  );
let modelFile = "";
const file = (name: string) => join(dir, name);

test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-cli-bad-"));
  goodCsv = file("good.csv");
  const rows = Array.from(
    { length: 40 },
    (_, j) => `${j % 2 ? 1 + j / 40 : -1 - j / 40},${j / 10},${j % 2 ? "b" : "a"}`,
  );
  await writeFile(goodCsv, ["u,v,label", ...rows].join("\n") + "\n");
  modelFile = file("good.safetensors");
  const trained = await trainGood(modelFile);
  if (trained.code !== 0) throw new Error(`training the fixture model failed: ${trained.stderr}`);
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts a failure: the exit code, one line on stderr matching `message`, and nothing on stdout. */
const fails = test.macro(
  async (
    t,
    write: (() => Promise<void>) | undefined,
    argv: () => string[],
    code: number,
    message: RegExp,
  ) => {
    await write?.();
    const outcome = await run(...argv());
    t.is(outcome.code, code, outcome.stderr);
    t.is(outcome.stdout, "");
    t.regex(outcome.stderr, /^[^\n]+\n$/, "one line");
    t.notRegex(outcome.stderr, /\n\s+at /);
    t.regex(outcome.stderr, message);
  },
);

const csv = (name: string, text: string) => () => writeFile(file(name), text);
const trainOn =
  (name: string, ...extra: string[]) =>
  () => ["train", "--data", file(name), "--target", "label", "--save", file("out.safetensors"), ...extra];

test(
  "a missing data file",
  fails,
  undefined,
  trainOn("nowhere.csv"),
  1,
  /^blasnet train: \S*nowhere\.csv: no such file\n$/,
);
test(
  "a missing model file",
  fails,
  undefined,
  () => ["predict", "--model", file("nowhere.safetensors"), "--data", goodCsv],
  1,
  /^blasnet predict: \S*nowhere\.safetensors: no such file\n$/,
);
test(
  "a CSV row with the wrong number of fields names the line",
  fails,
  csv("short-row.csv", "u,v,label\n1,2,a\n3,4,b\n5,b\n6,7,a\n"),
  trainOn("short-row.csv"),
  1,
  /short-row\.csv: line 4 has 2 fields, but the header has 3$/m,
);
test(
  "a CSV row with too many fields names the line",
  fails,
  csv("long-row.csv", "u,v,label\n1,2,a\n3,4,b,extra\n"),
  trainOn("long-row.csv"),
  1,
  /long-row\.csv: line 3 has 4 fields, but the header has 3$/m,
);
test(
  "a non-numeric feature names the line and the column, and says to one-hot encode it",
  fails,
  csv("words.csv", "u,colour,label\n1,2,a\n3,red,b\n"),
  trainOn("words.csv"),
  1,
  /words\.csv: line 3, column "colour": "red" is not a number \(.*one-hot encode/,
);
test(
  "an empty feature field names the line and the column",
  fails,
  csv("hole.csv", "u,v,label\n1,2,a\n3,,b\n"),
  trainOn("hole.csv"),
  1,
  /hole\.csv: line 3, column "v": is empty/,
);
test(
  "a missing target column names the columns there are",
  fails,
  csv("no-target.csv", "u,v,kind\n1,2,a\n3,4,b\n"),
  trainOn("no-target.csv"),
  1,
  /no-target\.csv: no target column "label" \(the columns are u, v, kind\)/,
);
test(
  "an empty file",
  fails,
  csv("empty.csv", ""),
  trainOn("empty.csv"),
  1,
  /empty\.csv: the file is empty$/m,
);
test(
  "a file of blank lines is empty too",
  fails,
  csv("blank.csv", "\n\n  \n"),
  trainOn("blank.csv"),
  1,
  /blank\.csv: the file is empty$/m,
);
test(
  "a header without rows",
  fails,
  csv("header.csv", "u,v,label\n"),
  trainOn("header.csv"),
  1,
  /header\.csv: the file has a header but no data rows/,
);
test(
  "an unclosed quote",
  fails,
  csv("quote.csv", 'u,v,label\n1,2,"a\n'),
  trainOn("quote.csv"),
  1,
  /quote\.csv: not readable as CSV \(Quote Not Closed/,
);
test(
  "a target with a single class",
  fails,
  csv("one-class.csv", "u,v,label\n1,2,a\n3,4,a\n"),
  trainOn("one-class.csv", "--validation-split", "0"),
  1,
  /one-class\.csv: the target "label" has only one value \("a"\); classification needs at least two/,
);
test(
  "a model file of another format (a CSV file)",
  fails,
  undefined,
  () => ["predict", "--model", goodCsv, "--data", goodCsv],
  1,
  /^blasnet predict: \S*good\.csv: not a blasnet model file \(/,
);
test(
  "a model file of another format (a safetensors file of another program)",
  fails,
  async () => {
    const header = Buffer.from(
      JSON.stringify({
        __metadata__: { format: "pt" },
        w: { dtype: "F32", shape: [1], data_offsets: [0, 4] },
      }),
    );
    const length = Buffer.alloc(8);
    length.writeBigUInt64LE(BigInt(header.length));
    await writeFile(file("torch.safetensors"), Buffer.concat([length, header, Buffer.alloc(4)]));
  },
  () => ["evaluate", "--model", file("torch.safetensors"), "--data", goodCsv],
  1,
  /torch\.safetensors: not a blasnet model file \("__metadata__\.format" is string "pt"; not a blasnet model file\)/,
);
test(
  "data without a column the model reads",
  fails,
  csv("fewer.csv", "u,label\n1,a\n"),
  () => ["predict", "--model", modelFile, "--data", file("fewer.csv")],
  1,
  /fewer\.csv: no column "v", which the model reads \(the columns are u, label\)/,
);
test(
  "evaluate on a class the model does not know names the line",
  fails,
  csv("new-class.csv", "u,v,label\n1,2,a\n3,4,c\n"),
  () => ["evaluate", "--model", modelFile, "--data", file("new-class.csv")],
  1,
  /new-class\.csv: line 3: the target "c" is not one of the model's classes \(a, b\)/,
);

test(
  "training that diverges is a failed run",
  fails,
  undefined,
  trainOn("good.csv", ...words("--optimizer gd --learning-rate 1e6 --scale none --epochs 3")),
  1,
  /^blasnet train: training failed: the cost became (Infinity|NaN) at epoch \d+/,
);

test(
  "an unknown option is bad usage",
  fails,
  undefined,
  () => ["train", "--data", goodCsv, "--save", file("o.safetensors"), "--colour"],
  2,
  /^blasnet: unknown option '--colour'/,
);
test(
  "an unknown command is bad usage",
  fails,
  undefined,
  () => ["fit"],
  2,
  /^blasnet: unknown command 'fit'/,
);
test(
  "a malformed number is bad usage",
  fails,
  undefined,
  trainOn("x.csv", "--epochs", "ten"),
  2,
  /option '--epochs <n>' argument 'ten' is invalid\. expected an integer >= 1\./,
);
test(
  "malformed layer sizes are bad usage",
  fails,
  undefined,
  trainOn("x.csv", "--layers", "64,,2"),
  2,
  /expected comma-separated integers >= 1/,
);
test(
  "an unknown choice is bad usage",
  fails,
  undefined,
  trainOn("x.csv", "--optimizer", "sgd"),
  2,
  /argument 'sgd' is invalid\. Allowed choices are gd, momentum, adam/,
);
test(
  "a missing required option is bad usage",
  fails,
  undefined,
  () => ["predict", "--data", goodCsv],
  2,
  /required option '--model <file>' not specified/,
);
test(
  "CSV data without --target is bad usage",
  fails,
  undefined,
  () => ["train", "--data", goodCsv, "--save", file("o.safetensors")],
  2,
  /--target is required for CSV data/,
);
test(
  "export with neither --onnx nor --npz is bad usage",
  fails,
  undefined,
  () => ["export", "--model", modelFile],
  2,
  /give --onnx <file> or --npz <file>/,
);

test("every command answers --help with exit code 0, listing --json and --quiet", async (t) => {
  for (const command of ["train", "predict", "evaluate", "export", "info"]) {
    const { code, stdout } = await run(command, "--help");
    t.is(code, 0, command);
    t.regex(stdout, new RegExp(`^Usage: blasnet ${command} \\[options\\]`), command);
    t.regex(stdout, /--json/, command);
    t.regex(stdout, /--quiet/, command);
  }
});

test("--quiet prints nothing for train and export, and only the accuracy for evaluate", async (t) => {
  const quietModel = file("quiet.safetensors");
  const trained = await trainGood(quietModel);
  t.deepEqual([trained.code, trained.stdout, trained.stderr], [0, "", ""]);
  const exported = await run("export", "--model", quietModel, "--npz", file("quiet.npz"), "--quiet");
  t.deepEqual([exported.code, exported.stdout, exported.stderr], [0, "", ""]);
  const evaluated = await run("evaluate", "--model", quietModel, "--data", goodCsv, "--quiet");
  t.is(evaluated.code, 0);
  t.regex(evaluated.stdout, /^(0(\.\d+)?|1)\n$/);
});

test("predict --json gives each example's class and, with --proba, its probabilities", async (t) => {
  const { code, stdout } = await run("predict", "--model", modelFile, "--data", goodCsv, "--json", "--proba");
  t.is(code, 0);
  const rows = JSON.parse(stdout);
  t.is(rows.length, 40);
  t.true(["a", "b"].includes(rows[0].prediction));
  t.deepEqual(Object.keys(rows[0].probabilities), ["a", "b"]);
  t.true(Math.abs(rows[0].probabilities.a + rows[0].probabilities.b - 1) < 1e-12);
});

/** A .npy entry: a header dict padded to 64 bytes, then little-endian data. */
function npy(descr: string, shape: number[], data: ArrayBufferView): Uint8Array {
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(", ")}${shape.length === 1 ? "," : ""}), }`;
  const headerLength = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10;
  const header = Buffer.from(dict.padEnd(headerLength - 1, " ") + "\n", "latin1");
  const prefix = Buffer.from([
    0x93,
    0x4e,
    0x55,
    0x4d,
    0x50,
    0x59,
    1,
    0,
    headerLength & 0xff,
    headerLength >> 8,
  ]);
  return Buffer.concat([prefix, header, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

test("train, evaluate and predict read .npz data: X as [m, n] floats and y as [m] integers", async (t) => {
  const m = 60;
  const X = new Float64Array(m * 2);
  const y = new BigInt64Array(m);
  for (let j = 0; j < m; j++) {
    const c = j % 3;
    X[2 * j] = c * 3 + (j % 5) / 10;
    X[2 * j + 1] = -c * 2 + (j % 7) / 10;
    y[j] = BigInt(c);
  }
  const data = file("data.npz");
  await writeFile(
    data,
    zipSync({ "X.npy": [npy("<f8", [m, 2], X), { level: 0 }], "y.npy": [npy("<i8", [m], y), { level: 0 }] }),
  );
  const npzModel = file("npz.safetensors");
  const trained = await run(
    "train",
    "--data",
    data,
    ...words("--layers 6 --epochs 60 --learning-rate 0.05 --save"),
    npzModel,
    "--json",
  );
  t.is(trained.code, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout);
  t.deepEqual(summary.classes, ["0", "1", "2"]);
  t.true(summary.trainAccuracy >= 0.9, String(summary.trainAccuracy));
  const model = await Model.load(npzModel);
  t.is(model.metadata?.features, undefined); // an .npz has no column names: columns go by position
  const evaluated = await run("evaluate", "--model", npzModel, "--data", data, "--json");
  t.is(evaluated.code, 0, evaluated.stderr);
  t.true(JSON.parse(evaluated.stdout).accuracy >= 0.9);
  const predicted = await run("predict", "--model", npzModel, "--data", data);
  t.is(predicted.stdout.split("\n")[1], "0");
  // An archive without X, and an X of strings, are one-line failures.
  await writeFile(file("no-x.npz"), zipSync({ "y.npy": [npy("<i8", [m], y), { level: 0 }] }));
  const noX = await run("train", "--data", file("no-x.npz"), "--save", npzModel);
  t.is(noX.code, 1);
  t.regex(
    noX.stderr,
    /no-x\.npz: the archive has no array X \(save it with np\.savez\(path, X=X, y=y\)\)\n$/,
  );
  await writeFile(
    file("text.npz"),
    zipSync({ "X.npy": [npy("<U1", [2, 1], new Uint32Array(2)), { level: 0 }] }),
  );
  const text = await run("train", "--data", file("text.npz"), "--save", npzModel);
  t.is(text.code, 1);
  t.regex(text.stderr, /text\.npz: X: has dtype '<U1'; expected little-endian numbers/);
});

catTest("train and evaluate read the cat .h5 files, with their class names", async (t) => {
  const catModel = file("cat.safetensors");
  const trained = await run(
    "train",
    "--data",
    join(catDataDir, "train_catvnoncat.h5"),
    ...words("--layers 7 --epochs 5 --batch-size 32 --validation-split 0 --save"),
    catModel,
    "--json",
  );
  t.is(trained.code, 0, trained.stderr);
  const summary = JSON.parse(trained.stdout);
  t.deepEqual(summary.layerDims, [12288, 7, 1]);
  t.deepEqual(summary.classes, ["non-cat", "cat"]);
  t.true(summary.trainAccuracy > 0.8, String(summary.trainAccuracy));
  const evaluated = await run(
    "evaluate",
    "--model",
    catModel,
    "--data",
    join(catDataDir, "test_catvnoncat.h5"),
    "--json",
  );
  t.is(evaluated.code, 0, evaluated.stderr);
  const result = JSON.parse(evaluated.stdout);
  t.is(result.examples, 50);
  t.deepEqual(result.classes, ["non-cat", "cat"]);
  t.true(result.accuracy > 0.5, String(result.accuracy));
});
