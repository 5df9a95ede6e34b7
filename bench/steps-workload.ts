// mnist-mlp, the mini-batch workload: the demo's 8,000 training digits, [784, 128, 64, 10] relu with a
// softmax head, Adam at lr 1e-3, he initial weights from seed 1, epoch e shuffled by
// RandomState(10 + e). Every contender (blasnet, numpy, PyTorch) reads the same bytes: the
// orchestrator has a blasnet process write them once (writeStepsData), as catbin.ts does for the cats.
// Like workloads.ts, importing this file loads neither the addon nor the mnist package.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Matrix } from "../lib/matrix.js";
import { readMatrix } from "./catbin.js";

export const STEPS_WORKLOAD_NAMES = ["mnist-mlp"] as const;
export type StepsWorkloadName = (typeof STEPS_WORKLOAD_NAMES)[number];

export interface StepsWorkload {
  name: StepsWorkloadName;
  dims: readonly number[];
  m: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  shuffleSeed: number;
  batches: readonly number[];
  /** Epochs per timed run; samples/s is taken over every epoch after the first. Full and --quick. */
  epochs: { full: number; quick: number };
  /** Epoch costs at batch 64 as the issue states them (numpy and PyTorch agree), to 6 digits. */
  reference: readonly number[];
}

export const MNIST_MLP: StepsWorkload = {
  name: "mnist-mlp",
  dims: [784, 128, 64, 10],
  m: 8000,
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  shuffleSeed: 10,
  batches: [64, 256, 1024],
  epochs: { full: 4, quick: 2 },
  reference: [0.701306, 0.255081],
};

/**
 * GEMM flops per sample of one step, as workloads.ts counts them: 2 n_l n_(l-1) for the forward
 * product and for dW, and again for dA_(l-1) from layer 2 on.
 */
export function flopsPerSample(dims: readonly number[]): number {
  let flops = 0;
  for (let l = 1; l < dims.length; l++) flops += (l >= 2 ? 3 : 2) * 2 * dims[l]! * dims[l - 1]!;
  return flops;
}

/** The files of the shared data: X [n0, m], Y one-hot [C, m], and W1, b1, ... as float64, row-major. */
function files(dims: readonly number[]): string[] {
  const names = ["X", "Y"];
  for (let l = 1; l < dims.length; l++) names.push(`W${l}`, `b${l}`);
  return names;
}

/** Writes the workload's data and initial parameters into dir (a blasnet process: it loads the addon). */
export async function writeStepsData(w: StepsWorkload, dir: string): Promise<void> {
  const [{ loadMnistDigits }, { initializeParametersDeep }] = await Promise.all([
    import("../examples/mnist-data.js"),
    import("../lib/params.js"),
  ]);
  const { trainX, trainY } = loadMnistDigits();
  if (trainX.cols !== w.m)
    throw new RangeError(`bench: expected ${w.m} digits, the mnist package gave ${trainX.cols}`);
  const parameters = initializeParametersDeep([...w.dims], { seed: 1, init: "he" });
  const matrices: Record<string, Matrix> = { X: trainX, Y: trainY, ...parameters };
  for (const name of files(w.dims)) writeFileSync(path.join(dir, `${name}.bin`), matrices[name]!.data);
}

/** What writeStepsData wrote: X, Y and the initial parameters. */
export function readStepsData(
  w: StepsWorkload,
  dir: string,
): { X: Matrix; Y: Matrix; parameters: Record<string, Matrix> } {
  const { dims, m } = w;
  const L = dims.length - 1;
  const parameters: Record<string, Matrix> = {};
  for (let l = 1; l <= L; l++) {
    parameters[`W${l}`] = readMatrix(path.join(dir, `W${l}.bin`), dims[l]!, dims[l - 1]!);
    parameters[`b${l}`] = readMatrix(path.join(dir, `b${l}.bin`), dims[l]!, 1);
  }
  return {
    X: readMatrix(path.join(dir, "X.bin"), dims[0]!, m),
    Y: readMatrix(path.join(dir, "Y.bin"), dims[L]!, m),
    parameters,
  };
}
