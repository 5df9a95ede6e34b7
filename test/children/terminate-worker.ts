// Child process of workers.test.ts: starts workers that train with fitAsync and terminates each
// one while a native chunk is in flight (after its k-th progress report), then trains on the main
// thread. Every other worker trains a model whose runs split their products on a thread team. Prints {terminated, costs, parameters} and exits 0; a crash ends it with a signal.
import { startTsWorker } from "../helpers/child.js";
import { type TaskSpec, trainHere } from "../helpers/tasks.js";

const long: TaskSpec = {
  dims: [256, 64, 32, 1],
  m: 512,
  dataSeed: 11,
  modelSeed: 11,
  learningRate: 0.05,
  iterations: 1_000_000,
  costEvery: 100,
};
const longSkinny: TaskSpec = { ...long, dims: [4096, 12, 5, 1], m: 96, gram: false };
const small: TaskSpec = JSON.parse(process.argv[2] ?? "null") as TaskSpec;

const exitCodes: number[] = [];
for (const [i, k] of [1, 3, 5, 8].entries()) {
  const worker = startTsWorker(new URL("./train-worker.ts", import.meta.url), {
    workerData: { spec: i % 2 === 0 ? long : longSkinny, mode: "fitAsync", progress: true },
  });
  exitCodes.push(
    await new Promise<number>((resolve, reject) => {
      let seen = 0;
      worker.on("message", (message: { progress?: number }) => {
        if (message.progress !== undefined && ++seen === k) void worker.terminate();
      });
      worker.on("error", reject);
      worker.on("exit", resolve);
    }),
  );
}
const { costs, parameters } = trainHere(small);
process.stdout.write(`${JSON.stringify({ terminated: exitCodes.length, exitCodes, costs, parameters })}\n`);
