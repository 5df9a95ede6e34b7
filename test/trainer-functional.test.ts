// The trainer's functional API against the numpy reference (test/fixtures/trainer-cases.json):
// one test per fixture key, exact where the spec says so, 1e-12 elsewhere.

import test from "ava";
import { RandomState, randomMiniBatches } from "../lib/index.js";
import { assertClose } from "./helpers/fixtures.js";
import { trainerCase } from "./helpers/trainer-fixtures.js";

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
