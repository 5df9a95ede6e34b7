// The backward module: linear backward, activation backward, the L-layer backward and the update.
import { checkAllocation, copyOf } from "./budget.js";
import type { LinearActivationCache, LinearCache } from "./forward.js";
import { Matrix, describe } from "./matrix.js";
import { ActivationCode, native, HIDDEN, OUTPUTS } from "./native.js";
import {
  assertActivation,
  assertKeepProb,
  assertNonNegativeNumber,
  assertOneHot,
  assertOptions,
  assertAligned,
  assertBias,
  assertFinite,
  assertMatrix,
  assertParameters,
  assertPositiveNumber,
  assertSameShape,
  assertShape,
  assertWithin,
} from "./validate.js";
import type { Activation, Hidden, MatrixDict, Output } from "./types.js";
import { assertOneOf } from "./errors.js";

/** The gradients of one layer's inputs: dAPrev = dL/dA^[l-1], dW, db. */
export interface LayerGradients {
  dAPrev: Matrix;
  dW: Matrix;
  db: Matrix;
}

function assertLinearCache(fn: string, cache: unknown): asserts cache is LinearCache {
  if (typeof cache !== "object" || cache === null) {
    throw new TypeError(`${fn}: expected cache to be {A, W, b}, received ${describe(cache)}`);
  }
  const { A, W, b } = cache as Partial<LinearCache>;
  assertMatrix(fn, "cache.A", A);
  assertMatrix(fn, "cache.W", W);
  assertMatrix(fn, "cache.b", b);
  assertAligned(fn, "cache.W", W, "cache.A", A);
  assertBias(fn, W, b, "cache.W", "cache.b");
}

function assertActivationCache(fn: string, cache: unknown): asserts cache is LinearActivationCache {
  if (typeof cache !== "object" || cache === null) {
    throw new TypeError(`${fn}: expected cache to be {linear: {A, W, b}, Z}, received ${describe(cache)}`);
  }
  const { linear, Z } = cache as Partial<LinearActivationCache>;
  if (typeof linear !== "object" || linear === null) {
    throw new TypeError(`${fn}: expected cache.linear to be {A, W, b}, received ${describe(linear)}`);
  }
  assertLinearCache(fn, linear);
  assertMatrix(fn, "cache.Z", Z);
  assertShape(fn, "cache.Z", Z, linear.W.rows, linear.A.cols);
}

/**
 * Given dZ = dL/dZ^[l], the gradients dW = (1/m) dZ·A^T, db = (1/m) Σ_columns dZ, dAPrev = W^T·dZ.
 * @param dZ [n_l, m]
 * @param cache `{A, W, b}` from linearForward
 * @returns `{dAPrev, dW, db}` with the shapes of A, W, b
 * @throws {TypeError} when dZ or the cache is malformed
 * @throws {RangeError} when dZ is not [W.rows, A.cols]
 * @example const { dW } = linearBackward(dZ, cache);
 */
export function linearBackward(dZ: Matrix, cache: LinearCache): LayerGradients {
  const fn = "linearBackward";
  assertMatrix(fn, "dZ", dZ);
  assertLinearCache(fn, cache);
  const { A, W } = cache;
  assertShape(fn, "dZ", dZ, W.rows, A.cols);
  checkAllocation(fn, layerGradientValues(A, W) * 8, "dAPrev, dW and db");
  const dAPrev = new Matrix(A.rows, A.cols);
  const dW = new Matrix(W.rows, W.cols);
  const db = new Matrix(W.rows, 1);
  native.linearBackward(dAPrev.data, dW.data, db.data, dZ.data, A.data, W.data, W.rows, W.cols, A.cols);
  return { dAPrev, dW, db };
}

/** dZ = dA * g'(Z) for one activation code: the elementwise backward every activation shares. */
export function activationBackward(fn: string, dA: Matrix, Z: Matrix, code: ActivationCode): Matrix {
  assertMatrix(fn, "dA", dA);
  assertMatrix(fn, "Z", Z);
  assertSameShape(fn, "dA", dA, "Z", Z);
  checkAllocation(fn, Z.data.length * 8, `dZ, [${Z.rows}, ${Z.cols}]`);
  const dZ = new Matrix(Z.rows, Z.cols);
  native.activationBackward(dZ.data, dA.data, Z.data, Z.data.length, code);
  return dZ;
}

/**
 * dZ = dA where Z > 0, else 0.
 * @param dA [n, m]
 * @param Z the cached pre-activation, [n, m]
 * @returns dZ, [n, m]
 * @throws {RangeError} when the shapes differ
 * @example reluBackward(dA, cache.Z)
 */
