// A gathering run copies its batches as rows of X^T (examples as rows, lib/fit.ts examplesAsRows),
// and the first layer's products read them as rows, instead of picking columns of X: every bit of
// the run must be the same either way (test:cores repeats this under every OpenBLAS kernel).
import test from "ava";
import { type StepSettings, examplesAsRows, stepPlan } from "../lib/fit.js";
import { Matrix } from "../lib/matrix.js";
import { type FloatArray, native } from "../lib/native.js";
import { RandomState } from "../lib/random.js";
import { Rng } from "./helpers/prng.js";

interface Shape {
  dims: number[];
  m: number;
  batchSize: number;
}
// A tiny net, and one shaped like mnist-mlp's (784 inputs, batch 64, a ragged last batch), whose
// first-layer products run through OpenBLAS's full packed kernels.
const shapes: Shape[] = [
  { dims: [7, 5, 3], m: 37, batchSize: 8 },
  { dims: [784, 128, 10], m: 300, batchSize: 64 },
];

function run(dtype: "float64" | "float32", fromRows: boolean, { dims, m, batchSize }: Shape) {
  const rng = new Rng(5);
  const make = (n: number): FloatArray => (dtype === "float32" ? new Float32Array(n) : new Float64Array(n));
  const X = new Matrix(dims[0]!, m, Float64Array.from(rng.normals(dims[0]! * m)));
  const Y = make(dims[2]! * m);
  for (let j = 0; j < m; j++) Y[(j % dims[2]!) * m + j] = 1;
  const layers = [1, 2].map((l) => ({ n: dims[l]!, nIn: dims[l - 1]! }));
  const weights = {
    W: layers.map(({ n, nIn }) => {
      const w = make(n * nIn);
      w.set(rng.normals(n * nIn).map((v) => v / Math.sqrt(nIn)));
      return w;
    }),
    b: layers.map(({ n }) => make(n)),
    dW: layers.map(({ n, nIn }) => make(n * nIn)),
    db: layers.map(({ n }) => make(n)),
  };
  const settings = {
    learningRate: 0.01,
    epochs: 1,
    batchSize,
    shuffle: true,
    shuffleSeed: 0,
    optimizer: "adam",
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    l2: 0,
    keepProb: 0.8,
    dropoutSeed: 1,
    costEvery: 1,
    iterations: false,
  } as StepSettings;
  const straight = make(X.data.length);
  straight.set(X.data);
  const inputs = fromRows ? { X: null, XT: examplesAsRows("test", dtype, X) } : { X: straight, XT: null };
  const plan = stepPlan(
    dtype,
    dims,
    weights,
    inputs,
    Y,
    m,
    settings,
    { hidden: "relu", output: "softmax" },
    "test",
  );
  plan.order.set(new RandomState(3).permutation(m));
  const batches = Math.ceil(m / settings.batchSize);
  const costs = new Float64Array(batches);
  const outcome = native.trainSteps(plan, 0, batches, new Float64Array(1), costs, null);
  return { outcome, costs: [...costs], W: weights.W.map((w) => [...w]), b: weights.b.map((b) => [...b]) };
}

for (const dtype of ["float64", "float32"] as const) {
  test(`${dtype}: a shuffled epoch gives the same bits from X^T's rows as from X's columns`, (t) => {
    for (const shape of shapes) {
      const fromColumns = run(dtype, false, shape);
      const fromRows = run(dtype, true, shape);
      t.is(
        fromRows.outcome.completed,
        Math.ceil(shape.m / shape.batchSize),
        JSON.stringify(fromRows.outcome),
      );
      t.deepEqual(fromRows.costs, fromColumns.costs);
      t.deepEqual(fromRows.W, fromColumns.W);
      t.deepEqual(fromRows.b, fromColumns.b);
    }
  });
}

test("examplesAsRows is X transposed, converted to the model's precision", (t) => {
  const X = new Matrix(
    3,
    41,
    Float64Array.from({ length: 123 }, (_, i) => i / 7),
  );
  for (const dtype of ["float64", "float32"] as const) {
    const XT = examplesAsRows("test", dtype, X);
    t.is(XT.length, 123);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 41; j++) {
        const x = X.data[i * 41 + j]!;
        t.is(XT[j * 3 + i], dtype === "float32" ? Math.fround(x) : x);
      }
    }
  }
});
