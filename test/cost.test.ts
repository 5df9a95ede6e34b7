// The cross-entropy cost: parity with the seed's numpy values, and what it refuses.

import test from "ava";
import { Matrix, computeCost } from "../lib/index.js";
import { assertClose, closeTo, seedCase } from "./helpers/fixtures.js";

test(
  "computeCost matches seed case",
  closeTo,
  () => {
    const { AL, Y } = seedCase("compute_cost").inputs;
    return computeCost(AL, Y);
  },
  seedCase("compute_cost").expected.cost,
);

test(
  "computeCost matches seed mixed-label case",
  closeTo,
  () => {
    const { AL, Y } = seedCase("compute_cost_mixed").inputs;
    return computeCost(AL, Y);
  },
  seedCase("compute_cost_mixed").expected.cost,
);

test("computeCost is -(1/m) Σ (y log a + (1 - y) log(1 - a)), soft labels included", (t) => {
  const AL = Matrix.from([[0.1, 0.5, 0.99, 0.3]]);
  const Y = Matrix.from([[0, 1, 1, 0.25]]);
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    const a = AL.data[i]!;
    const y = Y.data[i]!;
    sum += y * Math.log(a) + (1 - y) * Math.log(1 - a);
  }
  assertClose(t, computeCost(AL, Y), -sum / 4);
});

test("computeCost returns a plain number and leaves AL and Y untouched", (t) => {
  const { AL, Y } = seedCase("compute_cost_mixed").inputs;
  const cost = computeCost(AL, Y);
  t.is(typeof cost, "number");
  t.deepEqual(Array.from(AL.data), [0.8, 0.9, 0.4]);
  t.deepEqual(Array.from(Y.data), [1, 1, 0]);
});

for (const [bad, shown] of [
  [0, "0"],
  [1, "1"],
  [1.5, "1\\.5"],
  [-0.2, "-0\\.2"],
  [NaN, "NaN"],
] as const) {
  test(`computeCost rejects AL = ${bad}, outside (0, 1)`, (t) => {
    const AL = Matrix.from([[0.5, bad, 0.5]]);
    const Y = Matrix.from([[1, 0, 1]]);
    t.throws(() => computeCost(AL, Y), {
      instanceOf: RangeError,
      message: new RegExp(`^computeCost: expected AL values in \\(0, 1\\), received ${shown} at \\[0, 1\\]`),
    });
  });
}

test("computeCost rejects labels outside [0, 1]", (t) => {
  t.throws(() => computeCost(Matrix.from([[0.5, 0.5]]), Matrix.from([[1, 2]])), {
    instanceOf: RangeError,
    message: /^computeCost: expected Y values in \[0, 1\], received 2 at \[0, 1\]/,
  });
});

test("computeCost rejects Y whose shape differs from AL", (t) => {
  t.throws(() => computeCost(Matrix.from([[0.5, 0.5, 0.5]]), Matrix.from([[1, 0]])), {
    instanceOf: RangeError,
    message: /^computeCost: AL is \[1, 3\] but Y is \[1, 2\]; they must match/,
  });
  t.throws(() => computeCost(Matrix.from([[0.5, 0.5]]), Matrix.from([[1], [0]])), {
    instanceOf: RangeError,
    message: /AL is \[1, 2\] but Y is \[2, 1\]/,
  });
});

test("computeCost rejects AL with more than one row", (t) => {
  const AL = new Matrix(2, 2, Float64Array.of(0.5, 0.5, 0.5, 0.5));
  t.throws(() => computeCost(AL, Matrix.zeros(2, 2)), {
    instanceOf: RangeError,
    message: /^computeCost: expected AL to be \[1, m\], received \[2, 2\]/,
  });
});

test("computeCost rejects a non-Matrix AL or Y with a TypeError", (t) => {
  const good = Matrix.from([[0.5]]);
  for (const bad of [[[0.5]], 0.5, null, undefined, { rows: 1, cols: 1, data: new Float32Array([0.5]) }]) {
    t.throws(() => computeCost(bad as unknown as Matrix, good), {
      instanceOf: TypeError,
      message: /^computeCost: expected AL to be a Matrix, received/,
    });
    t.throws(() => computeCost(good, bad as unknown as Matrix), {
      instanceOf: TypeError,
      message: /^computeCost: expected Y to be a Matrix, received/,
    });
  }
});
