// One blasnet mini-batch contender in its own process (run.ts spawns it; prints one JSON line):
//   node bench/steps-contender.js prepare <dir>                       write the shared data (steps-workload.ts)
//   node bench/steps-contender.js run <float64|float32> <batch> <epochs> <runs> <dir>
// Each run trains a fresh model from the shared initial parameters; its samples/s is taken over the
// epochs after the first (the first pays for first-touch pages and the thread team's start).
import { mkdirSync } from "node:fs";
import { failWith, intArg } from "./child-args.js";
import { emit, peakRssMB } from "./result.js";
import { MNIST_MLP, readStepsData, writeStepsData } from "./steps-workload.js";
import type { DType } from "../lib/types.js";

const fail: (message: string) => never = failWith("steps-contender");
const int = (name: string, text: string | undefined, min: number) => intArg(fail, name, text, min);

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  const w = MNIST_MLP;
  if (mode === "prepare") {
    mkdirSync(args[0]!, { recursive: true });
    await writeStepsData(w, args[0]!);
    emit({ kind: "prepared", workload: w.name });
    return;
  }
  if (mode !== "run") fail(`expected prepare or run, received ${mode}`);
  const [dtype, batchText, epochsText, runsText, dir] = args;
  if (dtype !== "float64" && dtype !== "float32") fail(`expected float64 or float32, received ${dtype}`);
  const batchSize = int("batch", batchText, 1);
  const epochs = int("epochs", epochsText, 2);
  const runs = int("runs", runsText, 1);
  const { Model } = await import("../lib/model.js");
  const { X, Y, parameters } = readStepsData(w, dir!);
  const options = {
    epochs,
    batchSize,
    learningRate: w.learningRate,
    optimizer: { name: "adam" as const, beta1: w.beta1, beta2: w.beta2, epsilon: w.epsilon },
    shuffleSeed: w.shuffleSeed,
  };

  const samplesPerSec: number[] = [];
  const split = {
    gemm: [] as number[],
    elementwise: [] as number[],
    optimizer: [] as number[],
    gather: [] as number[],
  };
  let epochCosts: number[] = [];
  for (let r = 0; r < runs; r++) {
    globalThis.gc?.();
    const model = Model.fromParameters(parameters, { dtype: dtype as DType, output: "softmax" });
    const ends: number[] = [];
    const result = model.fit(X, Y, { ...options, onEpoch: () => ends.push(performance.now()) });
    const seconds = (ends[ends.length - 1]! - ends[0]!) / 1000;
    samplesPerSec.push((w.m * (epochs - 1)) / seconds);
    const { seconds: total, blasSeconds, gatherSeconds, optimizerSeconds } = result;
    split.gemm.push(blasSeconds / total);
    split.gather.push(gatherSeconds / total);
    split.optimizer.push(optimizerSeconds / total);
    split.elementwise.push((total - blasSeconds - gatherSeconds - optimizerSeconds) / total);
    if (r === 0) epochCosts = result.history.map((h) => h.cost);
  }
  emit({
    kind: "steps",
    contender: `blasnet ${dtype}`,
    workload: w.name,
    dtype,
    batch: batchSize,
    samplesPerSec,
    epochCosts,
    split,
    maxRssMB: peakRssMB(),
  });
}

await main();