export function reluBackward(dA: Matrix, Z: Matrix): Matrix {
  return activationBackward("reluBackward", dA, Z, ActivationCode.relu);
}

/**
 * dZ = dA · s · (1 - s) with s = sigmoid(Z).
 * @param dA [n, m]
 * @param Z the cached pre-activation, [n, m]
 * @returns dZ, [n, m]
 * @throws {RangeError} when the shapes differ
 * @example sigmoidBackward(dAL, cache.Z)
 */
export function sigmoidBackward(dA: Matrix, Z: Matrix): Matrix {
  return activationBackward("sigmoidBackward", dA, Z, ActivationCode.sigmoid);
}

/**
 * The backward pass of one [LINEAR->ACTIVATION] step.
 * @param dA dL/dA^[l], [n_l, m]
 * @param cache `{linear, Z}` from linearActivationForward
 * @param activation the activation that step used
 * @returns `{dAPrev, dW, db}`
 * @throws {TypeError} for malformed arguments
 * @throws {RangeError} for misaligned shapes or an unknown activation
 * @example const { dAPrev, dW, db } = linearActivationBackward(dAL, caches[L - 1], "sigmoid");
 */
export function linearActivationBackward(
  dA: Matrix,
  cache: LinearActivationCache,
  activation: Activation,
): LayerGradients {
  const fn = "linearActivationBackward";
  assertMatrix(fn, "dA", dA);
  assertActivationCache(fn, cache);
  assertActivation(fn, activation);
  const { linear, Z } = cache;
  assertSameShape(fn, "dA", dA, "cache.Z", Z);
  const { A, W } = linear;
  checkAllocation(fn, (Z.data.length + layerGradientValues(A, W)) * 8, "dZ, dAPrev, dW and db");
  const dZ = new Matrix(Z.rows, Z.cols);
  const dAPrev = new Matrix(A.rows, A.cols);
  const dW = new Matrix(W.rows, W.cols);
  const db = new Matrix(W.rows, 1);
  native.linearActivationBackward(
    dAPrev.data,
    dW.data,
    db.data,
    dZ.data,
    dA.data,
    Z.data,
    A.data,
    W.data,
    W.rows,
    W.cols,
    A.cols,
    ActivationCode[activation],
  );
  return { dAPrev, dW, db };
}

/**
 * The whole backward pass, from dAL = -(Y/AL - (1-Y)/(1-AL)) down to the input. With options, the
 * trainer's: a softmax head starts from dZ_L = AL - Y, dW_l gains (l2/m) W_l, and under dropout
 * each dA_l is masked with the cache's D and divided by keepProb (grads keep the masked dA).
 * @param AL the output of lModelForward, [1, m] (sigmoid) or [C, m] (softmax)
 * @param Y labels, [1, m], or one-hot [C, m] for softmax
 * @param caches the caches of lModelForward (with their masks D when keepProb < 1)
 * @param options `{ hidden = "relu", output = "sigmoid", l2 = 0, keepProb = 1 }`, as given to
 * lModelForward and computeCost
 * @returns grads with `dA{l-1}`, `dW{l}`, `db{l}` for l = 1..L (`dA0` is the input's gradient)
 * @throws {TypeError} for malformed arguments, or keepProb < 1 with caches that have no D
 * @throws {RangeError} when shapes disagree or the caches do not chain (AL is not range-checked:
 * the seed's own test case feeds it standard normals), a softmax Y is not one-hot, or an option
 * is out of range
 * @example const grads = lModelBackward(AL, Y, caches);
 * @example const grads = lModelBackward(AL, Y, caches, { output: "softmax", l2: 0.1, keepProb: 0.8 });
 */
export function lModelBackward(
  AL: Matrix,
  Y: Matrix,
  caches: LinearActivationCache[],
  options?: BackwardOptions,
): MatrixDict {
  const fn = "lModelBackward";
  if (options !== undefined) return trainerBackward(fn, AL, Y, caches, options);
  assertMatrix(fn, "AL", AL);
  assertMatrix(fn, "Y", Y);
  assertSameShape(fn, "AL", AL, "Y", Y);
  assertFinite(fn, "AL", AL);
  assertWithin(fn, "Y", Y, 0, 1);
  const L = checkCaches(fn, AL, caches);
  let values = AL.data.length;
  for (const { linear, Z } of caches) values += Z.data.length + layerGradientValues(linear.A, linear.W);
  checkAllocation(fn, values * 8, "dAL and every layer's dZ, dA, dW and db");
  const dAL = seedDAL(fn, AL, Y);
  const grads: MatrixDict = {};
  let dA = dAL;
  for (let l = L; l >= 1; l--) {
    const step = linearActivationBackward(dA, caches[l - 1]!, l === L ? "sigmoid" : "relu");
    grads[`dA${l - 1}`] = step.dAPrev;
    grads[`dW${l}`] = step.dW;
    grads[`db${l}`] = step.db;
    dA = step.dAPrev;
  }
  return grads;
}

