// The L-layer forward pass: parity with the seed's numpy values, and the shape of its caches.

import test from "ava";
import { lModelForward, linearActivationForward } from "../lib/index.js";
import { assertClose, closeTo, seedCase } from "./helpers/fixtures.js";

test(
  "lModelForward matches seed case",
  closeTo,
  () => {
    const { X, parameters } = seedCase("L_model_forward").inputs;
    const { AL, caches } = lModelForward(X, parameters);
    return { AL, caches_length: caches.length };
  },
  seedCase("L_model_forward").expected,
);

test(
  "lModelForward matches seed 2hidden case",
  closeTo,
  () => {
    const { X, parameters } = seedCase("L_model_forward_2hidden").inputs;
    const { AL, caches } = lModelForward(X, parameters);
    return { AL, caches_length: caches.length };
  },
  seedCase("L_model_forward_2hidden").expected,
);

test("lModelForward caches each layer's input, parameters and Z, relu then sigmoid", (t) => {
  const { X, parameters } = seedCase("L_model_forward_2hidden").inputs;
  const { AL, caches } = lModelForward(X, parameters);
  t.is(caches.length, 3);
  let A = X;
  caches.forEach((cache, i) => {
    const l = i + 1;
    t.is(cache.linear.A === X, l === 1, `caches[${i}].linear.A is X only for layer 1`);
    t.is(cache.linear.W, parameters[`W${l}`]!);
    t.is(cache.linear.b, parameters[`b${l}`]!);
    const step = linearActivationForward(
      A,
      parameters[`W${l}`]!,
      parameters[`b${l}`]!,
      l < 3 ? "relu" : "sigmoid",
    );
    assertClose(t, cache.linear.A, A, { label: `caches[${i}].linear.A` });
    assertClose(t, cache.Z, step.cache.Z, { label: `caches[${i}].Z` });
    A = step.A;
  });
  assertClose(t, AL, A, { label: "AL" });
});

test("lModelForward leaves X and the parameters untouched", (t) => {
  const { X, parameters } = seedCase("L_model_forward").inputs;
  const fresh = seedCase("L_model_forward").inputs;
  lModelForward(X, parameters);
  assertClose(t, X, fresh.X, { tolerance: 0 });
  assertClose(t, parameters, fresh.parameters, { tolerance: 0 });
});
