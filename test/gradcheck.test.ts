// A finite-difference check of lModelBackward on a tiny seeded network, independent of the fixtures:
// every dW/db entry must match the central difference of J = computeCost(lModelForward(X, params).AL, Y).

import test from "ava";
import {
  type MatrixDict,
  Matrix,
  RandomState,
  computeCost,
  initializeParametersDeep,
  lModelBackward,
  lModelForward,
} from "../lib/index.js";

const EPS = 1e-6;
const MAX_RELATIVE_ERROR = 1e-6;

/**
 * dims [4, 3, 2, 1], m = 5: X ~ randn, Y ~ Bernoulli(0.5), he-initialised weights, small non-zero biases.
 * Seeds chosen so that both labels occur, no unit is dead on every example, and no Z is near 0.
 */
function tinyNetwork() {
  const dims = [4, 3, 2, 1];
  const m = 5;
  const rng = new RandomState(4);
  const X = rng.randn(dims[0]!, m);
  const Y = new Matrix(
    1,
    m,
    rng.randomSample(1, m).data.map((u) => (u > 0.5 ? 1 : 0)),
  );
  const parameters = initializeParametersDeep(dims, { seed: 4, init: "he" });
  // Zero biases would leave b untested against a non-trivial operating point.
  for (let l = 1; l < dims.length; l++) {
    const b = parameters[`b${l}`]!;
    b.data.set(rng.randn(b.rows, 1).data.map((v) => 0.1 * v));
  }
  return { X, Y, parameters };
}

function cost(X: Matrix, Y: Matrix, parameters: MatrixDict): number {
  return computeCost(lModelForward(X, parameters).AL, Y);
}

function withEntry(parameters: MatrixDict, key: string, index: number, delta: number): MatrixDict {
  const copy: MatrixDict = {};
  for (const [k, v] of Object.entries(parameters)) copy[k] = v.clone();
  copy[key]!.data[index]! += delta;
  return copy;
}

/** |a - b| / (|a| + |b|), 0 when both are 0. */
function relativeError(a: number, b: number): number {
  const scale = Math.abs(a) + Math.abs(b);
  return scale === 0 ? 0 : Math.abs(a - b) / scale;
}

test("tiny network keeps every pre-activation away from the relu kink", (t) => {
  const { X, parameters } = tinyNetwork();
  const { caches } = lModelForward(X, parameters);
  const minAbsZ = Math.min(...caches.flatMap((c) => Array.from(c.Z.data, Math.abs)));
  // A central difference across Z = 0 would measure the kink, not the gradient.
  t.true(minAbsZ > 1e-3, `min |Z| is ${minAbsZ}`);
  const { Y } = tinyNetwork();
  t.true(Y.data.includes(0) && Y.data.includes(1), `Y is ${Y.toString()}`);
});

test("lModelBackward dW and db match central differences of computeCost", (t) => {
  const { X, Y, parameters } = tinyNetwork();
  const { AL, caches } = lModelForward(X, parameters);
  const grads = lModelBackward(AL, Y, caches);
  let worst = { key: "", index: -1, numeric: 0, analytic: 0, error: 0 };
  let checked = 0;
  for (const key of Object.keys(parameters).sort()) {
    const analytic = grads[`d${key}`];
    if (analytic === undefined) {
      t.fail(`grads has no d${key}`);
      continue;
    }
    t.deepEqual(analytic.shape, parameters[key]!.shape, `d${key} shape`);
    // A unit dead on every example would pass trivially (0 = 0); this network has none.
    t.true(
      analytic.data.every((v) => v !== 0),
      `d${key} has a zero entry: ${analytic.toString()}`,
    );
    for (let i = 0; i < parameters[key]!.data.length; i++) {
      const numeric =
        (cost(X, Y, withEntry(parameters, key, i, EPS)) - cost(X, Y, withEntry(parameters, key, i, -EPS))) /
        (2 * EPS);
      const error = relativeError(numeric, analytic.data[i]!);
      checked++;
      if (error >= worst.error) worst = { key, index: i, numeric, analytic: analytic.data[i]!, error };
    }
  }
  t.is(checked, 3 * 4 + 3 + 2 * 3 + 2 + 1 * 2 + 1);
  t.log(`worst relative error ${worst.error} over ${checked} entries`);
  const cols = parameters[worst.key]?.cols ?? 1;
  t.true(
    worst.error < MAX_RELATIVE_ERROR,
    `worst relative error ${worst.error} at d${worst.key} (${Math.floor(worst.index / cols)}, ${worst.index % cols}): ` +
      `analytic ${worst.analytic}, numeric ${worst.numeric}`,
  );
});

test("lModelBackward dA0 is m times the central-difference gradient of the cost with respect to X", (t) => {
  // The seed's dAL is not divided by m (only dW and db are), so dA0 = m * dJ/dX.
  const { X, Y, parameters } = tinyNetwork();
  const { AL, caches } = lModelForward(X, parameters);
  const dA0 = lModelBackward(AL, Y, caches).dA0!;
  t.deepEqual(dA0.shape, X.shape);
  let worstError = 0;
  let worstIndex = -1;
  for (let i = 0; i < X.data.length; i++) {
    const plus = X.clone();
    const minus = X.clone();
    plus.data[i]! += EPS;
    minus.data[i]! -= EPS;
    const numeric = (X.cols * (cost(plus, Y, parameters) - cost(minus, Y, parameters))) / (2 * EPS);
    const error = relativeError(numeric, dA0.data[i]!);
    if (error >= worstError) {
      worstError = error;
      worstIndex = i;
    }
  }
  t.log(`worst relative error ${worstError} over ${X.data.length} entries`);
  t.true(
    worstError < MAX_RELATIVE_ERROR,
    `worst relative error ${worstError} at dA0 flat index ${worstIndex}`,
  );
});
