// Deterministic training tasks shared by the worker, safety and terminate tests: the same seed
// gives the same data and the same model in any thread or process.
import { Matrix, type MatrixDict, Model, RandomState } from "../../lib/index.js";

export interface TaskSpec {
  dims: number[];
  m: number;
  /** Seed of the data. */
  dataSeed: number;
  /** Seed of the initial weights. */
  modelSeed: number;
  learningRate: number;
  iterations: number;
  costEvery: number;
  /** The Model's gram option (default: its own choice). */
  gram?: boolean;
}

/** X is [n0, m] of normals / sqrt(n0); Y is 1 where the first two features sum above 0. */
export function taskData(spec: TaskSpec): { X: Matrix; Y: Matrix } {
  const n0 = spec.dims[0]!;
  const X = new RandomState(spec.dataSeed).randn(n0, spec.m);
  const scale = 1 / Math.sqrt(n0);
  for (let i = 0; i < X.data.length; i++) X.data[i] = X.data[i]! * scale;
  const Y = new Matrix(
    1,
    spec.m,
    Float64Array.from({ length: spec.m }, (_, j) =>
      X.get(0, j) + X.get(Math.min(1, n0 - 1), j) > 0 ? 1 : 0,
    ),
  );
  return { X, Y };
}

/**
 * A small separable task: X [n0, m] of seeded normals (times `scale`), Y = 1 where row `labelRow`
 * of X is positive.
 */
export function signTask(n0: number, m: number, seed: number, { labelRow = 0, scale = 1 } = {}) {
  const X = new RandomState(seed).randn(n0, m);
  if (scale !== 1) for (let i = 0; i < X.data.length; i++) X.data[i] = X.data[i]! * scale;
  const Y = new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, (_, j) => (X.get(labelRow, j) > 0 ? 1 : 0)),
  );
  return { X, Y };
}

/** Whether every value of every parameter is finite. */
export const allFinite = (parameters: MatrixDict): boolean =>
  Object.values(parameters).every((p) => p.data.every(Number.isFinite));

export function taskModel(spec: TaskSpec): Model {
  return new Model(spec.dims, { seed: spec.modelSeed });
}

export const fitOptionsOf = (spec: TaskSpec) => ({
  learningRate: spec.learningRate,
  iterations: spec.iterations,
  costEvery: spec.costEvery,
  ...(spec.gram === undefined ? {} : { gram: spec.gram }),
});

/** The parameters as one flat array, W1, b1, W2, ... in order, for exact comparison. */
export function flatParameters(model: Model): number[] {
  const out: number[] = [];
  for (const value of Object.values(model.parameters)) out.push(...value.data);
  return out;
}

/** Trains synchronously on this thread: the reference every concurrent run must reproduce. */
export function trainHere(spec: TaskSpec): { costs: number[]; parameters: number[] } {
  const { X, Y } = taskData(spec);
  const model = taskModel(spec);
  const { costs } = model.fit(X, Y, fitOptionsOf(spec));
  return { costs, parameters: flatParameters(model) };
}
