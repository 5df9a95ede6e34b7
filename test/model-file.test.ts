// Saving and loading models: the safetensors layout, bit-identical round trips in both dtypes,
// the README's Python reader against numpy, and write errors.
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { Model } from "../lib/index.js";
import { trainedModel } from "./helpers/models.js";
import { hasNumpy, noNumpyNotice, runPython } from "./helpers/python.js";

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-model-file-"));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sameBits = (a: Float64Array, b: Float64Array) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

for (const dtype of ["float64", "float32"] as const) {
  test(`a ${dtype} model saved and loaded predicts bit-identically`, async (t) => {
    const { model, X } = trainedModel(dtype);
    const path = join(dir, `round-${dtype}.safetensors`);
    await model.save(path);
    const loaded = await Model.load(path);
    t.is(loaded.dtype, dtype);
    t.deepEqual(loaded.layerDims, model.layerDims);
    t.true(sameBits(loaded.predictProba(X).data, model.predictProba(X).data));
    for (const [key, value] of Object.entries(model.parameters)) {
      t.true(sameBits(loaded.parameters[key]!.data, value.data), key);
    }
    t.true(Buffer.from(loaded.toBuffer()).equals(await readFile(path)));
  });

  test(`toBuffer and fromBuffer round-trip a ${dtype} model`, (t) => {
    const { model, X } = trainedModel(dtype, 7);
    const bytes = model.toBuffer();
    const copy = Model.fromBuffer(bytes);
    t.true(sameBits(copy.predictProba(X).data, model.predictProba(X).data));
    t.true(Buffer.from(copy.toBuffer()).equals(Buffer.from(bytes)));
  });
}

for (const [hidden, output, dims] of [
  ["tanh", "softmax", [5, 4, 3]],
  ["leakyRelu", "sigmoid", [5, 4, 1]],
] as const) {
  test(`a ${hidden}/${output} model keeps its activations through the file and predicts bit-identically`, (t) => {
    const model = new Model([...dims], { seed: 5, hidden, output });
    const loaded = Model.fromBuffer(model.toBuffer());
    t.is(loaded.hidden, hidden);
    t.is(loaded.output, output);
    const X = trainedModel("float64").X;
    t.true(sameBits(loaded.predictProba(X).data, model.predictProba(X).data));
    const header = JSON.parse(
      Buffer.from(model.toBuffer()).subarray(8).toString("utf8").split("}}")[0] + "}}",
    );
    t.is(header.__metadata__.hidden, hidden);
    t.is(header.__metadata__.output, output);
  });
}

test("the file is safetensors: header length, 8-byte aligned data, string metadata, W and b tensors", (t) => {
  const { model } = trainedModel("float32");
  const bytes = Buffer.from(model.toBuffer());
  const n = Number(bytes.readBigUInt64LE(0));
  t.is((8 + n) % 8, 0);
  const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
  t.deepEqual(header.__metadata__, {
    format: "blasnet",
    format_version: "1",
    layerDims: "[5,4,3,1]",
    hidden: "relu",
    output: "sigmoid",
    dtype: "float32",
  });
  t.deepEqual(header.W2, { dtype: "F32", shape: [3, 4], data_offsets: [96, 144] });
  t.deepEqual(header.b3, { dtype: "F32", shape: [1, 1], data_offsets: [168, 172] });
  t.is(bytes.length, 8 + n + 172);
});

test("save replaces an existing file and leaves no temporary file behind", async (t) => {
  const path = join(dir, "replace.safetensors");
  await trainedModel("float64", 1).model.save(path);
  const second = trainedModel("float64", 2).model;
  await second.save(path);
  t.true((await readFile(path)).equals(Buffer.from(second.toBuffer())));
  t.deepEqual(
    (await readdir(dir)).filter((f) => f.endsWith(".tmp")),
    [],
  );
});

test("save into a folder that does not exist is an ENOENT error naming the folder", async (t) => {
  const { model } = trainedModel("float64");
  const error = await t.throwsAsync(model.save(join(dir, "missing", "m.safetensors")), {
    message: /save: cannot write .*m\.safetensors: the folder .*missing does not exist \(ENOENT\)/,
  });
  t.is((error as NodeJS.ErrnoException).code, "ENOENT");
});

test("save, load and fromBuffer reject bad arguments with TypeError", async (t) => {
  const { model } = trainedModel("float64");
  await t.throwsAsync(model.save(42 as unknown as string), {
    instanceOf: TypeError,
    message: "save: expected path to be a non-empty string, received number 42",
  });
  await t.throwsAsync(Model.load(""), { instanceOf: TypeError, message: /Model.load: expected path/ });
  t.throws(() => Model.fromBuffer([1, 2] as unknown as Uint8Array), {
    instanceOf: TypeError,
    message: /Model.fromBuffer: expected buffer to be a Uint8Array or Buffer, received/,
  });
  t.throws(() => Model.fromBuffer(model.toBuffer(), { allowNonFinite: 1 as unknown as boolean }), {
    instanceOf: TypeError,
    message: /allowNonFinite/,
  });
});

test("load of a file that does not exist is Node's ENOENT error", async (t) => {
  const error = await t.throwsAsync(Model.load(join(dir, "nothing.safetensors")));
  t.is((error as NodeJS.ErrnoException).code, "ENOENT");
});

/** The README's Python reader, exactly as documented. */
async function readmeReader(): Promise<string> {
  const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
  const match = /<!-- python-reader -->\n```python\n([\s\S]*?)```/.exec(readme);
  if (match === null) throw new Error("README.md has no python-reader block");
  return match[1]!;
}

if (!hasNumpy) console.log(noNumpyNotice);
for (const dtype of ["float64", "float32"] as const) {
  (hasNumpy ? test : test.skip)(`the README's numpy reader reads a ${dtype} file bit-exactly`, async (t) => {
    const { model } = trainedModel(dtype, 3);
    const path = join(dir, `python-${dtype}.safetensors`);
    await model.save(path);
    const program =
      (await readmeReader()) +
      `
import sys
meta, params = read_blasnet(sys.argv[1])
print(json.dumps({"meta": meta, "params": {k: [str(v.dtype), list(v.shape), v.tobytes().hex()] for k, v in params.items()}}))
`;
    const out = JSON.parse(runPython(program, [path]));
    t.is(out.meta.dtype, dtype);
    t.is(out.meta.layerDims, "[5,4,3,1]");
    const parameters = model.parameters;
    t.deepEqual(Object.keys(out.params), ["W1", "b1", "W2", "b2", "W3", "b3"]);
    for (const [key, value] of Object.entries(parameters)) {
      const data = dtype === "float32" ? Float32Array.from(value.data) : value.data;
      t.deepEqual(out.params[key], [
        dtype,
        [value.rows, value.cols],
        Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("hex"),
      ]);
    }
  });
}
