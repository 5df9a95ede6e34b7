// Checkpoint and resume of epochs runs: a run resumed from the checkpoint after k of N epochs ends
// bit-identical (parameters and history) to the uninterrupted run, in both dtypes, with fit and
// fitAsync; contradicting options are RangeErrors; and checkpoints left by a child killed with
// SIGKILL at 50 random moments all load and resume to the same bits.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { Model } from "../lib/index.js";
import type { FitResult } from "../lib/index.js";
import { checkpointRun } from "./helpers/checkpoint-run.js";
import { killAfterReady } from "./helpers/child.js";
import { Rng } from "./helpers/prng.js";

const KILLS = 50;
const PARALLEL = 5;
const script = new URL("./children/checkpoint-run.ts", import.meta.url);

let dir = "";
const killed: { path: string; signal: NodeJS.Signals | null; code: number | null }[] = [];

// Children are spawned before this file trains anything (fork while a BLAS call runs can deadlock).
test.before(async () => {
  dir = await mkdtemp(join(tmpdir(), "blasnet-checkpoint-"));
  const rng = new Rng(10);
  const delays = Array.from({ length: KILLS }, () => rng.next() * 120);
  await Promise.all(
    Array.from({ length: PARALLEL }, async (_, worker) => {
      for (let k = worker; k < KILLS; k += PARALLEL) {
        const path = join(dir, `kill-${k}.safetensors`);
        killed[k] = { path, ...(await killAfterReady(script, [path], delays[k]!)) };
      }
    }),
  );
});
test.after.always(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bits = (a: Float64Array | number[]) => Buffer.from(Float64Array.from(a).buffer).toString("hex");
const paramBits = (model: Model) =>
  Object.fromEntries(Object.entries(model.parameters).map(([k, v]) => [k, bits(v.data)]));
const historyBits = (result: FitResult) => result.history!.map((h) => bits([h.cost]));

class Stop extends Error {}

for (const dtype of ["float64", "float32"] as const) {
  for (const api of ["fit", "fitAsync"] as const) {
    for (const [k, everyEpochs] of [
      [3, 1],
      [4, 2],
    ] as const) {
      test(`${api} ${dtype}: resuming after ${k} of 9 epochs (every ${everyEpochs}) is bit-identical`, async (t) => {
        const N = 9;
        const ref = checkpointRun(dtype, N);
        const full = await ref.model[api](ref.X, ref.Y, ref.options);
        const path = join(dir, `${api}-${dtype}-${k}.safetensors`);
        const cut = checkpointRun(dtype, N);
        const stop = (epoch: number) => {
          if (epoch === k) throw new Stop();
        };
        const run = async () =>
          cut.model[api](cut.X, cut.Y, { ...cut.options, checkpoint: { path, everyEpochs }, onEpoch: stop });
        await t.throwsAsync(run, { instanceOf: Stop });
        const loaded = await Model.load(path);
        const resumed = await loaded[api](cut.X, cut.Y, { ...cut.options, resume: true });
        t.deepEqual(paramBits(loaded), paramBits(ref.model));
        t.deepEqual(historyBits(resumed), historyBits(full));
        t.deepEqual(resumed.costs, full.costs);
        // The checkpoint at the end of the resumed run is complete: resuming it runs nothing.
        const endPath = join(dir, `${api}-${dtype}-${k}-end.safetensors`);
        const again = await Model.load(path);
        await again[api](cut.X, cut.Y, { ...cut.options, resume: true, checkpoint: { path: endPath } });
        const end = await Model.load(endPath);
        const rest = await end[api](cut.X, cut.Y, { ...cut.options, resume: true });
        t.deepEqual(paramBits(end), paramBits(ref.model));
        t.deepEqual(historyBits(rest), historyBits(full));
      });
    }
  }
}

test("resume with options or data that contradict the checkpoint is a RangeError naming the difference", async (t) => {
  const run = checkpointRun("float64", 4);
  const path = join(dir, "contradict.safetensors");
  run.model.fit(run.X, run.Y, { ...run.options, epochs: 2, checkpoint: { path } });
  const base = { ...run.options, epochs: 2, resume: true };
  const cases: [string, object, RegExp][] = [
    ["batchSize", { batchSize: 8 }, /batchSize 16, but this run has 8/],
    ["optimizer", { optimizer: "momentum" }, /optimizer "adam", but this run has "momentum"/],
    ["beta2", { optimizer: "adam" }, /beta2 0.99, but this run has 0.999/],
    ["shuffleSeed", { shuffleSeed: 8 }, /shuffleSeed 7/],
    ["dropoutSeed", { dropoutSeed: 1 }, /dropoutSeed 11/],
    ["learningRate", { learningRate: 0.02 }, /learningRate 0.01/],
    ["epochs", { epochs: 3 }, /epochs 2, but this run has 3/],
    ["keepProb", { keepProb: 1 }, /keepProb 0.8/],
    ["l2", { l2: 0 }, /l2 0.05/],
  ];
  for (const [name, change, message] of cases) {
    const model = await Model.load(path);
    t.throws(
      () => model.fit(run.X, run.Y, { ...base, ...change }),
      { instanceOf: RangeError, message },
      name,
    );
  }
  const model = await Model.load(path);
  const fewer = new (run.X.constructor as typeof import("../lib/index.js").Matrix)(
    6,
    40,
    run.X.data.slice(0, 240),
  );
  const Y = new (run.Y.constructor as typeof import("../lib/index.js").Matrix)(
    1,
    40,
    run.Y.data.slice(0, 40),
  );
  t.throws(() => model.fit(fewer, Y, base), {
    instanceOf: RangeError,
    message: /m \(examples in X\) 50, but this run has 40/,
  });
  t.throws(() => model.fit(run.X, run.Y, { ...base, validationData: { X: fewer, Y } }), {
    instanceOf: RangeError,
    message: /validationData examples null, but this run has 40/,
  });
  const wide = new (run.X.constructor as typeof import("../lib/index.js").Matrix)(7, 50);
  t.throws(() => model.fit(wide, run.Y, base), { instanceOf: RangeError });
  t.throws(() => new Model([6, 8, 5, 1]).fit(run.X, run.Y, base), {
    instanceOf: RangeError,
    message: /no run state/,
  });
  t.throws(() => model.fit(run.X, run.Y, { learningRate: 0.1, iterations: 3, checkpoint: { path } }), {
    instanceOf: RangeError,
    message: /only on an epochs run/,
  });
  t.throws(() => model.fit(run.X, run.Y, { learningRate: 0.1, iterations: 3, resume: true }), {
    instanceOf: RangeError,
  });
});

test(`every checkpoint left by a child killed with SIGKILL at ${KILLS} random moments resumes to the uninterrupted bits`, async (t) => {
  const ref = checkpointRun("float64");
  const full = ref.model.fit(ref.X, ref.Y, ref.options);
  const want = paramBits(ref.model);
  const wantHistory = historyBits(full);
  let none = 0;
  const finished = killed.filter((c) => c.code === 0).length;
  for (const [k, { path, signal, code }] of killed.entries()) {
    t.true(signal === "SIGKILL" || code === 0, `child ${k} ended with ${signal ?? code}`);
    if (!existsSync(path)) {
      none++;
      continue;
    }
    const run = checkpointRun("float64");
    const model = await Model.load(path);
    const result = model.fit(run.X, run.Y, { ...run.options, resume: true });
    t.deepEqual(paramBits(model), want, `kill ${k}`);
    t.deepEqual(historyBits(result), wantHistory, `kill ${k}`);
  }
  t.log(
    `${KILLS} kills: ${none} before the first checkpoint, ${KILLS - none} resumed, ${finished} children finished before their kill`,
  );
  t.true(KILLS - none >= 10, "too few kills left a checkpoint");
});
