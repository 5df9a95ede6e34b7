// The trainer's functional API against the numpy reference (test/fixtures/trainer-cases.json):
// one test per fixture key, exact where the spec says so, 1e-12 elsewhere.

import test from "ava";
import {
  LEAKY_RELU_ALPHA,
  Matrix,
  RandomState,
  leakyRelu,
  leakyReluBackward,
  randomMiniBatches,
  softmax,
  tanh,
  tanhBackward,
  initializeAdam,
  initializeVelocity,
  updateParametersWithAdam,
  updateParametersWithMomentum,
  computeCost,
  lModelBackward,
  lModelForward,
  gradientCheck,
  oneHot,
  accuracy,
} from "../lib/index.js";
import { assertClose } from "./helpers/fixtures.js";
import { hiddenName, trainerCase } from "./helpers/trainer-fixtures.js";

test("permutation matches numpy's legacy RandomState.permutation exactly", (t) => {
  for (const { seed, n, expected } of trainerCase("permutation")) {
    const actual = Array.from(new RandomState(seed).permutation(n));
    t.deepEqual(actual, expected, `seed ${seed}, n ${n}`);
  }
});

test("random_mini_batches: randomMiniBatches matches the notebook exactly", (t) => {
  for (const [k, { inputs, expected }] of trainerCase("random_mini_batches").entries()) {
    const batches = randomMiniBatches(inputs.X, inputs.Y, inputs.miniBatchSize, inputs.seed);
    t.is(batches.length, expected.length, `case ${k}: batch count`);
    batches.forEach((batch, i) => {
      assertClose(t, batch, expected[i]!, { tolerance: 0, label: `case ${k} batch ${i}` });
    });
  }
});

test("activations: tanh, leakyRelu, softmax and their backward match numpy to 1e-12", (t) => {
  const { inputs, expected } = trainerCase("activations");
  const { Z, dA } = inputs;
  t.is(trainerCase("leaky_relu_alpha"), LEAKY_RELU_ALPHA);
  const large = new Matrix(
    Z.rows,
    Z.cols,
    Z.data.map((z) => z * 300),
  );
  assertClose(
    t,
    {
      tanh: tanh(Z).A,
      tanh_backward: tanhBackward(dA, Z),
      leaky_relu: leakyRelu(Z).A,
      leaky_relu_backward: leakyReluBackward(dA, Z),
      softmax: softmax(Z).A,
      softmax_large: softmax(large).A,
    },
    expected,
  );
  t.true(softmax(large).A.data.every(Number.isFinite), "softmax of Z * 300 stays finite");
  t.is(softmax(Z).cache, Z);
});

test("update_parameters_with_momentum: three steps from zero velocity match numpy to 1e-12", (t) => {
  const { inputs, expected } = trainerCase("update_parameters_with_momentum");
  let parameters = inputs.parameters;
  let v = initializeVelocity(parameters);
  inputs.grads.forEach((grads, i) => {
    ({ parameters, v } = updateParametersWithMomentum(
      parameters,
      grads,
      v,
      inputs.beta,
      inputs.learningRate,
    ));
    assertClose(t, { parameters, v }, expected[i]!, { label: `step ${i + 1}` });
  });
});

test("update_parameters_with_adam: three steps from zero moments match numpy to 1e-12", (t) => {
  const { inputs, expected } = trainerCase("update_parameters_with_adam");
  let parameters = inputs.parameters;
  let { v, s } = initializeAdam(parameters);
  inputs.grads.forEach((grads, i) => {
    const step = expected[i]!;
    ({ parameters, v, s } = updateParametersWithAdam(
      parameters,
      grads,
      v,
      s,
      step.t,
      inputs.learningRate,
      inputs.beta1,
      inputs.beta2,
      inputs.epsilon,
    ));
    assertClose(
      t,
      { parameters, v, s },
      { parameters: step.parameters, v: step.v, s: step.s },
      { label: `t ${step.t}` },
    );
  });
});

for (const [k, { config }] of trainerCase("forward_backward").entries()) {
  test(`forward_backward ${k} (${JSON.stringify(config)}): AL, cost, masks and grads match numpy`, (t) => {
    const { inputs, expected } = trainerCase("forward_backward")[k]!;
    const hidden = hiddenName(config.hidden);
    const output = config.output ?? "sigmoid";
    const keepProb = config.keep_prob ?? 1;
    const l2 = config.l2 ?? 0;
    const rng = new RandomState(config.seed ?? 1);
    const { AL, caches } = lModelForward(inputs.X, inputs.parameters, { hidden, output, keepProb, rng });
    const masks = caches.flatMap((c) => (c.D === undefined ? [] : [c.D]));
    t.is(masks.length, expected.masks.length, "mask count");
    masks.forEach((D, i) => assertClose(t, D, expected.masks[i]!, { tolerance: 0, label: `D${i + 1}` }));
    assertClose(t, AL, expected.AL, { label: "AL" });
    const cost = computeCost(AL, inputs.Y, { output, parameters: inputs.parameters, l2 });
    assertClose(t, cost, expected.cost, { label: "cost" });
    const grads = lModelBackward(AL, inputs.Y, caches, { hidden, output, l2, keepProb });
    delete grads.dA0;
    assertClose(t, grads, expected.grads, { label: "grads" });
  });
}

test("gradient_check: the backward pass's grads pass, the fixture's wrong grads fail", (t) => {
  const { inputs, expected } = trainerCase("gradient_check");
  const { X, Y, parameters, epsilon, wrong_grads } = inputs;
  const correct = gradientCheck(parameters, X, Y, { epsilon });
  const wrong = gradientCheck(parameters, X, Y, { epsilon, grads: wrong_grads });
  t.log(
    `difference: correct ${correct.difference} (numpy ${expected.difference_correct}), wrong ${wrong.difference} (numpy ${expected.difference_wrong})`,
  );
  t.true(correct.difference < 2e-7, `correct difference ${correct.difference}`);
  t.true(wrong.difference > 1e-2, `wrong difference ${wrong.difference}`);
  // Rounding-level for the correct one (the fixture's note); the wrong one is dominated by the error.
  t.true(Math.abs(wrong.difference - expected.difference_wrong) <= 1e-6 * expected.difference_wrong);
  t.is(correct.grad.rows, correct.gradApprox.rows);
});

test("oneHot puts a 1 in each label's row, and accuracy compares class indices with one-hot labels", (t) => {
  const Y = oneHot(Matrix.from([[2, 0, 1, 2]]), 3);
  t.deepEqual(Y.toArray(), [
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [1, 0, 0, 1],
  ]);
  t.deepEqual(oneHot([1, 0], 2).toArray(), [
    [0, 1],
    [1, 0],
  ]);
  t.is(accuracy(Matrix.from([[2, 0, 0, 2]]), Y), 0.75);
  t.is(accuracy(Matrix.from([[1, 0, 1]]), Matrix.from([[1, 1, 1]])), 2 / 3);
});