/** The trainer's options of the backward pass. */
export interface BackwardOptions {
  /** The hidden layers' activation (default "relu"). */
  hidden?: Hidden;
  /** The output head (default "sigmoid"). */
  output?: Output;
  /** The L2 strength λ, a finite number >= 0 (default 0): dW_l gains (l2 / m) W_l. */
  l2?: number;
  /** The forward pass's keepProb (default 1); below 1 the caches must carry their masks D. */
  keepProb?: number;
}

/**
 * lModelBackward with options: the spec's backward. The sigmoid head keeps the seed's
 * dAL = -(Y/AL - (1-Y)/(1-AL)) times sigmoid'(Z_L) (exactly today's results when the options are
 * the defaults); the softmax head starts from dZ_L = AL - Y. Then for l = L..1: dW_l =
 * (1/m) dZ_l A_(l-1)^T + (l2/m) W_l, db_l, dA_(l-1) = W_l^T dZ_l, masked as
 * `dA = dA * D; dA = dA / keepProb` under dropout (grads keep the masked dA), and
 * dZ_(l-1) = dA * hidden'(Z_(l-1)).
 */
function trainerBackward(
  fn: string,
  AL: Matrix,
  Y: Matrix,
  caches: LinearActivationCache[],
  options: BackwardOptions,
): MatrixDict {
  assertOptions(fn, options);
  const { hidden = "relu", output = "sigmoid", l2 = 0, keepProb = 1 } = options;
  assertOneOf(fn, "hidden", hidden, HIDDEN);
  assertOneOf(fn, "output", output, OUTPUTS);
  assertNonNegativeNumber(fn, "l2", l2);
  assertKeepProb(fn, keepProb);
  assertMatrix(fn, "AL", AL);
  assertMatrix(fn, "Y", Y);
  assertSameShape(fn, "AL", AL, "Y", Y);
  assertFinite(fn, "AL", AL);
  if (output === "softmax") {
    assertOneHot(fn, Y);
  } else {
    assertWithin(fn, "Y", Y, 0, 1);
  }
  const L = checkCaches(fn, AL, caches);
  const dropout = keepProb < 1;
  if (dropout) {
    for (let l = 1; l < L; l++) {
      const { D, Z } = caches[l - 1]!;
      if (D === undefined) {
        throw new TypeError(
          `${fn}: caches[${l - 1}] has no dropout mask D, but keepProb is ${keepProb} (run lModelForward with the same keepProb)`,
        );
      }
      assertMatrix(fn, `caches[${l - 1}].D`, D);
      assertSameShape(fn, `caches[${l - 1}].D`, D, `caches[${l - 1}].Z`, Z);
    }
  }
  let values = AL.data.length;
  for (const { linear, Z } of caches) values += Z.data.length + layerGradientValues(linear.A, linear.W);
  checkAllocation(fn, values * 8, "dAL and every layer's dZ, dA, dW and db");
  const m = AL.cols;
  let dZ: Matrix;
  if (output === "softmax") {
    dZ = new Matrix(AL.rows, AL.cols, AL.data.slice());
    native.addScaled(dZ.data, Y.data, -1, dZ.data.length);
  } else {
    dZ = sigmoidBackward(seedDAL(fn, AL, Y), caches[L - 1]!.Z);
  }
  const grads: MatrixDict = {};
  const hiddenCode = ActivationCode[hidden];
  for (let l = L; l >= 1; l--) {
    const { linear } = caches[l - 1]!;
    const { A, W } = linear;
    const dAPrev = new Matrix(A.rows, A.cols);
    const dW = new Matrix(W.rows, W.cols);
    const db = new Matrix(W.rows, 1);
    native.linearBackward(dAPrev.data, dW.data, db.data, dZ.data, A.data, W.data, W.rows, W.cols, m);
    if (l2 > 0) native.addScaled(dW.data, W.data, l2 / m, dW.data.length);
    if (dropout && l > 1) {
      const D = caches[l - 2]!.D!;
      native.dropoutApply(dAPrev.data, D.data, keepProb, D.data.length);
    }
    grads[`dA${l - 1}`] = dAPrev;
    grads[`dW${l}`] = dW;
    grads[`db${l}`] = db;
    if (l > 1) {
      const Z = caches[l - 2]!.Z;
      dZ = new Matrix(Z.rows, Z.cols);
      native.activationBackward(dZ.data, dAPrev.data, Z.data, Z.data.length, hiddenCode);
    }
  }
  return grads;
}

