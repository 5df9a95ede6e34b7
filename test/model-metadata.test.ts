// Model metadata (feature names, target, classes, scaling): the setter's checks, the round trip
// through the model file, old files without it, and files whose metadata is malformed.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import {
  Matrix,
  Model,
  ModelFormatError,
  type ModelMetadata,
  fitScaling,
  scaleFeatures,
} from "../lib/index.js";
import { editHeader, smallFile } from "./helpers/model-bytes.js";

const metadata: ModelMetadata = {
  features: ["height", "width", "depth"],
  target: "kind",
  classes: ["box", "crate"],
  scaling: { method: "standard", offset: [1, -2.5, 0.125], scale: [2, 0.5, 1e-3] },
};

let dir = "";
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-metadata-"));
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("metadata set on a model survives save and load, and toBuffer and fromBuffer", async (t) => {
  const model = new Model([3, 2, 1], { seed: 4 });
  model.metadata = metadata;
  t.deepEqual(model.metadata, metadata);
  t.true(Object.isFrozen(model.metadata) && Object.isFrozen(model.metadata!.scaling!.offset));
  const path = join(dir, "with-metadata.safetensors");
  await model.save(path);
  const loaded = await Model.load(path);
  t.deepEqual(loaded.metadata, metadata);
  t.deepEqual(Model.fromBuffer(model.toBuffer()).metadata, metadata);
  // Offsets and scales keep every bit (JSON writes the shortest text that reads back the same double).
  t.is(loaded.metadata!.scaling!.scale[2], 1e-3);
});

test("a softmax model's metadata names one class per output unit", (t) => {
  const model = new Model([2, 3], { output: "softmax", seed: 1 });
  model.metadata = { classes: ["a", "b", "c"] };
  t.deepEqual(Model.fromBuffer(model.toBuffer()).metadata, { classes: ["a", "b", "c"] });
  t.throws(() => (model.metadata = { classes: ["a", "b"] }), {
    instanceOf: RangeError,
    message: /^Model\.metadata: expected metadata\.classes to hold 3 names/,
  });
});

test("a model without metadata, and a file written before metadata existed, load with none", (t) => {
  const model = new Model([3, 2, 1], { seed: 4 });
  t.is(model.metadata, undefined);
  const bytes = smallFile();
  t.false(Buffer.from(bytes).toString("latin1").includes("model_metadata"));
  t.is(Model.fromBuffer(bytes).metadata, undefined);
  model.metadata = metadata;
  model.metadata = undefined;
  t.is(Model.fromBuffer(model.toBuffer()).metadata, undefined);
});

test("the metadata setter rejects malformed metadata with TypeError or RangeError", (t) => {
  const model = new Model([3, 2, 1], { seed: 4 });
  const cases: [unknown, typeof TypeError | typeof RangeError, RegExp][] = [
    ["features", TypeError, /expected metadata to be an object, received string "features"/],
    [{ features: ["a", "b"] }, RangeError, /metadata\.features to hold 3 names \(n_0\), received 2/],
    [{ features: ["a", "a", "b"] }, RangeError, /metadata\.features names "a" twice/],
    [{ features: ["a", 1, "b"] }, TypeError, /metadata\.features\[1\] to be a non-empty string/],
    [
      { classes: ["a", "b", "c"] },
      RangeError,
      /metadata\.classes to hold 2 names \(two for a sigmoid head\)/,
    ],
    [{ target: "" }, TypeError, /metadata\.target to be a non-empty string/],
    [{ colour: "red" }, RangeError, /metadata has an unknown key "colour"/],
    [
      { scaling: { method: "zscore", offset: [0, 0, 0], scale: [1, 1, 1] } },
      RangeError,
      /method to be "standard" or "minmax"/,
    ],
    [
      { scaling: { method: "minmax", offset: [0, 0], scale: [1, 1, 1] } },
      RangeError,
      /offset to hold 3 numbers/,
    ],
    [
      { scaling: { method: "minmax", offset: [0, 0, 0], scale: [1, 0, 1] } },
      RangeError,
      /scale\[1\] to be a finite number > 0, received 0/,
    ],
    [
      { scaling: { method: "minmax", offset: [0, NaN, 0], scale: [1, 1, 1] } },
      RangeError,
      /offset\[1\] to be a finite number, received NaN/,
    ],
  ];
  for (const [value, kind, message] of cases) {
    t.throws(
      () => (model.metadata = value as ModelMetadata),
      { instanceOf: kind, message },
      JSON.stringify(value),
    );
  }
  t.is(model.metadata, undefined);
});

const withMetadataText = (text: string) =>
  editHeader(smallFile(), (header) => {
    (header.__metadata__ as Record<string, string>).model_metadata = text;
  });

test("a file whose metadata is not JSON is a ModelFormatError", (t) => {
  t.throws(() => Model.fromBuffer(withMetadataText("{features")), {
    instanceOf: ModelFormatError,
    message: /^Model\.fromBuffer: "__metadata__\.model_metadata" is not JSON/,
  });
});

for (const [what, value, message] of [
  ["too few feature names", { features: ["a"] }, /metadata\.features to hold 3 names/],
  ["a zero scale", { scaling: { method: "standard", offset: [0, 0, 0], scale: [1, 0, 1] } }, /scale\[1\]/],
  [
    "a number for the classes",
    { classes: 2 },
    /metadata\.classes to be an array of strings, received number 2/,
  ],
  ["an unknown key", { __proto__x: 1 }, /unknown key "__proto__x"/],
  ["an array", ["a"], /expected metadata to be an object/],
] as const) {
  test(`a file whose metadata has ${what} is a ModelFormatError`, (t) => {
    t.throws(() => Model.fromBuffer(withMetadataText(JSON.stringify(value))), {
      instanceOf: ModelFormatError,
      message: new RegExp(`^Model\\.fromBuffer: "__metadata__\\.model_metadata": .*${message.source}`),
    });
  });
}

test("a __proto__ key in a file's metadata is refused and pollutes nothing", (t) => {
  t.throws(() => Model.fromBuffer(withMetadataText('{"__proto__": {"polluted": 1}}')), {
    instanceOf: ModelFormatError,
    message: /unknown key "__proto__"/,
  });
  t.is(({} as Record<string, unknown>).polluted, undefined);
});

test("fitScaling and scaleFeatures standardise and min-max scale each feature row", (t) => {
  const X = Matrix.from([
    [1, 2, 3, 6],
    [5, 5, 5, 5],
  ]);
  const standard = fitScaling(X, "standard");
  t.deepEqual(standard.offset, [3, 5]);
  t.is(standard.scale[0], Math.sqrt(3.5));
  t.is(standard.scale[1], 1); // a constant feature maps to 0, not NaN
  const Z = scaleFeatures(X, standard);
  t.true(Math.abs(Z.data.slice(0, 4).reduce((a, b) => a + b, 0)) < 1e-12);
  t.deepEqual([...Z.data.slice(4)], [0, 0, 0, 0]);
  const minmax = fitScaling(X, "minmax");
  t.deepEqual([...scaleFeatures(X, minmax).data.slice(0, 4)], [0, 0.2, 0.4, 1]);
  t.throws(() => scaleFeatures(Matrix.zeros(3, 1), minmax), { instanceOf: RangeError, message: /\[3, 1\]/ });
});
