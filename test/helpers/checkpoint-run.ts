// The run the checkpoint tests interrupt and resume: adam, dropout, l2 and shuffled mini-batches.
import { Matrix, Model } from "../../lib/index.js";
import type { FitOptions } from "../../lib/index.js";
import { Rng } from "./prng.js";

export function checkpointRun(dtype: "float64" | "float32", epochs = 40) {
  const rng = new Rng(5);
  const n0 = 6;
  const m = 50;
  const X = new Matrix(
    n0,
    m,
    Float64Array.from({ length: n0 * m }, () => rng.next()),
  );
  const Y = new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, (_, j) => (X.data[j]! + X.data[m + j]! > 1 ? 1 : 0)),
  );
  const model = new Model([n0, 8, 5, 1], { seed: 3, dtype });
  const options: FitOptions = {
    learningRate: 0.01,
    epochs,
    batchSize: 16,
    shuffle: true,
    shuffleSeed: 7,
    optimizer: { name: "adam", beta1: 0.9, beta2: 0.99 },
    l2: 0.05,
    keepProb: 0.8,
    dropoutSeed: 11,
  };
  return { model, X, Y, options };
}
