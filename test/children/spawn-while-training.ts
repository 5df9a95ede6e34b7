// Child process of workers.test.ts: spawns short child processes while BLAS work runs on another
// thread, either a fitAsync chunk on the training thread ("fitAsync") or a fit in a worker thread
// ("worker"). fork() must not deadlock against the BLAS thread pool. Prints {spawned, costs}.
// Usage: spawn-while-training.ts <fitAsync|worker> <task spec as JSON>
import { spawn } from "node:child_process";
import { startTsWorker } from "../helpers/child.js";
import { type TaskSpec, fitOptionsOf, taskData, taskModel } from "../helpers/tasks.js";

const mode = process.argv[2];
const spec = JSON.parse(process.argv[3] ?? "null") as TaskSpec;

const spawnOnce = () =>
  new Promise<void>((resolve, reject) => {
    spawn(process.execPath, ["-e", "0"], { stdio: "ignore" })
      .on("error", reject)
      .on("close", () => resolve());
  });

let done = false;
let costs: number[] = [];
let training: Promise<void>;
if (mode === "fitAsync") {
  const { X, Y } = taskData(spec);
  training = taskModel(spec)
    .fitAsync(X, Y, fitOptionsOf(spec))
    .then((r) => {
      costs = r.costs;
    });
} else {
  const worker = startTsWorker(new URL("./train-worker.ts", import.meta.url), {
    workerData: { spec, mode: "fit" },
  });
  training = new Promise((resolve, reject) => {
    worker.on("message", (m: { costs?: number[] }) => {
      if (m.costs !== undefined) costs = m.costs;
    });
    worker.on("error", reject);
    worker.on("exit", () => resolve());
  });
}
void training.finally(() => (done = true));
let spawned = 0;
while (!done && spawned < 200) {
  await spawnOnce();
  spawned++;
}
await training;
process.stdout.write(`${JSON.stringify({ spawned, costs })}\n`);
