// The main thread's event-loop delay while fitAsync trains a workload off it (own process).
// Usage (run.ts spawns it; prints one JSON line): bench/eventloop.ts <workload> <iterations> [--bin DIR] [--data DIR]
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { emit } from "./result.js";
import { WORKLOADS, type WorkloadName, freshModel, workloadData } from "./workloads.js";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { data: { type: "string" }, bin: { type: "string" } },
});
const [name, iterationsText] = positionals;
if (name === undefined || !(name in WORKLOADS)) throw new Error(`eventloop: unknown workload ${name}`);
const w = WORKLOADS[name as WorkloadName];
const iterations = Number(iterationsText);
const { X, Y } = await workloadData(w, { binDir: values.bin, dataDir: values.data });
const model = await freshModel(w, "float64");

// 1 ms resolution: the figure of interest is a few milliseconds.
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();
const started = performance.now();
await model.fitAsync(X, Y, { learningRate: w.learningRate, iterations, gram: false });
const seconds = (performance.now() - started) / 1000;
histogram.disable();
const ms = (ns: number) => ns / 1e6;
emit({
  kind: "eventloop",
  workload: w.name,
  iterations,
  itPerSec: iterations / seconds,
  p50Ms: ms(histogram.percentile(50)),
  p99Ms: ms(histogram.percentile(99)),
  maxMs: ms(histogram.max),
});
