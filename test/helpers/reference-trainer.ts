// A plain-TypeScript trainer built only from the functional API, following the trainer fixture's
// spec step by step: proof that the functional pieces compose into numpy's training runs exactly.
// It is a test oracle, not the engine (the Model's native run loop is a separate piece of work).
import {
  Matrix,
  type MatrixDict,
  RandomState,
  computeCost,
  initializeAdam,
  initializeVelocity,
  lModelBackward,
  lModelForward,
  randomMiniBatches,
  updateParameters,
  updateParametersWithAdam,
  updateParametersWithMomentum,
} from "../../lib/index.js";

export interface ReferenceRun {
  hidden: "relu" | "tanh" | "leakyRelu";
  output: "sigmoid" | "softmax";
  batch: number;
  shuffle: boolean;
  shuffleSeed: number;
  optimizer: "gd" | "momentum" | "adam";
  beta?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  l2: number;
  keepProb: number;
  dropoutSeed: number;
  learningRate: number;
  epochs: number;
}

/** Consecutive slices of `size` columns, in order (the unshuffled epoch). */
function slices(X: Matrix, Y: Matrix, size: number): Array<{ X: Matrix; Y: Matrix }> {
  const out: Array<{ X: Matrix; Y: Matrix }> = [];
  const m = X.cols;
  const take = (A: Matrix, start: number, count: number) => {
    const B = new Matrix(A.rows, count);
    for (let i = 0; i < A.rows; i++) {
      for (let j = 0; j < count; j++) B.data[i * count + j] = A.data[i * m + start + j]!;
    }
    return B;
  };
  for (let start = 0; start < m; start += size) {
    const count = Math.min(size, m - start);
    out.push({ X: take(X, start, count), Y: take(Y, start, count) });
  }
  return out;
}

/** Trains from `initial` as the spec says; returns each epoch's cost and the final parameters. */
export function referenceTrain(
  X: Matrix,
  Y: Matrix,
  initial: MatrixDict,
  run: ReferenceRun,
): { epochCosts: number[]; parameters: MatrixDict } {
  const { hidden, output, l2, keepProb } = run;
  const m = X.cols;
  const dropoutRng = new RandomState(run.dropoutSeed);
  let parameters = initial;
  let v = initializeVelocity(parameters);
  let { s } = initializeAdam(parameters);
  let t = 0;
  const epochCosts: number[] = [];
  for (let e = 0; e < run.epochs; e++) {
    const batches = run.shuffle
      ? randomMiniBatches(X, Y, run.batch, run.shuffleSeed + e)
      : slices(X, Y, run.batch);
    let total = 0;
    for (const batch of batches) {
      const { AL, caches } = lModelForward(batch.X, parameters, {
        hidden,
        output,
        keepProb,
        rng: dropoutRng,
      });
      total += batch.X.cols * computeCost(AL, batch.Y, { output, parameters, l2 });
      const grads = lModelBackward(AL, batch.Y, caches, { hidden, output, l2, keepProb });
      t++;
      if (run.optimizer === "gd") {
        parameters = updateParameters(parameters, grads, run.learningRate);
      } else if (run.optimizer === "momentum") {
        ({ parameters, v } = updateParametersWithMomentum(
          parameters,
          grads,
          v,
          run.beta ?? 0.9,
          run.learningRate,
        ));
      } else {
        ({ parameters, v, s } = updateParametersWithAdam(
          parameters,
          grads,
          v,
          s,
          t,
          run.learningRate,
          run.beta1 ?? 0.9,
          run.beta2 ?? 0.999,
          run.epsilon ?? 1e-8,
        ));
      }
    }
    epochCosts.push(total / m);
  }
  return { epochCosts, parameters };
}
