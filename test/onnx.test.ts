// ONNX export: onnxruntime-node runs exportOnnx's graph with predictProba's outputs, float64
// within 1e-12 and float32 within 1e-5, on examples given as rows.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import * as ort from "onnxruntime-node";
import { Matrix, Model } from "../lib/index.js";
import { trainedModel } from "./helpers/models.js";
import { Rng } from "./helpers/prng.js";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-onnx-"));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** X's examples as rows: the transpose of blasnet's [n_0, m]. */
function rowsOf(X: Matrix): Float64Array {
  const out = new Float64Array(X.rows * X.cols);
  for (let i = 0; i < X.rows; i++) for (let j = 0; j < X.cols; j++) out[j * X.rows + i] = X.get(i, j);
  return out;
}

for (const [dtype, tolerance, elementType] of [
  ["float64", 1e-12, "float64"],
  ["float32", 1e-5, "float32"],
] as const) {
  test(`onnxruntime-node runs a ${dtype} model's ONNX graph with predictProba's outputs within ${tolerance}`, async (t) => {
    const { model } = trainedModel(dtype, 9);
    const rng = new Rng(11);
    const m = 33;
    const X = new Matrix(
      5,
      m,
      Float64Array.from({ length: 5 * m }, () => rng.next() * 4 - 2),
    );
    const path = join(dir, `model-${dtype}.onnx`);
    await model.exportOnnx(path);
    const session = await ort.InferenceSession.create(path);
    t.deepEqual(session.inputNames, ["X"]);
    t.deepEqual(session.outputNames, ["probabilities"]);
    const rows = rowsOf(X);
    const input = new ort.Tensor(elementType, dtype === "float64" ? rows : Float32Array.from(rows), [m, 5]);
    const { probabilities } = await session.run({ X: input });
    t.is(probabilities!.type, elementType);
    t.deepEqual(probabilities!.dims, [m, 1]);
    const expected = model.predictProba(X).data;
    const got = probabilities!.data as Float64Array | Float32Array;
    let worst = 0;
    for (let j = 0; j < m; j++) worst = Math.max(worst, Math.abs(got[j]! - expected[j]!));
    t.true(worst <= tolerance, `worst |diff| ${worst}`);
    t.log(`worst |diff| ${worst}`);
    await session.release();
  });
}

for (const [hidden, output, dims] of [
  ["tanh", "softmax", [5, 4, 3]],
  ["leakyRelu", "softmax", [5, 6, 4, 2]],
  ["leakyRelu", "sigmoid", [5, 3, 1]],
] as const) {
  test(`onnxruntime-node runs a ${hidden}/${output} model's graph with predictProba's outputs within 1e-12`, async (t) => {
    const model = new Model([...dims], { seed: 6, hidden, output, init: "he" });
    const rng = new Rng(12);
    const m = 17;
    const X = new Matrix(
      5,
      m,
      Float64Array.from({ length: 5 * m }, () => rng.next() * 4 - 2),
    );
    const path = join(dir, `model-${hidden}-${output}.onnx`);
    await model.exportOnnx(path);
    const session = await ort.InferenceSession.create(path);
    const { probabilities } = await session.run({ X: new ort.Tensor("float64", rowsOf(X), [m, 5]) });
    const C = dims.at(-1)!;
    t.deepEqual(probabilities!.dims, [m, C]);
    const expected = model.predictProba(X); // [C, m]
    const got = probabilities!.data as Float64Array;
    let worst = 0;
    for (let j = 0; j < m; j++)
      for (let c = 0; c < C; c++) worst = Math.max(worst, Math.abs(got[j * C + c]! - expected.get(c, j)));
    t.true(worst <= 1e-12, `worst |diff| ${worst}`);
    await session.release();
  });
}

test("exportOnnx into a folder that does not exist is an ENOENT error naming the folder", async (t) => {
  const { model } = trainedModel("float64");
  const error = await t.throwsAsync(model.exportOnnx(join(dir, "missing", "m.onnx")), {
    message: /exportOnnx: cannot write .*m\.onnx: the folder .*missing does not exist \(ENOENT\)/,
  });
  t.is((error as NodeJS.ErrnoException).code, "ENOENT");
});
