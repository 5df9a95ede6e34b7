// Inputs that change under a running training cannot corrupt memory or results: fitAsync copies X
// and Y at call time (so callers may mutate or transfer them at once), a synchronous fit whose X is
// transferred away mid-run fails cleanly, cancelling at random moments always leaves a consistent
// model, and the raw async engine survives its buffers being transferred while it runs.

import test from "ava";
import { AbortError, Matrix, Model, RandomState } from "../lib/index.js";
import { ChildBatch, describeExit, jsonLines } from "./helpers/child.js";
import { Rng } from "./helpers/prng.js";
import { allFinite, signTask } from "./helpers/tasks.js";

const unhandled: unknown[] = [];
process.on("unhandledRejection", (reason) => unhandled.push(reason));

// Child processes start in test.before, before this file trains anything (see ChildBatch).
const children = new ChildBatch();
const child = (name: string) => new URL(`./children/${name}`, import.meta.url);
for (const path of ["generic", "gram"]) {
  children.add(`fit-detach ${path}`, child("fit-detach.ts"), [path], { nodeArgs: ["--expose-gc"] });
}
test.before(() => children.runAll());

/** Y = 1 where the first feature is positive. */
const task = (n0: number, m: number, seed: number) => signTask(n0, m, seed);

function detach(m: Matrix): void {
  structuredClone(m.data.buffer, { transfer: [m.data.buffer] });
}

// ------------------------------------------------------------------ fitAsync copies its inputs

const copyCases = [
  { title: "float64, generic path", dims: [8, 6, 1], m: 32, dtype: "float64" as const },
  { title: "float64, Gram path (m < n0)", dims: [24, 6, 1], m: 10, dtype: "float64" as const },
  { title: "float32", dims: [8, 6, 1], m: 32, dtype: "float32" as const },
];

for (const c of copyCases) {
  test(`fitAsync (${c.title}): mutating X and Y and transferring both buffers right after the call changes nothing`, async (t) => {
    const options = { learningRate: 0.1, iterations: 400, costEvery: 20 };
    const { X, Y } = task(c.dims[0]!, c.m, 3);
    const expectedModel = new Model(c.dims, { seed: 4, dtype: c.dtype });
    const expected = expectedModel.fit(X.clone(), Y.clone(), options);

    const model = new Model(c.dims, { seed: 4, dtype: c.dtype });
    const running = model.fitAsync(X, Y, options);
    X.data.fill(1e6);
    Y.data.fill(0.5);
    detach(X);
    detach(Y);
    t.is(X.data.length, 0, "X's buffer was transferred away");
    const result = await running;

    t.is(result.gram, expected.gram);
    t.deepEqual(result.costs, expected.costs);
    t.deepEqual(model.parameters, expectedModel.parameters);
    // The detached matrices are refused afterwards, not read.
    t.throws(() => model.predict(X), {
      instanceOf: RangeError,
      message: /X is \[\d+, \d+\] but its data holds 0 values/,
    });
  });
}

