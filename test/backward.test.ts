// The L-layer backward pass and the parameter update: parity with the seed's numpy values.

import test from "ava";
import {
  type LinearActivationCache,
  Matrix,
  lModelBackward,
  lModelForward,
  linearActivationBackward,
  updateParameters,
} from "../lib/index.js";
import { assertClose, closeTo, seedCase } from "./helpers/fixtures.js";

function backwardCase() {
  const { AL, Y, caches } = seedCase("L_model_backward").inputs;
  const built: LinearActivationCache[] = caches.map(({ A_prev, W, b, Z }) => ({
    linear: { A: A_prev, W, b },
    Z,
  }));
  return { AL, Y, caches: built };
}

test(
  "lModelBackward matches seed case for every gradient",
  closeTo,
  () => {
    const { AL, Y, caches } = backwardCase();
    return lModelBackward(AL, Y, caches);
  },
  seedCase("L_model_backward").expected,
);

// The seed's AL is np.random.randn(1, 2), not a probability, so the parity test above relies on
// lModelBackward accepting any AL for which dAL is finite. This oracle recomputes the same grads from the
// seed's formula dAL = -(Y/AL - (1-Y)/(1-AL)) and linearActivationBackward, whatever lModelBackward checks.
test("L_model_backward seed grads follow from dAL and linearActivationBackward layer by layer", (t) => {
  const { AL, Y, caches } = backwardCase();
  const dAL = new Matrix(
    AL.rows,
    AL.cols,
    AL.data.map((a, i) => -(Y.data[i]! / a - (1 - Y.data[i]!) / (1 - a))),
  );
  const grads: Record<string, Matrix> = {};
  let dA = dAL;
  for (let l = caches.length; l >= 1; l--) {
    const step = linearActivationBackward(dA, caches[l - 1]!, l === caches.length ? "sigmoid" : "relu");
    grads[`dA${l - 1}`] = step.dAPrev;
    grads[`dW${l}`] = step.dW;
    grads[`db${l}`] = step.db;
    dA = step.dAPrev;
  }
  assertClose(t, grads, seedCase("L_model_backward").expected, { label: "grads" });
});

/** A self-consistent case with AL in (0, 1): the seed's L_model_forward inputs run forward. */
function forwardCase() {
  const { X, parameters } = seedCase("L_model_forward").inputs;
  const { AL, caches } = lModelForward(X, parameters);
  return { AL, Y: Matrix.from([[1, 0]]), caches };
}

test("lModelBackward returns exactly dA{l-1}, dW{l} and db{l} shaped like A, W and b", (t) => {
  const { AL, Y, caches } = forwardCase();
  const grads = lModelBackward(AL, Y, caches);
  t.deepEqual(Object.keys(grads).sort(), ["dA0", "dA1", "dW1", "dW2", "db1", "db2"]);
  caches.forEach((cache, i) => {
    const l = i + 1;
    t.deepEqual(grads[`dA${l - 1}`]!.shape, cache.linear.A.shape, `dA${l - 1}`);
    t.deepEqual(grads[`dW${l}`]!.shape, cache.linear.W.shape, `dW${l}`);
    t.deepEqual(grads[`db${l}`]!.shape, cache.linear.b.shape, `db${l}`);
  });
});

test("lModelBackward leaves AL, Y and the caches untouched", (t) => {
  const { AL, Y, caches } = forwardCase();
  const snapshot = (m: Matrix) => m.clone();
  const before = {
    AL: snapshot(AL),
    Y: snapshot(Y),
    caches: caches.map((c) => ({
      A: snapshot(c.linear.A),
      W: snapshot(c.linear.W),
      b: snapshot(c.linear.b),
      Z: snapshot(c.Z),
    })),
  };
  lModelBackward(AL, Y, caches);
  assertClose(t, { AL, Y }, { AL: before.AL, Y: before.Y }, { tolerance: 0 });
  caches.forEach((cache, i) => {
    assertClose(t, { ...cache.linear, Z: cache.Z }, before.caches[i]!, {
      tolerance: 0,
      label: `caches[${i}]`,
    });
  });
});

test(
  "updateParameters matches seed case",
  closeTo,
  () => {
    const { learning_rate: learningRate, inputs } = seedCase("update_parameters");
    return updateParameters(inputs.parameters, inputs.grads, learningRate);
  },
  seedCase("update_parameters").expected,
);

test("updateParameters returns new matrices and does not mutate parameters or grads", (t) => {
  const { learning_rate: learningRate, inputs } = seedCase("update_parameters");
  const fresh = seedCase("update_parameters").inputs;
  const updated = updateParameters(inputs.parameters, inputs.grads, learningRate);
  assertClose(t, inputs.parameters, fresh.parameters, { tolerance: 0, label: "parameters" });
  assertClose(t, inputs.grads, fresh.grads, { tolerance: 0, label: "grads" });
  t.not(updated, inputs.parameters);
  for (const [key, value] of Object.entries(updated)) {
    t.not(value, inputs.parameters[key], key);
    t.not(value.data.buffer, inputs.parameters[key]!.data.buffer, `${key} buffer`);
  }
});

test("updateParameters accepts plain {rows, cols, data} objects, as every other function does", (t) => {
  const { learning_rate: learningRate, inputs } = seedCase("update_parameters");
  const plain = (m: Matrix) => ({ rows: m.rows, cols: m.cols, data: m.data.slice() }) as Matrix;
  const parameters = Object.fromEntries(Object.entries(inputs.parameters).map(([k, v]) => [k, plain(v)]));
  const updated = updateParameters(parameters, inputs.grads, learningRate);
  const expected = updateParameters(inputs.parameters, inputs.grads, learningRate);
  assertClose(t, updated, expected, { tolerance: 0 });
});

test("updateParameters computes W - learningRate * dW elementwise", (t) => {
  const { inputs } = seedCase("update_parameters");
  const learningRate = 0.37;
  const updated = updateParameters(inputs.parameters, inputs.grads, learningRate);
  for (const [key, P] of Object.entries(inputs.parameters)) {
    const dP = inputs.grads[`d${key}`]!;
    const expected = P.clone();
    expected.data.forEach((v, i) => (expected.data[i] = v - learningRate * dP.data[i]!));
    assertClose(t, updated[key], expected, { label: key });
  }
});
