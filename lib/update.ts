// The optimizers of the "optimization methods" notebook, functional: momentum and Adam state
// initialisation and one update step each. Inputs are never mutated; every step returns new
// parameters and new state.
import { checkAllocation, copyOf } from "./budget.js";
import { Matrix, describe } from "./matrix.js";
import { native } from "./native.js";
import {
  assertInRange,
  assertInteger,
  assertMatrix,
  assertParameters,
  assertPositiveNumber,
  assertSameShape,
} from "./validate.js";
import type { MatrixDict } from "./types.js";

/** Values of every W_l and b_l: the size of one state dictionary. */
function parameterValues(parameters: MatrixDict, L: number): number {
  let values = 0;
  for (let l = 1; l <= L; l++) values += parameters[`W${l}`]!.data.length + parameters[`b${l}`]!.data.length;
  return values;
}

/** `{dW1: zeros like W1, db1: zeros like b1, ...}`. */
function zerosLike(fn: string, parameters: MatrixDict): MatrixDict {
  const L = assertParameters(fn, parameters);
  checkAllocation(fn, parameterValues(parameters, L) * 8, "the state, shaped like the parameters");
  const state: MatrixDict = {};
  for (let l = 1; l <= L; l++) {
    for (const name of [`W${l}`, `b${l}`]) {
      const p = parameters[name]!;
      state[`d${name}`] = new Matrix(p.rows, p.cols);
    }
  }
  return state;
}

/**
 * The momentum velocity, all zeros: `initialize_velocity(parameters)`.
 * @param parameters `{W1, b1, ..., WL, bL}`
 * @returns `{dW1, db1, ..., dWL, dbL}`, zeros shaped like W_l and b_l
 * @throws {TypeError} for malformed parameters
 * @throws {RangeError} for parameters whose shapes do not chain
 * @example const v = initializeVelocity(parameters);
 */
export function initializeVelocity(parameters: MatrixDict): MatrixDict {
  return zerosLike("initializeVelocity", parameters);
}

/**
 * Adam's first and second moment estimates, all zeros: `initialize_adam(parameters)`.
 * @param parameters `{W1, b1, ..., WL, bL}`
 * @returns `{ v, s }`, each `{dW1, db1, ...}` of zeros shaped like the parameters
 * @throws {TypeError} for malformed parameters
 * @throws {RangeError} for parameters whose shapes do not chain
 * @example let { v, s } = initializeAdam(parameters);
 */
export function initializeAdam(parameters: MatrixDict): { v: MatrixDict; s: MatrixDict } {
  const fn = "initializeAdam";
  return { v: zerosLike(fn, parameters), s: zerosLike(fn, parameters) };
}

/** The gradient and every state entry for parameter `name`, checked against it. */
function entry(fn: string, name: string, param: Matrix, dicts: Record<string, unknown>, L: number): Matrix[] {
  const out: Matrix[] = [];
  for (const [dictName, dict] of Object.entries(dicts)) {
    const value = (dict as Record<string, unknown>)[`d${name}`];
    if (value === undefined) {
      throw new TypeError(`${fn}: ${dictName} is missing "d${name}" (expected dW1..dW${L} and db1..db${L})`);
    }
    assertMatrix(fn, `${dictName}.d${name}`, value);
    assertSameShape(fn, name, param, `${dictName}.d${name}`, value);
    out.push(value);
  }
  return out;
}

function assertDict(fn: string, name: string, value: unknown): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(
      `${fn}: expected ${name} to be an object {dW1, db1, ...}, received ${describe(value)}`,
    );
  }
}

/** A copy of m as a Matrix (m may be a plain {rows, cols, data} look-alike). */
function copy(fn: string, m: Matrix, what: string): Matrix {
  return new Matrix(m.rows, m.cols, copyOf(fn, "float64", m.data, what) as Float64Array);
}

/**
 * One momentum step: v = beta v + (1 - beta) dW; W = W - learningRate v (and likewise for b).
 * @param parameters `{W1, b1, ..., WL, bL}` (not mutated)
 * @param grads `{dW1, db1, ...}` shaped like the parameters
 * @param v the velocity `{dW1, db1, ...}` from initializeVelocity or the previous step (not mutated)
 * @param beta the momentum, a number in [0, 1)
 * @param learningRate a finite number > 0
 * @returns `{ parameters, v }`, new dictionaries
 * @throws {TypeError} for malformed arguments or missing keys
 * @throws {RangeError} for shape mismatches, beta outside [0, 1) or a bad learning rate
 * @example ({ parameters, v } = updateParametersWithMomentum(parameters, grads, v, 0.9, 0.01));
 */
