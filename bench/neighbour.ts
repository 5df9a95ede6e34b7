// A server's own I/O while fitAsync trains beside it (own process): the latency of a tiny
// fs.promises.readFile, which runs on libuv's pool, with N runs of [2000, 64, 32, 1] over m = 500
// training at once, and the event-loop delay meanwhile.
// Usage (run.ts spawns it; prints one JSON line): bench/neighbour.ts [samples]
import { readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Matrix, Model, RandomState } from "../lib/index.js";
import { type NeighbourPoint, emit } from "./result.js";

const samples = Number(process.argv[2] ?? 20);
const X = new RandomState(1).randn(2000, 500);
const Y = new Matrix(
  1,
  500,
  Float64Array.from({ length: 500 }, (_, j) => (X.get(0, j) > 0 ? 1 : 0)),
);
const file = path.join(tmpdir(), `blasnet-neighbour-${process.pid}.txt`);
await writeFile(file, "hello");
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const points: NeighbourPoint[] = [];
for (const runs of [0, 4, 8]) {
  const controller = new AbortController();
  const training = Array.from({ length: runs }, (_, i) =>
    new Model([2000, 64, 32, 1], { seed: i + 1 })
      .fitAsync(X, Y, { learningRate: 0.01, iterations: 1e9, signal: controller.signal })
      .catch(() => undefined),
  );
  await pause(200); // every run past its first chunk
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await readFile(file);
    times.push(performance.now() - started);
    await pause(10);
  }
  histogram.disable();
  controller.abort();
  await Promise.all(training);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  points.push({
    runs,
    readFileMedianMs: at(0.5),
    readFileP90Ms: at(0.9),
    loopP99Ms: histogram.percentile(99) / 1e6,
  });
}
await rm(file, { force: true });
emit({ kind: "neighbour", points });
