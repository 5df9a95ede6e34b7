// One blasnet contender in its own process: validate the workload's costs, warm up, then time fresh fits.
// Usage (run.ts spawns it; prints one JSON line, see result.ts):
//   node --import tsx bench/contender.ts <workload> <float64|float32> <generic|gram> <iterations> <runs> <warmup> [--bin DIR] [--data DIR]
// --bin names the directory of catbin.ts's X.bin and Y.bin; without it cat images load from --data.
//   node --import tsx bench/contender.ts info
import { parseArgs } from "node:util";
import { failWith, intArg } from "./child-args.js";
import { FLOAT32_TOLERANCE, costAt, emit, peakRssMB, relativeDiff } from "./result.js";
import { WORKLOADS, type WorkloadName, freshModel, validationIterations, workloadData } from "./workloads.js";
import type { DType } from "../lib/types.js";

const COST_EVERY = 100;

const fail: (message: string) => never = failWith("contender");
const int = (name: string, text: string | undefined, min: number) => intArg(fail, name, text, min);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { data: { type: "string" }, bin: { type: "string" } },
  });
  if (positionals[0] === "info") {
    const { blasInfo } = await import("../lib/threads.js");
    emit({ kind: "info", contender: "blasnet", runtime: `Node ${process.version}`, blas: blasInfo() });
    return;
  }
  const [name, dtype, path] = positionals;
  if (!(name !== undefined && name in WORKLOADS)) fail(`unknown workload ${name}`);
  if (dtype !== "float64" && dtype !== "float32")
    fail(`expected dtype float64 or float32, received ${dtype}`);
  if (path !== "generic" && path !== "gram") fail(`expected path generic or gram, received ${path}`);
  const iterations = int("iterations", positionals[3], 1);
  const runs = int("runs", positionals[4], 1);
  const warmup = int("warmup", positionals[5], 0);

  const w = WORKLOADS[name as WorkloadName];
  const { X, Y } = await workloadData(w, { binDir: values.bin, dataDir: values.data });
  const fitOptions = { learningRate: w.learningRate, costEvery: COST_EVERY, gram: path === "gram" };

  // Validate: the same numbers as the reference before any timing.
  const check = (await freshModel(w, dtype as DType)).fit(X, Y, {
    ...fitOptions,
    iterations: validationIterations(w),
  });
  if (check.gram !== (path === "gram"))
    fail(`asked for the ${path} path but fit reported gram=${check.gram}`);
  const costs = check.costs.map((c, i): [number, number] => [i * COST_EVERY, c]);
  const tolerance = dtype === "float32" ? FLOAT32_TOLERANCE : w.tolerance;
  for (const [iteration, expected] of w.reference) {
    const got = costAt(costs, iteration);
    if (got === undefined || !(relativeDiff(got, expected) <= tolerance)) {
      fail(
        `${w.name} ${dtype} ${path}: cost at iteration ${iteration} is ${got}, expected ${expected} ` +
          `(relative tolerance ${tolerance})`,
      );
    }
  }

  if (warmup > 0) (await freshModel(w, dtype as DType)).fit(X, Y, { ...fitOptions, iterations: warmup });

  const itPerSec: number[] = [];
  const blasShare: number[] = [];
  for (let r = 0; r < runs; r++) {
    globalThis.gc?.();
    const model = await freshModel(w, dtype as DType);
    // Wall clock around fit: includes the Gram setup (X^T X, Z1) and W1's materialisation at the end.
    const started = performance.now();
    const result = model.fit(X, Y, { ...fitOptions, iterations });
    const seconds = (performance.now() - started) / 1000;
    itPerSec.push(iterations / seconds);
    blasShare.push(result.seconds > 0 ? result.blasSeconds / result.seconds : 0);
  }
  emit({
    kind: "contender",
    contender: `blasnet ${dtype} ${path}`,
    workload: w.name,
    iterations,
    itPerSec,
    blasShare,
    maxRssMB: peakRssMB(),
    costs,
  });
}

await main();
