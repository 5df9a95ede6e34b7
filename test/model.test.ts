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

test("validationData adds validation cost and accuracy to history and onEpoch", (t) => {
  const run = runs.find((r) => r.name === "adam-softmax-tanh")!;
  const model = modelOf(run);
  const logs: unknown[] = [];
  const validationData = { X: run.inputs.X, Y: run.inputs.Y };
  const result = model.fit(run.inputs.X, run.inputs.Y, {
    ...optionsOf(run),
    epochs: 3,
    validationData,
    onEpoch: (_e, log) => logs.push(log),
  });
  t.deepEqual(logs, result.history);
  const last = result.history.at(-1)!;
  t.true(Math.abs(last.validationCost! - model.cost(validationData.X, validationData.Y)) < 1e-15);
  t.true(last.validationAccuracy! >= 0 && last.validationAccuracy! <= 1);
  // The training-cost history is the same run with or without validation data.
  const plain = modelOf(run).fit(run.inputs.X, run.inputs.Y, { ...optionsOf(run), epochs: 3 });
  t.deepEqual(
    result.history.map((h) => h.cost),
    plain.history.map((h) => h.cost),
  );
});

test("earlyStopping stops after patience epochs without improvement and restores the best parameters", (t) => {
  const run = runs.find((r) => r.name === "adam")!;
  const model = modelOf(run);
  const result = model.fit(run.inputs.X, run.inputs.Y, {
    ...optionsOf(run),
    earlyStopping: { patience: 2, minDelta: 1e9 },
  });
  t.true(result.stoppedEarly);
  t.is(result.bestEpoch, 0);
  t.is(result.history.length, 3);
  const once = modelOf(run);
  once.fit(run.inputs.X, run.inputs.Y, { ...optionsOf(run), epochs: 1 });
  t.deepEqual(model.parameters, once.parameters);
  const kept = modelOf(run);
  kept.fit(run.inputs.X, run.inputs.Y, {
    ...optionsOf(run),
    earlyStopping: { patience: 2, minDelta: 1e9, restoreBest: false },
  });
  t.notDeepEqual(kept.parameters, once.parameters);
});

test("without earlyStopping a run reports its best epoch and never stops early", (t) => {
  const run = runs.find((r) => r.name === "gd-minibatch")!;
  const result = modelOf(run).fit(run.inputs.X, run.inputs.Y, optionsOf(run));
  t.false(result.stoppedEarly);
  const costs = result.history.map((h) => h.cost);
  t.is(result.bestEpoch, costs.indexOf(Math.min(...costs)));
});

test("iterations on a tanh model run full-batch steps through the mini-batch engine", (t) => {
  const run = runs.find((r) => r.name === "l2-fullbatch")!;
  const a = Model.fromParameters(run.inputs.parameters, { hidden: "tanh" });
  const b = Model.fromParameters(run.inputs.parameters, { hidden: "tanh" });
  const byIterations = a.fit(run.inputs.X, run.inputs.Y, { learningRate: 0.1, iterations: 5, costEvery: 2 });
  const byEpochs = b.fit(run.inputs.X, run.inputs.Y, { learningRate: 0.1, epochs: 5 });
  t.deepEqual(
    byIterations.costs,
    [0, 2, 4].map((e) => byEpochs.history[e]!.cost),
  );
  t.deepEqual(a.parameters, b.parameters);
});

test("today's relu/sigmoid iterations runs keep the full-batch engine and its Gram path", (t) => {
  const run = runs.find((r) => r.name === "l2-fullbatch")!;
  const model = Model.fromParameters(run.inputs.parameters);
  const result = model.fit(run.inputs.X, run.inputs.Y, { learningRate: 0.1, iterations: 3, gram: true });
  t.true(result.gram);
  t.deepEqual(result.history, []);
});

test("gram: true where the Gram path cannot apply is a RangeError naming why", (t) => {
  const run = runs.find((r) => r.name === "everything")!;
  const { X, Y } = run.inputs;
  const relu = () => Model.fromParameters(runs.find((r) => r.name === "adam")!.inputs.parameters);
  const adamX = runs.find((r) => r.name === "adam")!.inputs;
  const cases: Array<[() => unknown, RegExp]> = [
    [
      () => relu().fit(adamX.X, adamX.Y, { learningRate: 0.1, epochs: 1, optimizer: "adam", gram: true }),
      /optimizer/,
    ],
    [
      () => relu().fit(adamX.X, adamX.Y, { learningRate: 0.1, epochs: 1, keepProb: 0.5, gram: true }),
      /dropout/,
    ],
    [() => relu().fit(adamX.X, adamX.Y, { learningRate: 0.1, epochs: 1, l2: 0.5, gram: true }), /l2/],
    [
      () => relu().fit(adamX.X, adamX.Y, { learningRate: 0.1, epochs: 1, batchSize: 8, gram: true }),
      /mini-batches/,
    ],
    [() => modelOf(run).fit(X, Y, { learningRate: 0.1, iterations: 1, gram: true }), /leakyRelu\/softmax/],
  ];
  for (const [call, why] of cases) {
    t.throws(call, {
      instanceOf: RangeError,
      message: /fit: expected gram: true only on a full-batch gd run/,
    });
    t.throws(call, { message: why });
  }
});