test("fitAsync: mutating Y on every turn of the event loop while it trains changes nothing", async (t) => {
  const dims = [8, 6, 1];
  const options = { learningRate: 0.1, iterations: 3000, costEvery: 100 };
  // Noisy labels: separable data would saturate the sigmoid (and stop both runs) this long.
  const { X } = task(8, 64, 5);
  const Y = new Matrix(
    1,
    64,
    Float64Array.from(new RandomState(9).randomSampleArray(64), (u) => (u > 0.5 ? 1 : 0)),
  );
  const expectedModel = new Model(dims, { seed: 6 });
  const expected = expectedModel.fit(X, Y.clone(), options);
  const model = new Model(dims, { seed: 6 });
  const running = model.fitAsync(X, Y, options);
  let turns = 0;
  let done = false;
  void running.finally(() => (done = true));
  while (!done) {
    Y.data[turns % Y.data.length] = turns % 2;
    X.data[turns % X.data.length] = turns;
    turns++;
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.true(turns > 1, `${turns} turns`);
  t.deepEqual((await running).costs, expected.costs);
  t.deepEqual(model.parameters, expectedModel.parameters);
});

// ------------------------------------------------------------------ a synchronous fit whose X is transferred

for (const path of ["generic", "gram"]) {
  test(`fit (${path} path): an onCost that transfers X away makes the next chunk throw, and the model stays consistent`, async (t) => {
    const result = await children.get(`fit-detach ${path}`);
    t.is(result.signal, null, describeExit(result));
    t.is(result.code, 0, describeExit(result));
    const [line] = jsonLines<{
      errorName: string | null;
      message: string;
      training: boolean;
      finite: boolean;
      differs: string[];
      refit: string;
    }>(result.stdout);
    t.true(
      line?.errorName === "TypeError" || line?.errorName === "RangeError",
      `expected a TypeError or RangeError, got ${line?.errorName}: ${line?.message}`,
    );
    t.regex(line?.message ?? "", /X/);
    t.false(line?.training, "the model still says it is training");
    t.true(line?.finite, "non-finite parameters");
    t.deepEqual(
      line?.differs,
      [],
      "parameters differ from a clean run of the 20 completed iterations (the Gram path's pending W1 update was lost)",
    );
    t.is(line?.refit, "ok");
  });
}

// ------------------------------------------------------------------ cancellation at random moments

test("cancelling fitAsync at 100 random moments always leaves a consistent model", async (t) => {
  const rng = new Rng(2024);
  const nets = [
    { dims: [6, 5, 1], m: 16 },
    { dims: [12, 4, 1], m: 8 }, // Gram path
  ];
  const data = nets.map((net, i) => task(net.dims[0]!, net.m, 10 + i));
  const options = { learningRate: 0.05, iterations: 1_000_000, costEvery: 50 };
  const strategies = [
    "before the first chunk",
    "microtask",
    "setImmediate",
    "setTimeout",
    "onProgress",
  ] as const;
  const seen = new Set<string>();
  let midRun = 0;
  for (let trial = 0; trial < 100; trial++) {
    const which = trial % nets.length;
    const { dims } = nets[which]!;
    const { X, Y } = data[which]!;
    const strategy = rng.pick(strategies);
    const controller = new AbortController();
    const abort = () => controller.abort(new Error(`trial ${trial}`));
    const progressCalls = rng.int(1, 4);
    let progress = 0;
    const model = new Model(dims, { seed: trial });
    const running = model.fitAsync(X, Y, {
      ...options,
      signal: controller.signal,
      onProgress:
        strategy === "onProgress"
          ? () => {
              if (++progress === progressCalls) abort();
            }
          : undefined,
    });
    if (strategy === "before the first chunk") abort();
    else if (strategy === "microtask") queueMicrotask(abort);
    else if (strategy === "setImmediate") setImmediate(abort);
    else if (strategy === "setTimeout") setTimeout(abort, rng.int(0, 8));
    const label = `trial ${trial} (${strategy}, dims [${dims.join(", ")}])`;
    const error = await t.throwsAsync(running, { instanceOf: AbortError }, label);
    const completed = Number(/aborted after (\d+) iterations/.exec(error?.message ?? "")?.[1] ?? NaN);
    t.true(Number.isInteger(completed) && completed >= 0, `${label}: ${error?.message}`);
    seen.add(strategy);
    if (completed > 0) midRun++;
    t.false(model.training, `${label}: still training`);
    t.true(allFinite(model.parameters), `${label}: non-finite parameters`);
    // Consistent: exactly the parameters of `completed` iterations, replayed synchronously.
    const replay = new Model(dims, { seed: trial });
    replay.fit(X, Y, { ...options, iterations: completed });
    t.deepEqual(
      model.parameters,
      replay.parameters,
      `${label}: parameters are not those after ${completed} iterations`,
    );
    // And usable: a later fit runs and finishes.
    t.notThrows(() => model.fit(X, Y, { ...options, iterations: 3 }), label);
    t.false(model.training);
  }
  t.is(seen.size, strategies.length, "every strategy was drawn");
  t.log(`${midRun} of 100 runs were cancelled after at least one iteration`);
  t.true(midRun >= 30, `only ${midRun} runs were cancelled mid-run`);
  await new Promise((resolve) => setImmediate(resolve));
  t.deepEqual(unhandled, [], "no unhandled rejection");
});

// The raw trainIterationsAsync is internal (lib/native.ts is not exported by the package): like
// any native job over caller memory, its buffers belong to the run until the promise settles, and
// transferring one away mid-run is outside its contract. fitAsync keeps that contract for users by
// owning every buffer a run touches (X and Y are copied at call time, tested above).

test.after.always("no unhandled rejection in this file", () => {
  if (unhandled.length > 0) throw new Error(`unhandled rejections: ${unhandled.map(String).join("; ")}`);
});

test("Model.fromParameters copies the dictionary: training leaves the caller's arrays alone", (t) => {
  const { X, Y } = task(6, 40, 8);
  const rng = new RandomState(9);
  const parameters = { W1: rng.randn(4, 6), b1: new Matrix(4, 1), W2: rng.randn(1, 4), b2: new Matrix(1, 1) };
  const before = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, Array.from(v.data)]));
  const model = Model.fromParameters(parameters);
  model.fit(X, Y, { learningRate: 0.1, iterations: 20 });
  for (const [key, value] of Object.entries(parameters))
    t.deepEqual(Array.from(value.data), before[key], key);
  t.notDeepEqual(Array.from(model.parameters.W1!.data), before.W1, "the model itself trained");
});
