// Child process of server.test.ts, run with UV_THREADPOOL_SIZE=1: occupies libuv's only pool
// thread with a long pbkdf2, then trains with fitAsync. Training on blasnet's own thread finishes
// first; training on the pool would wait for the pbkdf2. Prints {trainedFirst, trainMs, poolMs}.
import { pbkdf2, pbkdf2Sync } from "node:crypto";
import { type TaskSpec, fitOptionsOf, taskData, taskModel } from "../helpers/tasks.js";

const spec: TaskSpec = {
  dims: [256, 64, 32, 1],
  m: 512,
  dataSeed: 3,
  modelSeed: 3,
  learningRate: 0.05,
  iterations: 50,
  costEvery: 10,
};
const { X, Y } = taskData(spec);
const model = taskModel(spec);

// Calibrate: a pbkdf2 that keeps the pool thread busy for about 1.5 s on this machine.
const probe = performance.now();
pbkdf2Sync("secret", "salt", 20_000, 64, "sha512");
const iterations = Math.ceil((20_000 * 1500) / Math.max(performance.now() - probe, 1));

const start = performance.now();
let order: string[] = [];
const pool = new Promise<number>((resolve, reject) =>
  pbkdf2("secret", "salt", iterations, 64, "sha512", (error) => {
    if (error) reject(error);
    order.push("pool");
    resolve(performance.now() - start);
  }),
);
const trained = model.fitAsync(X, Y, fitOptionsOf(spec)).then(() => {
  order.push("train");
  return performance.now() - start;
});
const [trainMs, poolMs] = await Promise.all([trained, pool]);
order = order.slice(0, 1);
process.stdout.write(`${JSON.stringify({ trainedFirst: order[0] === "train", trainMs, poolMs })}\n`);
