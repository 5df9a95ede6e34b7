// Allocation of every buffer a training run needs, once per run, in the precision of the model.
import { allocate as allocateChecked, bytesPerElement, copyOf } from "./budget.js";
import type { Matrix } from "./matrix.js";
import { gramBuffers, gramBytes } from "./gram.js";
import type { FloatArray, TrainPlan } from "./native.js";
import type { DType } from "./types.js";

/** A fresh zeroed buffer of the given precision, checked against the memory limit (lib/budget.ts). */
export function allocate(
  dtype: DType,
  length: number,
  fn = "allocate",
  what = `${length} values`,
): FloatArray {
  return allocateChecked(fn, dtype, length, what);
}

/**
 * The data of `m` in the model's precision. float64 data is used in place unless `copy` is set
 * (async runs copy their inputs so callers cannot change them mid-run); float32 always converts.
 * A copy is checked against the memory limit as `fn` making `what`.
 */
export function toPrecision(
  dtype: DType,
  m: Matrix,
  copy: boolean,
  fn = "toPrecision",
  what = "a copy of its input",
): FloatArray {
  if (dtype === "float32" || copy) return copyOf(fn, dtype, m.data, what);
  return m.data;
}

/** Bytes of the buffers buildPlan allocates for these dims and m examples. */
export function planBytes(dtype: DType, dims: readonly number[], m: number, gram: boolean): number {
  let values = 0;
  for (let l = 1; l < dims.length; l++) values += 2 * (dims[l] as number) * m;
  return values * bytesPerElement(dtype) + (gram ? gramBytes(dtype, dims, m) : 0);
}

/**
 * Builds the plan the native engine runs: the model's own W/b/dW/db plus per-run A and dZ for m
 * examples (the engine keeps no Z), and the Gram buffers (lib/gram.ts) when `gram` is set. `fn`
 * names the caller in memory errors.
 */
export function buildPlan(
  dtype: DType,
  dims: readonly number[],
  weights: { W: FloatArray[]; b: FloatArray[]; dW: FloatArray[]; db: FloatArray[] },
  X: FloatArray,
  Y: FloatArray,
  m: number,
  gram: boolean,
  fn = "buildPlan",
): TrainPlan {
  const perLayer = (name: string) =>
    dims.slice(1).map((n, i) => allocate(dtype, n * m, fn, `${name}${i + 1}, [${n}, ${m}]`));
  return {
    dims: [...dims],
    m,
    X,
    Y,
    W: weights.W,
    b: weights.b,
    dW: weights.dW,
    db: weights.db,
    A: perLayer("A"),
    dZ: perLayer("dZ"),
    ...(gram ? gramBuffers(dtype, dims, m, fn) : { G: null, S: null, Z1: null }),
  };
}
