// gradient_check_n of the "gradient checking" notebook, generalised to L layers and the trainer's
// heads: central differences of the cost over every parameter, against the backward pass's grads.
import { checkAllocation } from "./budget.js";
import { lModelBackward } from "./backward.js";
import { computeCost } from "./cost.js";
import { lModelForward } from "./forward.js";
import { Matrix, describe } from "./matrix.js";
import {
  assertMatrix,
  assertOptions,
  assertParameters,
  assertPositiveNumber,
  assertSameShape,
} from "./validate.js";
import type { Hidden, MatrixDict, Output } from "./types.js";
import { HIDDEN, OUTPUTS } from "./native.js";
import { assertOneOf } from "./errors.js";

/** Options of gradientCheck. */
export interface GradientCheckOptions {
  /** The hidden layers' activation (default "relu"). */
  hidden?: Hidden;
  /** The output head (default "sigmoid"). */
  output?: Output;
  /** The finite-difference step (default 1e-7). */
  epsilon?: number;
  /** The gradients to check (default: lModelBackward's at these parameters). */
  grads?: MatrixDict;
}

/** What gradientCheck measured. */
export interface GradientCheckResult {
  /** ||grad - gradApprox|| / (||grad|| + ||gradApprox||); the notebook flags a value above 2e-7. */
  difference: number;
  /** (J(θ + ε e_i) - J(θ - ε e_i)) / (2ε) for each parameter, [n, 1]. */
  gradApprox: Matrix;
  /** The checked gradients as one vector, [n, 1]. */
  grad: Matrix;
}

/**
 * Checks gradients against central differences of the cost, parameter by parameter, in the
 * notebook's vector order (W1 row-major, b1, W2, b2, ...).
 * @param parameters `{W1, b1, ..., WL, bL}` (not mutated)
 * @param X inputs, [n_0, m]
 * @param Y labels, [1, m] (sigmoid) or one-hot [C, m] (softmax)
 * @param options `{ hidden = "relu", output = "sigmoid", epsilon = 1e-7, grads }`
 * @returns `{ difference, gradApprox, grad }`
 * @throws {TypeError} for malformed arguments or grads missing a dW_l or db_l
 * @throws {RangeError} for misaligned shapes, a bad epsilon, unknown names, or labels the cost refuses
 * @example gradientCheck(parameters, X, Y).difference < 2e-7
 */
export function gradientCheck(
  parameters: MatrixDict,
  X: Matrix,
  Y: Matrix,
  options?: GradientCheckOptions,
): GradientCheckResult {
  const fn = "gradientCheck";
  assertMatrix(fn, "X", X);
  assertMatrix(fn, "Y", Y);
  const L = assertParameters(fn, parameters, X);
  assertOptions(fn, options);
  const { hidden = "relu", output = "sigmoid", epsilon = 1e-7, grads } = options ?? {};
  assertOneOf(fn, "hidden", hidden, HIDDEN);
  assertOneOf(fn, "output", output, OUTPUTS);
  assertPositiveNumber(fn, "epsilon", epsilon);
  if (grads !== undefined && (typeof grads !== "object" || grads === null)) {
    throw new TypeError(`${fn}: expected grads to be an object {dW1, db1, ...}, received ${describe(grads)}`);
  }
  const names: string[] = [];
  for (let l = 1; l <= L; l++) names.push(`W${l}`, `b${l}`);
  let n = 0;
  for (const name of names) n += parameters[name]!.data.length;
  checkAllocation(fn, 3 * n * 8, `the parameter copies and two vectors of ${n} values`);
  // A private copy whose entries are nudged in place and restored: one forward pass per nudge.
  const theta: MatrixDict = {};
  for (const name of names)
    theta[name] = new Matrix(parameters[name]!.rows, parameters[name]!.cols, parameters[name]!.data.slice());
  const cost = () => computeCost(lModelForward(X, theta, { hidden, output }).AL, Y, { output });
  let checked = grads;
  if (checked === undefined) {
    const { AL, caches } = lModelForward(X, theta, { hidden, output });
    checked = lModelBackward(AL, Y, caches, { hidden, output });
  }
  const grad = new Matrix(n, 1);
  const gradApprox = new Matrix(n, 1);
  let i = 0;
  for (const name of names) {
    const g = checked[`d${name}`];
    if (g === undefined) {
      throw new TypeError(`${fn}: grads is missing "d${name}" (expected dW1..dW${L} and db1..db${L})`);
    }
    assertMatrix(fn, `d${name}`, g);
    const p = theta[name]!;
    assertSameShape(fn, name, p, `d${name}`, g);
    for (let k = 0; k < p.data.length; k++, i++) {
      const original = p.data[k] as number;
      p.data[k] = original + epsilon;
      const plus = cost();
      p.data[k] = original - epsilon;
      const minus = cost();
      p.data[k] = original;
      gradApprox.data[i] = (plus - minus) / (2 * epsilon);
      grad.data[i] = g.data[k] as number;
    }
  }
  let numerator = 0;
  let gradNorm = 0;
  let approxNorm = 0;
  for (let k = 0; k < n; k++) {
    const a = grad.data[k] as number;
    const b = gradApprox.data[k] as number;
    numerator += (a - b) * (a - b);
    gradNorm += a * a;
    approxNorm += b * b;
  }
  const difference = Math.sqrt(numerator) / (Math.sqrt(gradNorm) + Math.sqrt(approxNorm));
  return { difference, gradApprox, grad };
}
