// The linear steps, forward and backward, with and without activation: parity with the seed's numpy values.

import test from "ava";
import {
  type LinearActivationCache,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
} from "../lib/index.js";
import { assertClose, closeTo, seedCase } from "./helpers/fixtures.js";

test(
  "linearForward matches seed case",
  closeTo,
  () => {
    const { A, W, b } = seedCase("linear_forward").inputs;
    return linearForward(A, W, b).Z;
  },
  seedCase("linear_forward").expected.Z,
);

test("linearForward caches the very A, W and b it was given", (t) => {
  const { A, W, b } = seedCase("linear_forward").inputs;
  const { Z, cache } = linearForward(A, W, b);
  t.is(cache.A, A);
  t.is(cache.W, W);
  t.is(cache.b, b);
  t.deepEqual(Z.shape, [W.rows, A.cols]);
});

test("linearForward broadcasts b across the columns and leaves its inputs untouched", (t) => {
  const { A, W, b } = seedCase("linear_forward").inputs;
  const before = [A.data.slice(), W.data.slice(), b.data.slice()];
  const { Z } = linearForward(A, W, b);
  for (let j = 0; j < A.cols; j++) {
    let z = b.get(0, 0);
    for (let k = 0; k < W.cols; k++) z += W.get(0, k) * A.get(k, j);
    assertClose(t, Z.get(0, j), z, { label: `Z[0, ${j}]` });
  }
  t.deepEqual([A.data, W.data, b.data], before);
});

test(
  "linearActivationForward matches seed sigmoid case",
  closeTo,
  () => {
    const { A_prev, W, b } = seedCase("linear_activation_forward").inputs;
    return linearActivationForward(A_prev, W, b, "sigmoid").A;
  },
  seedCase("linear_activation_forward").expected.sigmoid,
);

test(
  "linearActivationForward matches seed relu case",
  closeTo,
  () => {
    const { A_prev, W, b } = seedCase("linear_activation_forward").inputs;
    return linearActivationForward(A_prev, W, b, "relu").A;
  },
  seedCase("linear_activation_forward").expected.relu,
);

test("linearActivationForward caches {linear: {A: APrev, W, b}, Z} with Z = W·APrev + b", (t) => {
  const { A_prev, W, b } = seedCase("linear_activation_forward").inputs;
  for (const activation of ["relu", "sigmoid"] as const) {
    const { cache } = linearActivationForward(A_prev, W, b, activation);
    t.deepEqual(Object.keys(cache).sort(), ["Z", "linear"]);
    t.is(cache.linear.A, A_prev);
    t.is(cache.linear.W, W);
    t.is(cache.linear.b, b);
    assertClose(t, cache.Z, linearForward(A_prev, W, b).Z, { label: `${activation} cache.Z` });
  }
});

test(
  "linearBackward matches seed case",
  closeTo,
  () => {
    const { dZ, A_prev, W, b } = seedCase("linear_backward").inputs;
    const { dAPrev, dW, db } = linearBackward(dZ, { A: A_prev, W, b });
    return { dA_prev: dAPrev, dW, db };
  },
  seedCase("linear_backward").expected,
);

test("linearBackward leaves dZ and the cache untouched", (t) => {
  const { dZ, A_prev, W, b } = seedCase("linear_backward").inputs;
  const before = [dZ, A_prev, W, b].map((m) => m.data.slice());
  linearBackward(dZ, { A: A_prev, W, b });
  t.deepEqual(
    [dZ, A_prev, W, b].map((m) => m.data),
    before,
  );
});

function activationCase(): LinearActivationCache & { dA: LinearActivationCache["Z"] } {
  const { dA, A_prev, W, b, Z } = seedCase("linear_activation_backward").inputs;
  return { dA, linear: { A: A_prev, W, b }, Z };
}

test(
  "linearActivationBackward matches seed sigmoid case",
  closeTo,
  () => {
    const { dA, linear, Z } = activationCase();
    const { dAPrev, dW, db } = linearActivationBackward(dA, { linear, Z }, "sigmoid");
    return { dA_prev: dAPrev, dW, db };
  },
  seedCase("linear_activation_backward").expected.sigmoid,
);

test(
  "linearActivationBackward matches seed relu case",
  closeTo,
  () => {
    const { dA, linear, Z } = activationCase();
    const { dAPrev, dW, db } = linearActivationBackward(dA, { linear, Z }, "relu");
    return { dA_prev: dAPrev, dW, db };
  },
  seedCase("linear_activation_backward").expected.relu,
);
