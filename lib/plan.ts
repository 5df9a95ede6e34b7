// Allocation of every buffer a training run needs, once per run, in the precision of the model.
import type { Matrix } from "./matrix.js";
import type { FloatArray, TrainPlan } from "./native.js";

/** The element precision of a model's buffers. */
export type DType = "float64" | "float32";

/** A fresh zeroed buffer of the given precision. */
export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}

/**
 * The data of `m` in the model's precision. float64 data is used in place unless `copy` is set
 * (async runs copy their inputs so callers cannot change them mid-run); float32 always converts.
 */
export function toPrecision(dtype: DType, m: Matrix, copy: boolean): FloatArray {
  if (dtype === "float32") return Float32Array.from(m.data);
  return copy ? m.data.slice() : m.data;
}

/**
 * Builds the plan the native engine runs: the model's own W/b/dW/db plus per-run A and dZ for m
 * examples (the engine keeps no Z), and the Gram buffers G, S, Z1 when `gram` is set.
 */
export function buildPlan(
  dtype: DType,
  dims: readonly number[],
  weights: { W: FloatArray[]; b: FloatArray[]; dW: FloatArray[]; db: FloatArray[] },
  X: FloatArray,
  Y: FloatArray,
  m: number,
  gram: boolean,
): TrainPlan {
  const perLayer = () => dims.slice(1).map((n) => allocate(dtype, n * m));
  return {
    dims: [...dims],
    m,
    X,
    Y,
    W: weights.W,
    b: weights.b,
    dW: weights.dW,
    db: weights.db,
    A: perLayer(),
    dZ: perLayer(),
    G: gram ? allocate(dtype, m * m) : null,
    S: gram ? allocate(dtype, (dims[1] as number) * m) : null,
    Z1: gram ? allocate(dtype, (dims[1] as number) * m) : null,
  };
}