/**
 * One gradient-descent step: W_l - learningRate · dW_l, b_l - learningRate · db_l.
 * @param parameters `{W1, b1, ..., WL, bL}` (not mutated)
 * @param grads must hold `dW{l}` and `db{l}` shaped like W_l and b_l
 * @param learningRate a finite number > 0
 * @returns new parameters
 * @throws {TypeError} for malformed arguments
 * @throws {TypeError} for missing gradients; {RangeError} for shape mismatches or a bad learning rate
 * @example parameters = updateParameters(parameters, grads, 0.0075);
 */
export function updateParameters(
  parameters: MatrixDict,
  grads: MatrixDict,
  learningRate: number,
): MatrixDict {
  const fn = "updateParameters";
  const L = assertParameters(fn, parameters);
  if (typeof grads !== "object" || grads === null) {
    throw new TypeError(`${fn}: expected grads to be an object {dW1, db1, ...}, received ${describe(grads)}`);
  }
  assertPositiveNumber(fn, "learningRate", learningRate);
  let values = 0;
  for (let l = 1; l <= L; l++) values += parameters[`W${l}`]!.data.length + parameters[`b${l}`]!.data.length;
  checkAllocation(fn, values * 8, "the updated parameters");
  const updated: MatrixDict = {};
  for (let l = 1; l <= L; l++) {
    for (const name of [`W${l}`, `b${l}`]) {
      const param = parameters[name]!;
      const grad = grads[`d${name}`];
      if (grad === undefined) {
        throw new TypeError(`${fn}: grads is missing "d${name}" (expected dW1..dW${L} and db1..db${L})`);
      }
      assertMatrix(fn, `d${name}`, grad);
      assertSameShape(fn, name, param, `d${name}`, grad);
      // Not param.clone(): assertMatrix also accepts plain {rows, cols, data} objects.
      const data = copyOf(fn, "float64", param.data, `${name}, [${param.rows}, ${param.cols}]`);
      const next = new Matrix(param.rows, param.cols, data as Float64Array);
      native.sgdUpdate(next.data, grad.data, learningRate, next.data.length);
      updated[name] = next;
    }
  }
  return updated;
}

/** The caches of an L-layer pass, checked to chain and to end at AL's shape; returns L. */
function checkCaches(fn: string, AL: Matrix, caches: unknown): number {
  if (!Array.isArray(caches)) {
    throw new TypeError(`${fn}: expected caches to be an array, received ${describe(caches)}`);
  }
  if (caches.length === 0) throw new RangeError(`${fn}: expected at least one cache, received []`);
  caches.forEach((cache, i) => assertActivationCache(`${fn}: caches[${i}]`, cache));
  const list = caches as LinearActivationCache[];
  const L = list.length;
  assertSameShape(fn, "AL", AL, `caches[${L - 1}].Z`, list[L - 1]!.Z);
  for (let l = 1; l < L; l++) {
    assertSameShape(fn, `caches[${l}].linear.A`, list[l]!.linear.A, `caches[${l - 1}].Z`, list[l - 1]!.Z);
  }
  return L;
}

/** The seed's dAL = -(Y/AL - (1-Y)/(1-AL)), refusing a saturated AL. */
function seedDAL(fn: string, AL: Matrix, Y: Matrix): Matrix {
  const dAL = new Matrix(AL.rows, AL.cols);
  for (let i = 0; i < dAL.data.length; i++) {
    const a = AL.data[i] as number;
    const y = Y.data[i] as number;
    const d = -(y / a - (1 - y) / (1 - a));
    // AL of exactly 0 or 1 (a saturated sigmoid) would silently turn every gradient into NaN.
    if (!Number.isFinite(d)) {
      throw new RangeError(
        `${fn}: expected AL values for which dAL = -(Y/AL - (1-Y)/(1-AL)) is finite, ` +
          `received ${a} at [${Math.floor(i / AL.cols)}, ${i % AL.cols}] (Y = ${y})`,
      );
    }
    dAL.data[i] = d;
  }
  return dAL;
}

/** Values of one layer's dAPrev, dW and db: shaped like its A, W and b. */
function layerGradientValues(A: Matrix, W: Matrix): number {
  return A.rows * A.cols + W.rows * W.cols + W.rows;
}
