// The Model's mini-batch engine against the trainer fixture's training_runs (numpy): every run's epoch
// costs within 1e-9 relative and final parameters within 1e-8 of their largest magnitude in float64,
// 1e-3 in float32; fitAsync gives the same results and can be cancelled mid-epoch.

import test from "ava";
import { AbortError, type FitOptions, Model, type MatrixDict } from "../lib/index.js";
import { hiddenName, trainerCase } from "./helpers/trainer-fixtures.js";

type Run = ReturnType<typeof trainerCase<"training_runs">>[number];

function optionsOf(run: Run): FitOptions {
  const { config } = run;
  const optimizer =
    config.optimizer === "momentum"
      ? { name: "momentum" as const, beta: config.opt_args.beta }
      : config.optimizer === "adam"
        ? { name: "adam" as const, ...config.opt_args }
        : ("gd" as const);
  return {
    learningRate: config.lr,
    epochs: config.epochs,
    batchSize: config.batch,
    shuffle: config.shuffle,
    shuffleSeed: config.shuffle_seed,
    optimizer,
    l2: config.l2,
    keepProb: config.keep_prob,
    dropoutSeed: config.dropout_seed,
  };
}

function modelOf(run: Run, dtype: "float64" | "float32" = "float64"): Model {
  return Model.fromParameters(run.inputs.parameters, {
    hidden: hiddenName(run.config.hidden),
    output: run.config.output,
    dtype,
  });
}

function errors(run: Run, costs: number[], parameters: MatrixDict) {
  const { expected } = run;
  let worstCost = 0;
  costs.forEach((c, e) => {
    const want = expected.epoch_costs[e]!;
    worstCost = Math.max(worstCost, Math.abs(c - want) / Math.abs(want));
  });
  let largest = 0;
  let worstParam = 0;
  for (const [key, E] of Object.entries(expected.parameters)) {
    const A = parameters[key]!;
    E.data.forEach((e, i) => {
      largest = Math.max(largest, Math.abs(e));
      worstParam = Math.max(worstParam, Math.abs(A.data[i]! - e));
    });
  }
  return { worstCost, worstParam: worstParam / largest };
}

const runs = trainerCase("training_runs");

for (const [k, { name }] of runs.entries()) {
  test(`Model.fit reproduces numpy's training run ${name} in float64`, (t) => {
    const run = runs[k]!;
    const model = modelOf(run);
    const epochs: number[] = [];
    const result = model.fit(run.inputs.X, run.inputs.Y, {
      ...optionsOf(run),
      onEpoch: (e, { cost }) => epochs.push(e, cost),
    });
    t.is(result.history.length, run.expected.epoch_costs.length);
    const costs = result.history.map((h) => h.cost);
    t.deepEqual(result.costs, costs);
    t.is(epochs.length, 2 * costs.length);
    const { worstCost, worstParam } = errors(run, costs, model.parameters);
    t.log(`epoch costs: worst relative error ${worstCost}; parameters: worst error / largest ${worstParam}`);
    t.true(worstCost <= 1e-9, `epoch cost relative error ${worstCost}`);
    t.true(worstParam <= 1e-8, `parameter error ${worstParam} of the largest`);
  });

  test(`Model.fit reproduces numpy's training run ${name} in float32 within 1e-3`, (t) => {
    const run = runs[k]!;
    const model = modelOf(run, "float32");
    const result = model.fit(run.inputs.X, run.inputs.Y, optionsOf(run));
    const { worstCost, worstParam } = errors(
      run,
      result.history.map((h) => h.cost),
      model.parameters,
    );
    t.log(`float32: worst cost relative error ${worstCost}; parameters ${worstParam} of the largest`);
    t.true(worstCost <= 1e-3);
    t.true(worstParam <= 1e-3);
  });
}

test("fitAsync with the new options gives exactly fit's results", async (t) => {
  const run = runs.find((r) => r.name === "everything")!;
  const a = modelOf(run);
  const b = modelOf(run);
  const sync = a.fit(run.inputs.X, run.inputs.Y, optionsOf(run));
  const progress: number[] = [];
  const async = await b.fitAsync(run.inputs.X, run.inputs.Y, {
    ...optionsOf(run),
    onProgress: ({ iteration }) => progress.push(iteration),
  });
  t.deepEqual(async.history, sync.history);
  t.deepEqual(b.parameters, a.parameters);
  t.true(progress.length > 0);
});

test("fitAsync cancelled mid-epoch rejects with an AbortError and leaves the model trainable", async (t) => {
  const run = runs.find((r) => r.name === "adam-softmax-tanh")!;
  const model = modelOf(run);
  const controller = new AbortController();
  let batches = 0;
  const promise = model.fitAsync(run.inputs.X, run.inputs.Y, {
    ...optionsOf(run),
    onProgress: ({ iteration }) => {
      batches = iteration;
      if (iteration >= 3) controller.abort();
    },
    signal: controller.signal,
  });
  await t.throwsAsync(promise, { instanceOf: AbortError, message: /aborted after \d+ steps/ });
  t.true(batches >= 3);
  t.false(model.training);
  const before = model.parameters;
  for (const value of Object.values(before)) t.true(value.data.every(Number.isFinite));
  const again = model.fit(run.inputs.X, run.inputs.Y, { ...optionsOf(run), epochs: 2 });
  t.is(again.history.length, 2);
});

test("a softmax model predicts class indices and predictProba gives AL", (t) => {
  const run = runs.find((r) => r.name === "adam-softmax-tanh")!;
  const model = modelOf(run);
  model.fit(run.inputs.X, run.inputs.Y, optionsOf(run));
  const P = model.predictProba(run.inputs.X);
  t.is(P.rows, run.inputs.Y.rows);
  const labels = model.predict(run.inputs.X);
  t.is(labels.rows, 1);
  for (let j = 0; j < labels.cols; j++) {
    let sum = 0;
    for (let i = 0; i < P.rows; i++) sum += P.data[i * P.cols + j]!;
    t.true(Math.abs(sum - 1) < 1e-12);
    t.true(Number.isInteger(labels.data[j]) && labels.data[j]! < P.rows);
  }
  t.true(Number.isFinite(model.cost(run.inputs.X, run.inputs.Y)));
});
