// The addon in worker threads: it loads there (context-aware, no mutable globals), trains exactly
// as on the main thread, keeps concurrent runs in several threads correct (BLAS calls are
// serialised by one process-wide lock), and survives a worker terminated mid-training.

import test from "ava";
import { native } from "../lib/native.js";
import { ChildBatch, describeExit, jsonLines, startTsWorker } from "./helpers/child.js";
import {
  type TaskSpec,
  fitOptionsOf,
  flatParameters,
  taskData,
  taskModel,
  trainHere,
} from "./helpers/tasks.js";

interface WorkerResult {
  exports: string[];
  costs: number[];
  parameters: number[];
}

/** Trains `spec` in a new worker thread with fit or fitAsync; resolves once the worker has exited. */
function trainInWorker(spec: TaskSpec, mode: "fit" | "fitAsync"): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = startTsWorker(new URL("./children/train-worker.ts", import.meta.url), {
      workerData: { spec, mode },
    });
    let exports: string[] = [];
    let result: WorkerResult | undefined;
    worker.on("message", (message: { exports?: string[]; costs?: number[]; parameters?: number[] }) => {
      if (message.exports !== undefined) exports = message.exports;
      if (message.costs !== undefined) {
        result = { exports, costs: message.costs, parameters: message.parameters ?? [] };
      }
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      if (result !== undefined) resolve(result);
      else reject(new Error(`the worker exited with code ${code} before posting its result`));
    });
  });
}

const small = (seed: number): TaskSpec => ({
  dims: [8, 6, 4, 1],
  m: 64,
  dataSeed: seed,
  modelSeed: seed,
  learningRate: 0.1,
  iterations: 300,
  costEvery: 50,
});

const midSize = (seed: number): TaskSpec => ({
  dims: [256, 64, 32, 1],
  m: 512,
  dataSeed: seed,
  modelSeed: seed,
  learningRate: 0.05,
  iterations: 200,
  costEvery: 20,
});

// Few units over long inputs, like the cat model: its runs split their products on thread teams.
const skinny = (seed: number, gram: boolean): TaskSpec => ({
  dims: [4096, 12, 5, 1],
  m: 96,
  dataSeed: seed,
  modelSeed: seed,
  learningRate: 0.05,
  iterations: 60,
  costEvery: 10,
  gram,
});

// Child processes start in test.before, before this file trains anything (see ChildBatch): a fork
// while another thread is inside BLAS is exactly what two of them test.
const terminateSpec = small(5);
const children = new ChildBatch();
children.add("terminate", new URL("./children/terminate-worker.ts", import.meta.url), [
  JSON.stringify(terminateSpec),
]);
// The third trains on a thread team, whose helpers call BLAS while the run holds the BLAS lock.
const spawnRuns = [
  { name: "fitAsync", mode: "fitAsync", spec: midSize(21) },
  { name: "worker", mode: "worker", spec: midSize(21) },
  { name: "team", mode: "fitAsync", spec: { ...skinny(33, false), iterations: 400 } },
] as const;
for (const { name, mode, spec } of spawnRuns) {
  // Not a timing assertion: the kill only ends a deadlock.
  children.add(
    `spawn ${name}`,
    new URL("./children/spawn-while-training.ts", import.meta.url),
    [mode, JSON.stringify(spec)],
    {
      killAfterMs: 30_000,
    },
  );
}
test.before(() => children.runAll());

/** Sequential main-thread references of the four mid-size runs, computed once. */
let midReferences: ReturnType<typeof trainHere>[] | undefined;
const midSeeds = [21, 22, 23, 24];
function midReference(i: number) {
  midReferences ??= midSeeds.map((seed) => trainHere(midSize(seed)));
  return midReferences[i]!;
}

test("the addon loads in a worker thread and trains exactly as on the main thread", async (t) => {
  const spec = small(1);
  const inWorker = await trainInWorker(spec, "fit");
  t.deepEqual(inWorker.exports, Object.keys(native));
  const here = trainHere(spec);
  t.is(inWorker.costs.length, 6);
  t.deepEqual(inWorker.costs, here.costs);
  t.deepEqual(inWorker.parameters, here.parameters);
});

