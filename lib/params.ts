// Parameter initialisation, drawing from numpy's seeded stream in the seed's order.
import { bytesPerElement, checkAllocation } from "./budget.js";
import { Matrix } from "./matrix.js";
import { RandomState } from "./random.js";
import { assertInteger, assertLayerDims, assertOptions } from "./validate.js";
import { oneOfText } from "./errors.js";
import type { InitScheme, MatrixDict } from "./types.js";

const INIT_SCHEMES: readonly InitScheme[] = ["small", "fan-in", "he"];

/** Throws unless `init` names a known scheme. */
export function assertInit(fn: string, init: unknown): asserts init is InitScheme {
  if (!INIT_SCHEMES.includes(init as InitScheme)) {
    const kind = typeof init === "string" ? RangeError : TypeError;
    throw new kind(`${fn}: expected init to be ${oneOfText(INIT_SCHEMES)}, received ${JSON.stringify(init)}`);
  }
}

/** Scales freshly drawn normals in place, with numpy's operation (x * 0.01, x / sqrt(n)). */
function scaleWeights(W: Matrix, init: InitScheme, fanIn: number): void {
  const d = W.data;
  if (init === "small") {
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) * 0.01;
  } else if (init === "fan-in") {
    const root = Math.sqrt(fanIn);
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) / root;
  } else {
    const gain = Math.sqrt(2 / fanIn);
    for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) * gain;
  }
}

/**
 * The two-layer initialisation: W1 = randn(nh, nx) * 0.01, b1 = 0, W2 = randn(ny, nh) * 0.01, b2 = 0.
 * @param nx input size
 * @param nh hidden size
 * @param ny output size
 * @param options `seed` (default 1), as np.random.seed
 * @returns `{W1, b1, W2, b2}`
 * @throws {RangeError} for non-positive or non-integer sizes
 * @example initializeParameters(3, 2, 1).W1.shape // [2, 3]
 */
export function initializeParameters(
  nx: number,
  nh: number,
  ny: number,
  options: { seed?: number } = {},
): MatrixDict {
  const fn = "initializeParameters";
  assertOptions(fn, options);
  for (const [name, v] of [
    ["nx", nx],
    ["nh", nh],
    ["ny", ny],
  ] as const)
    assertInteger(fn, name, v, 1);
  return initializeParametersDeep([nx, nh, ny], { seed: options.seed ?? 1, init: "small" });
}

/**
 * The L-layer initialisation: for l = 1..L, W_l = randn(n_l, n_(l-1)) scaled by `init`, b_l = 0.
 * @param layerDims `[n_0, n_1, ..., n_L]`
 * @param options `seed` (default 3, the step-by-step notebook's) and `init` (default "small")
 * @returns `{W1, b1, ..., WL, bL}`
 * @throws {TypeError} when layerDims is not an array of numbers
 * @throws {RangeError} for fewer than two sizes or sizes that are not positive integers, or
 * parameters that would pass the memory limit (see setMemoryLimit)
 * @example initializeParametersDeep([5, 4, 3]).W2.shape // [3, 4]
 */
export function initializeParametersDeep(
  layerDims: number[],
  options: { seed?: number; init?: InitScheme } = {},
): MatrixDict {
  const fn = "initializeParametersDeep";
  assertOptions(fn, options);
  assertLayerDims(fn, layerDims);
  const init = options.init ?? "small";
  assertInit(fn, init);
  checkAllocation(fn, parameterCount(layerDims) * bytesPerElement("float64"), "the parameters");
  const rng = new RandomState(options.seed ?? 3);
  const parameters: MatrixDict = {};
  for (let l = 1; l < layerDims.length; l++) {
    const rows = layerDims[l] as number;
    const cols = layerDims[l - 1] as number;
    const W = rng.randn(rows, cols);
    scaleWeights(W, init, cols);
    parameters[`W${l}`] = W;
    parameters[`b${l}`] = new Matrix(rows, 1);
  }
  return parameters;
}

/** How many values the parameters W1, b1, ..., WL, bL of a network with these (checked) dims hold. */
export function parameterCount(layerDims: readonly number[]): number {
  let count = 0;
  for (let l = 1; l < layerDims.length; l++) {
    count += (layerDims[l] as number) * ((layerDims[l - 1] as number) + 1);
  }
  return count;
}