test("a non-finite cost stops training naming the epoch and step, and the model stays finite", (t) => {
  const run = runs.find((r) => r.name === "gd-minibatch")!;
  const model = modelOf(run);
  const X = run.inputs.X;
  const big = { ...X, data: X.data.map((v) => v * 1e6) } as typeof X;
  const error = t.throws(() => model.fit(big, run.inputs.Y, { ...optionsOf(run), learningRate: 1e6 }));
  t.regex(
    error!.message,
    /^fit: the (cost became \w+|gradients stopped being finite) at epoch \d+, step \d+; the learning rate is probably too large/,
  );
  t.false(model.training);
  for (const value of Object.values(model.parameters)) t.true(value.data.every(Number.isFinite));
});

test("the engine's options refuse bad values, naming the option", (t) => {
  const run = runs.find((r) => r.name === "adam-softmax-tanh")!;
  const { X, Y } = run.inputs;
  const fit = (options: Record<string, unknown>) => () =>
    modelOf(run).fit(X, Y, { learningRate: 0.01, epochs: 1, ...options } as FitOptions);
  const cases: Array<[Record<string, unknown>, typeof TypeError | typeof RangeError, RegExp]> = [
    [{ batchSize: 0 }, RangeError, /fit: expected batchSize to be an integer >= 1, received 0/],
    [{ batchSize: -3 }, RangeError, /batchSize/],
    [{ batchSize: 2.5 }, RangeError, /batchSize/],
    [{ batchSize: Number.NaN }, RangeError, /batchSize.*NaN/],
    [{ keepProb: 0 }, RangeError, /fit: expected keepProb to be a number in \(0, 1\], received 0/],
    [{ keepProb: 1.5 }, RangeError, /keepProb/],
    [{ keepProb: Number.NaN }, RangeError, /keepProb/],
    [{ l2: -1 }, RangeError, /fit: expected l2 to be a finite number >= 0, received -1/],
    [{ l2: Number.NaN }, RangeError, /l2/],
    [
      { optimizer: "rmsprop" },
      RangeError,
      /fit: expected optimizer "gd", "momentum" or "adam", received string "rmsprop"/,
    ],
    [{ optimizer: { name: "momentum", beta: 1 } }, RangeError, /optimizer.beta to be a number in \[0, 1\)/],
    [{ optimizer: { name: "adam", beta2: -0.1 } }, RangeError, /optimizer.beta2/],
    [
      { iterations: 3 },
      TypeError,
      /fit: expected either epochs or iterations \(not both, not neither\), received both/,
    ],
    [{ epochs: undefined }, TypeError, /received neither/],
    [{ earlyStopping: { patience: 0 } }, RangeError, /earlyStopping.patience to be an integer >= 1/],
    [{ earlyStopping: { patience: 1.5 } }, RangeError, /earlyStopping.patience/],
    [{ validationData: { X, Y: X } }, RangeError, /validationData.Y to be one-hot \[3, /],
    [{ validationData: { X: Y, Y } }, RangeError, /validationData.X to have/],
    [{ validationData: 3 }, TypeError, /validationData to be \{ X, Y \}/],
  ];
  for (const [options, error, message] of cases) t.throws(fit(options), { instanceOf: error, message });
  const notOneHot = { ...Y, data: Y.data.map((v) => v * 0.5) } as typeof Y;
  t.throws(() => modelOf(run).fit(X, notOneHot, { learningRate: 0.01, epochs: 1 }), {
    instanceOf: RangeError,
    message: /fit: expected Y to be one-hot/,
  });
  t.throws(() => modelOf(run).fit(X, X, { learningRate: 0.01, epochs: 1 }), {
    instanceOf: RangeError,
    message: /fit: expected Y to be one-hot \[3, \d+\] \(one row per class\)/,
  });
  t.throws(() => new Model([3, 4, 2]), { instanceOf: RangeError, message: /last layer to have 1 unit/ });
  t.throws(() => new Model([3, 4, 1], { output: "softmax" }), {
    instanceOf: RangeError,
    message: /at least 2 units/,
  });
  t.throws(() => new Model([3, 4, 1], { hidden: "gelu" as never }), {
    instanceOf: RangeError,
    message: /Model: expected hidden "relu", "tanh" or "leakyRelu", received string "gelu"/,
  });
});

test("two models' fitAsync runs with the new options at once, in float64 and float32, match their fit", async (t) => {
  const run = runs.find((r) => r.name === "everything")!;
  const sync64 = modelOf(run);
  const sync32 = modelOf(run, "float32");
  const a = sync64.fit(run.inputs.X, run.inputs.Y, optionsOf(run));
  const b = sync32.fit(run.inputs.X, run.inputs.Y, optionsOf(run));
  const async64 = modelOf(run);
  const async32 = modelOf(run, "float32");
  const [c, d] = await Promise.all([
    async64.fitAsync(run.inputs.X, run.inputs.Y, optionsOf(run)),
    async32.fitAsync(run.inputs.X, run.inputs.Y, optionsOf(run)),
  ]);
  t.deepEqual(c.history, a.history);
  t.deepEqual(d.history, b.history);
  t.deepEqual(async64.parameters, sync64.parameters);
  t.deepEqual(async32.parameters, sync32.parameters);
});
