// Small trained models for the file tests: seeded, a few iterations, so the weights are not the
// initial draw and every bit of them matters.
import { Matrix, Model } from "../../lib/index.js";
import { Rng } from "./prng.js";
import type { DType } from "../../lib/types.js";

/** A [5, 4, 3, 1] model trained for 20 iterations on seeded data, and that data. */
export function trainedModel(dtype: DType, seed = 1): { model: Model; X: Matrix } {
  const rng = new Rng(seed);
  const m = 12;
  const X = new Matrix(
    5,
    m,
    Float64Array.from({ length: 5 * m }, () => rng.next() * 2 - 1),
  );
  const Y = new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, () => (rng.next() < 0.5 ? 0 : 1)),
  );
  const model = new Model([5, 4, 3, 1], { seed, dtype, init: "he" });
  model.fit(X, Y, { learningRate: 0.1, iterations: 20 });
  return { model, X };
}
