// fitAsync: off the event loop, cancellable, one run per model, several models at once.
import test from "ava";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Model } from "../lib/index.js";
import { catTest } from "./helpers/data.js";
import { signTask } from "./helpers/tasks.js";

/** A small separable task: Y = 1 when the first feature is positive. */
const toyTask = (nx = 8, m = 64, seed = 5) => signTask(nx, m, seed);

const dims = [8, 6, 4, 1];
const options = { learningRate: 0.05, iterations: 600, costEvery: 50 };

test("fitAsync matches fit exactly on the same model and data", async (t) => {
  const { X, Y } = toyTask();
  const sync = new Model(dims, { seed: 2 });
  const async = new Model(dims, { seed: 2 });
  const a = sync.fit(X, Y, options);
  const b = await async.fitAsync(X, Y, options);
  t.deepEqual(b.costs, a.costs);
  t.deepEqual(async.parameters, sync.parameters);
});

test("fitAsync reports progress on the main thread up to the last iteration", async (t) => {
  const { X, Y } = toyTask();
  const seen: number[] = [];
  await new Model(dims).fitAsync(X, Y, { ...options, onProgress: (p) => seen.push(p.iteration) });
  t.true(seen.length > 0);
  t.is(seen.at(-1), options.iterations);
  t.deepEqual(
    seen,
    [...seen].sort((a, b) => a - b),
  );
});

test("a model that is training refuses a second fit or fitAsync", async (t) => {
  const { X, Y } = toyTask();
  const model = new Model(dims);
  const running = model.fitAsync(X, Y, { ...options, iterations: 3000 });
  t.true(model.training);
  t.throws(() => model.fit(X, Y, options), {
    instanceOf: Error,
    message: /^fit: this model is already training/,
  });
  await t.throwsAsync(model.fitAsync(X, Y, options), {
    message: /^fitAsync: this model is already training/,
  });
  await running;
  t.false(model.training);
  t.notThrows(() => model.fit(X, Y, options));
});

test("parameters cannot be read while native code writes them, but can in onProgress", async (t) => {
  const { X, Y } = toyTask();
  const model = new Model(dims);
  let readInProgress = 0;
  const running = model.fitAsync(X, Y, {
    ...options,
    onProgress: () => {
      t.truthy(model.parameters.W1);
      readInProgress++;
    },
  });
  t.throws(() => model.parameters, { message: /the model is training/ });
  await running;
  t.true(readInProgress > 0);
});

test("on the Gram path, parameters read in onProgress are those of a fit stopped at that iteration", async (t) => {
  // m < n_0: "auto" takes the Gram path, whose W1 is settled when the model is read between chunks.
  const { X, Y } = toyTask(80, 40, 6);
  const gramDims = [80, 5, 1];
  const model = new Model(gramDims, { seed: 3 });
  const seen: { iteration: number; W1: number[] }[] = [];
  const result = await model.fitAsync(X, Y, {
    ...options,
    onProgress: (p) => {
      if (seen.length < 3) seen.push({ iteration: p.iteration, W1: [...model.parameters.W1!.data] });
    },
  });
  t.true(result.gram);
  t.true(seen.length > 0);
  for (const { iteration, W1 } of seen) {
    const replay = new Model(gramDims, { seed: 3 });
    replay.fit(X, Y, { ...options, iterations: iteration });
    t.deepEqual(W1, [...replay.parameters.W1!.data], `at iteration ${iteration}`);
  }
  const sync = new Model(gramDims, { seed: 3 });
  sync.fit(X, Y, options);
  t.deepEqual(model.parameters, sync.parameters);
});

test("aborting fitAsync rejects with an AbortError and keeps the last completed iteration", async (t) => {
  const { X, Y } = toyTask();
  const model = new Model(dims, { seed: 4 });
  const controller = new AbortController();
  let lastProgress = 0;
  const running = model.fitAsync(X, Y, {
    ...options,
    iterations: 1_000_000,
    signal: controller.signal,
    onProgress: (p) => {
      lastProgress = p.iteration;
      if (p.iteration > 200) controller.abort();
    },
  });
  const error = await t.throwsAsync(running, { name: "AbortError", message: /aborted after \d+ iterations/ });
  const completed = Number(/after (\d+) iterations/.exec(error!.message)![1]);
  t.true(completed >= lastProgress && completed < 1_000_000);
  t.false(model.training);
  // The parameters are those after `completed` iterations: replaying that many gives the same.
  const replay = new Model(dims, { seed: 4 });
  replay.fit(X, Y, { ...options, iterations: completed });
  t.deepEqual(model.parameters, replay.parameters);
});

test("an already aborted signal rejects before any iteration", async (t) => {
  const { X, Y } = toyTask();
  const model = new Model(dims, { seed: 4 });
  const before = model.parameters;
  await t.throwsAsync(model.fitAsync(X, Y, { ...options, signal: AbortSignal.abort() }), {
    name: "AbortError",
  });
  t.deepEqual(model.parameters, before);
});

test("two models train at once and both finish with their own correct results", async (t) => {
  const { X, Y } = toyTask();
  const other = toyTask(8, 64, 9);
  const [a, b] = await Promise.all([
    new Model(dims, { seed: 1 }).fitAsync(X, Y, options),
    new Model(dims, { seed: 3 }).fitAsync(other.X, other.Y, options),
  ]);
  t.deepEqual(a.costs, new Model(dims, { seed: 1 }).fit(X, Y, options).costs);
  t.deepEqual(b.costs, new Model(dims, { seed: 3 }).fit(other.X, other.Y, options).costs);
});

test("fitAsync copies X at call time, so changing it mid-run changes nothing", async (t) => {
  const { X, Y } = toyTask();
  const expected = new Model(dims).fit(X, Y, options).costs;
  const changed = X.clone();
  const running = new Model(dims).fitAsync(changed, Y, options);
  changed.data.fill(1e6);
  t.deepEqual((await running).costs, expected);
});

// The bound is generous on purpose (the machine is shared); the bench prints the real figure.
catTest.serial("the event loop stays responsive while fitAsync trains cat-deep", async (t, data) => {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const model = new Model([12288, 20, 7, 5, 1]);
  histogram.enable();
  await model.fitAsync(data.trainX, data.trainY, { learningRate: 0.0075, iterations: 200, gram: false });
  histogram.disable();
  const p99 = histogram.percentile(99) / 1e6;
  t.log(`event-loop delay p99 ${p99.toFixed(2)} ms`);
  t.true(p99 < 100, `p99 ${p99} ms`);
});