export function updateParametersWithMomentum(
  parameters: MatrixDict,
  grads: MatrixDict,
  v: MatrixDict,
  beta: number,
  learningRate: number,
): { parameters: MatrixDict; v: MatrixDict } {
  const fn = "updateParametersWithMomentum";
  const L = assertParameters(fn, parameters);
  assertDict(fn, "grads", grads);
  assertDict(fn, "v", v);
  assertInRange(fn, "beta", beta, 0, 1);
  assertPositiveNumber(fn, "learningRate", learningRate);
  const pairs: Array<[string, Matrix, Matrix, Matrix]> = [];
  for (let l = 1; l <= L; l++) {
    for (const name of [`W${l}`, `b${l}`]) {
      const param = parameters[name]!;
      const [grad, vel] = entry(fn, name, param, { grads, v }, L);
      pairs.push([name, param, grad!, vel!]);
    }
  }
  checkAllocation(fn, 2 * parameterValues(parameters, L) * 8, "the new parameters and velocity");
  const nextParameters: MatrixDict = {};
  const nextV: MatrixDict = {};
  for (const [name, param, grad, vel] of pairs) {
    const p = copy(fn, param, name);
    const w = copy(fn, vel, `v.d${name}`);
    native.momentumUpdate(p.data, w.data, grad.data, beta, learningRate, p.data.length);
    nextParameters[name] = p;
    nextV[`d${name}`] = w;
  }
  return { parameters: nextParameters, v: nextV };
}

/**
 * One Adam step (t counts steps from 1): v = b1 v + (1 - b1) dW; vc = v / (1 - b1^t);
 * s = b2 s + (1 - b2) dW^2; sc = s / (1 - b2^t); W = W - learningRate vc / (sqrt(sc) + epsilon).
 * @param parameters `{W1, b1, ..., WL, bL}` (not mutated)
 * @param grads `{dW1, db1, ...}` shaped like the parameters
 * @param v first moments `{dW1, db1, ...}` (not mutated)
 * @param s second moments `{dW1, db1, ...}` (not mutated)
 * @param t the step number, an integer >= 1
 * @param learningRate a finite number > 0 (default 0.01)
 * @param beta1 in [0, 1) (default 0.9)
 * @param beta2 in [0, 1) (default 0.999)
 * @param epsilon a finite number > 0 (default 1e-8)
 * @returns `{ parameters, v, s }`, new dictionaries (v and s without the bias correction)
 * @throws {TypeError} for malformed arguments or missing keys
 * @throws {RangeError} for shape mismatches, t not an integer >= 1, a beta outside [0, 1), or a bad
 * learning rate or epsilon
 * @example ({ parameters, v, s } = updateParametersWithAdam(parameters, grads, v, s, t, 0.01));
 */
export function updateParametersWithAdam(
  parameters: MatrixDict,
  grads: MatrixDict,
  v: MatrixDict,
  s: MatrixDict,
  t: number,
  learningRate = 0.01,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon = 1e-8,
): { parameters: MatrixDict; v: MatrixDict; s: MatrixDict } {
  const fn = "updateParametersWithAdam";
  const L = assertParameters(fn, parameters);
  assertDict(fn, "grads", grads);
  assertDict(fn, "v", v);
  assertDict(fn, "s", s);
  assertInteger(fn, "t", t, 1);
  assertPositiveNumber(fn, "learningRate", learningRate);
  assertInRange(fn, "beta1", beta1, 0, 1);
  assertInRange(fn, "beta2", beta2, 0, 1);
  assertPositiveNumber(fn, "epsilon", epsilon);
  const items: Array<[string, Matrix, Matrix, Matrix, Matrix]> = [];
  for (let l = 1; l <= L; l++) {
    for (const name of [`W${l}`, `b${l}`]) {
      const param = parameters[name]!;
      const [grad, first, second] = entry(fn, name, param, { grads, v, s }, L);
      items.push([name, param, grad!, first!, second!]);
    }
  }
  checkAllocation(fn, 3 * parameterValues(parameters, L) * 8, "the new parameters, v and s");
  const next: { parameters: MatrixDict; v: MatrixDict; s: MatrixDict } = { parameters: {}, v: {}, s: {} };
  for (const [name, param, grad, first, second] of items) {
    const p = copy(fn, param, name);
    const m1 = copy(fn, first, `v.d${name}`);
    const m2 = copy(fn, second, `s.d${name}`);
    native.adamUpdate(
      p.data,
      m1.data,
      m2.data,
      grad.data,
      t,
      learningRate,
      beta1,
      beta2,
      epsilon,
      p.data.length,
    );
    next.parameters[name] = p;
    next.v[`d${name}`] = m1;
    next.s[`d${name}`] = m2;
  }
  return next;
}