test("two workers training at once give the results of training one after the other", async (t) => {
  const specs = [small(2), small(3)];
  const expected = specs.map(trainHere);
  const results = await Promise.all(specs.map((spec) => trainInWorker(spec, "fit")));
  results.forEach((result, i) => {
    t.deepEqual(result.costs, expected[i]!.costs, `worker ${i}`);
    t.deepEqual(result.parameters, expected[i]!.parameters, `worker ${i}`);
  });
  t.notDeepEqual(results[0]!.costs, results[1]!.costs, "the two runs are different runs");
});

test("four workers running fitAsync at once ([256, 64, 32, 1], m = 512) all reproduce sequential training", async (t) => {
  const results = await Promise.all(midSeeds.map((seed) => trainInWorker(midSize(seed), "fitAsync")));
  results.forEach((result, i) => {
    t.is(result.costs.length, 10);
    t.deepEqual(result.costs, midReference(i).costs, `worker ${i}`);
    t.deepEqual(result.parameters, midReference(i).parameters, `worker ${i}`);
  });
});

test("four fitAsync runs at once on the main thread all reproduce sequential training", async (t) => {
  const runs = midSeeds.map((seed) => {
    const spec = midSize(seed);
    const { X, Y } = taskData(spec);
    const model = taskModel(spec);
    return model.fitAsync(X, Y, fitOptionsOf(spec)).then((result) => ({ result, model }));
  });
  const done = await Promise.all(runs);
  done.forEach(({ result, model }, i) => {
    t.deepEqual(result.costs, midReference(i).costs, `run ${i}`);
    t.deepEqual(flatParameters(model), midReference(i).parameters, `run ${i}`);
  });
});

test("runs on thread teams in two workers and a run on OpenBLAS's pool on the main thread, all at once, reproduce sequential training", async (t) => {
  const specs = [skinny(31, false), skinny(32, true)];
  const expected = specs.map(trainHere);
  const mid = midSize(21);
  const { X, Y } = taskData(mid);
  const model = taskModel(mid);
  const [generic, gram, main] = await Promise.all([
    trainInWorker(specs[0]!, "fitAsync"),
    trainInWorker(specs[1]!, "fit"),
    model.fitAsync(X, Y, fitOptionsOf(mid)),
  ]);
  t.deepEqual(generic.costs, expected[0]!.costs, "generic path in a worker");
  t.deepEqual(generic.parameters, expected[0]!.parameters, "generic path in a worker");
  t.deepEqual(gram.costs, expected[1]!.costs, "Gram path in a worker");
  t.deepEqual(gram.parameters, expected[1]!.parameters, "Gram path in a worker");
  t.deepEqual(main.costs, midReference(0).costs, "main thread");
  t.deepEqual(flatParameters(model), midReference(0).parameters, "main thread");
});

test("terminating a worker inside fitAsync does not crash the process, which then trains correctly", async (t) => {
  const result = await children.get("terminate");
  t.is(result.signal, null, describeExit(result));
  t.is(result.code, 0, describeExit(result));
  const [line] = jsonLines<{ terminated: number; costs: number[]; parameters: number[] }>(result.stdout);
  t.is(line?.terminated, 4);
  const here = trainHere(terminateSpec);
  t.deepEqual(line?.costs, here.costs);
  t.deepEqual(line?.parameters, here.parameters);
});

const spawnWhere = {
  fitAsync: "fitAsync trains on the training thread",
  worker: "a worker thread trains",
  team: "fitAsync splits products on a thread team",
};
for (const { name, spec } of spawnRuns) {
  test(`spawning child processes while ${spawnWhere[name]} neither deadlocks nor changes the result`, async (t) => {
    const result = await children.get(`spawn ${name}`);
    t.is(result.signal, null, `the child did not finish: ${describeExit(result)}`);
    t.is(result.code, 0, describeExit(result));
    const [line] = jsonLines<{ spawned: number; costs: number[] }>(result.stdout);
    t.true((line?.spawned ?? 0) > 0, "no child process was spawned during training");
    t.deepEqual(line?.costs, name === "team" ? trainHere(spec).costs : midReference(0).costs);
  });
}
