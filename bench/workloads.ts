// The benchmark workloads, bit for bit: data, initial parameters, learning rates and reference costs.
// The orchestrator imports this file too, so it loads neither the native addon nor h5wasm at import time.
import type { Model } from "../lib/model.js";
import { loadCatDataset } from "../lib/data.js";
import { Matrix } from "../lib/matrix.js";
import { readCatBins } from "./catbin.js";
import type { DType } from "../lib/types.js";

export type WorkloadName = "cat-deep" | "cat-two" | "mlp-wide";
export const WORKLOAD_NAMES: readonly WorkloadName[] = ["cat-deep", "cat-two", "mlp-wide"];

export interface Workload {
  name: WorkloadName;
  /** `[n_0, ..., n_L]`. */
  dims: readonly number[];
  /** Number of examples. */
  m: number;
  learningRate: number;
  /** Whether it trains on the cat images (and is skipped when they are absent). */
  catData: boolean;
  /** Known costs `[iteration, cost]`, from the notebook (cat) or numpy and torch (mlp-wide). */
  reference: readonly (readonly [number, number])[];
  /** Relative tolerance of the float64 check against `reference`. */
  tolerance: number;
  /** Whether the Gram path (layer 1 through X^T X) is a contender. */
  gram: boolean;
  /** Iterations per timed run: generic path, Gram path; full and --quick. */
  iterations: { generic: number; gram: number; quickGeneric: number; quickGram: number };
}

export const WORKLOADS: Record<WorkloadName, Workload> = {
  "cat-deep": {
    name: "cat-deep",
    dims: [12288, 20, 7, 5, 1],
    m: 209,
    learningRate: 0.0075,
    catData: true,
    reference: [
      [0, 0.7717493284237688],
      [100, 0.6720534400822913],
    ],
    tolerance: 1e-9,
    gram: true,
    iterations: { generic: 500, gram: 2500, quickGeneric: 50, quickGram: 500 },
  },
  "cat-two": {
    name: "cat-two",
    dims: [12288, 7, 1],
    m: 209,
    learningRate: 0.0075,
    catData: true,
    // Iteration 100 is the course notebook's printed two_layer_model cost.
    reference: [
      [0, 0.693049735659989],
      [100, 0.6464320953428849],
    ],
    tolerance: 1e-9,
    gram: true,
    iterations: { generic: 500, gram: 2500, quickGeneric: 50, quickGram: 500 },
  },
  "mlp-wide": {
    name: "mlp-wide",
    dims: [784, 512, 512, 1],
    m: 4096,
    learningRate: 0.01,
    catData: false,
    reference: [[0, 0.702374529166359]],
    tolerance: 1e-12,
    gram: false,
    iterations: { generic: 10, gram: 10, quickGeneric: 3, quickGram: 3 },
  },
};

/** The iterations whose costs a validation run records and compares: every reference iteration. */
export function validationIterations(w: Workload): number {
  return Math.max(...w.reference.map(([i]) => i)) + 1;
}

/**
 * Floating-point operations of one generic-path iteration, counting GEMMs only (bias, activations
 * and the cost are O(n m) and left out). For layers l = 1..L with W_l [n_l, n_(l-1)] and m examples:
 *   forward  Z_l = W_l A_(l-1)          2 n_l n_(l-1) m   (every layer)
 *   backward dW_l = dZ_l A_(l-1)^T / m   2 n_l n_(l-1) m   (every layer)
 *   backward dA_(l-1) = W_l^T dZ_l       2 n_l n_(l-1) m   (l >= 2 only: dA0 is never needed)
 * The Gram path does less work; its GFLOP/s are reported as "effective" with this same count.
 */
export function flopsPerIteration(dims: readonly number[], m: number): number {
  let flops = 0;
  for (let l = 1; l < dims.length; l++) {
    const layer = 2 * dims[l]! * dims[l - 1]! * m;
    flops += l >= 2 ? 3 * layer : 2 * layer;
  }
  return flops;
}

/**
 * mulberry32: a 32-bit generator, uniform doubles in [0, 1). Every step is kept a uint32 with `>>> 0`
 * so it matches the reference bit for bit.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a) >>> 0;
    t = ((t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t) >>> 0;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The training inputs of a workload: X `[n_0, m]`, Y `[1, m]`. Cat images come from the .bin files
 * of catbin.ts when binDir is given, else from the HDF5 files in dataDir (default: defaultDataDir()).
 */
export async function workloadData(
  w: Workload,
  source: { binDir?: string | undefined; dataDir?: string | undefined },
): Promise<{ X: Matrix; Y: Matrix }> {
  if (!w.catData) return mlpWideData(w);
  if (source.binDir !== undefined) return readCatBins(source.binDir, w.dims[0]!, w.m);
  const { trainX, trainY } = await loadCatDataset(source.dataDir);
  return { X: trainX, Y: trainY };
}

/**
 * mlp-wide's data: X [784, 4096] is the first 784 * 4096 outputs of mulberry32(42), row-major;
 * Y[j] is 1 when the top half of column j sums to more than the bottom half.
 */
function mlpWideData(w: Workload): { X: Matrix; Y: Matrix } {
  const n0 = w.dims[0]!;
  const m = w.m;
  const next = mulberry32(42);
  const X = new Matrix(n0, m);
  for (let i = 0; i < n0 * m; i++) X.data[i] = next();
  const top = new Float64Array(m);
  const bottom = new Float64Array(m);
  const half = n0 / 2;
  for (let i = 0; i < n0; i++) {
    const sums = i < half ? top : bottom;
    for (let j = 0; j < m; j++) sums[j]! += X.data[i * m + j]!;
  }
  const Y = new Matrix(1, m);
  for (let j = 0; j < m; j++) Y.data[j] = top[j]! > bottom[j]! ? 1 : 0;
  return { X, Y };
}

/**
 * A fresh model at the workload's initial parameters. The library is imported here, lazily, so that
 * only contender processes load the addon (it sets OPENBLAS_CORETYPE, which numpy must not inherit).
 */
export async function freshModel(w: Workload, dtype: DType): Promise<Model> {
  const [{ Model }, { initializeParameters }] = await Promise.all([
    import("../lib/model.js"),
    import("../lib/params.js"),
  ]);
  switch (w.name) {
    case "cat-deep":
      return new Model(w.dims, { init: "fan-in", seed: 1, dtype });
    case "cat-two":
      return Model.fromParameters(initializeParameters(w.dims[0]!, w.dims[1]!, w.dims[2]!, { seed: 1 }), {
        dtype,
      });
    case "mlp-wide":
      return Model.fromParameters(mlpWideParameters(w.dims), { dtype });
  }
}

/** W1, W2, W3 from one mulberry32(7) stream, row-major, W = (2u - 1) sqrt(3 / n_in); b = 0. */
function mlpWideParameters(dims: readonly number[]): Record<string, Matrix> {
  const next = mulberry32(7);
  const params: Record<string, Matrix> = {};
  for (let l = 1; l < dims.length; l++) {
    const nIn = dims[l - 1]!;
    const W = new Matrix(dims[l]!, nIn);
    const scale = Math.sqrt(3 / nIn);
    for (let i = 0; i < W.data.length; i++) W.data[i] = (2 * next() - 1) * scale;
    params[`W${l}`] = W;
    params[`b${l}`] = new Matrix(dims[l]!, 1);
  }
  return params;
}
