// relu and sigmoid, forward and backward, on small hand-computed cases.

import test from "ava";
import { Matrix, relu, reluBackward, sigmoid, sigmoidBackward } from "../lib/index.js";
import { assertClose, closeTo } from "./helpers/fixtures.js";
import { sigmoidOf as s } from "./helpers/reference.js";

test("sigmoid of 0 is 0.5", closeTo, () => sigmoid(Matrix.from([[0]])).A, Matrix.from([[0.5]]));

test("sigmoid matches 1 / (1 + exp(-z)) elementwise and preserves the shape", (t) => {
  const Z = Matrix.from([
    [-2, -0.5, 0],
    [0.25, 1, 3],
  ]);
  const { A } = sigmoid(Z);
  t.deepEqual(A.shape, [2, 3]);
  assertClose(t, A, new Matrix(2, 3, Z.data.map(s)));
  // sigmoid(-z) = 1 - sigmoid(z)
  assertClose(t, A.get(0, 0), 1 - s(2));
});

test("sigmoid saturates to 0 and 1 without NaN for large |z|", (t) => {
  const { A } = sigmoid(Matrix.from([[-1000, -40, 40, 1000]]));
  t.true(
    A.data.every((v) => Number.isFinite(v) && v >= 0 && v <= 1),
    A.toString(),
  );
  assertClose(t, A, Matrix.from([[0, s(-40), s(40), 1]]));
});

test("sigmoid returns Z itself as the cache and does not mutate it", (t) => {
  const Z = Matrix.from([[1, -1]]);
  const { A, cache } = sigmoid(Z);
  t.is(cache, Z);
  t.not(A, Z);
  t.deepEqual(Array.from(Z.data), [1, -1]);
});

test(
  "relu zeroes negative values and keeps positive ones",
  closeTo,
  () =>
    relu(
      Matrix.from([
        [-3, -0.0001, 0],
        [0.0001, 2, 7.5],
      ]),
    ).A,
  Matrix.from([
    [0, 0, 0],
    [0.0001, 2, 7.5],
  ]),
);

test("relu preserves the shape and returns Z itself as the cache", (t) => {
  const Z = Matrix.from([[-1], [2], [-3], [4]]);
  const { A, cache } = relu(Z);
  t.deepEqual(A.shape, [4, 1]);
  t.is(cache, Z);
  t.deepEqual(Array.from(Z.data), [-1, 2, -3, 4]);
});

test(
  "reluBackward passes dA where Z > 0 and zeroes it where Z <= 0",
  closeTo,
  () =>
    reluBackward(
      Matrix.from([
        [1.5, -2, 3],
        [4, 5, -6],
      ]),
      Matrix.from([
        [0.1, -0.1, 0],
        [-5, 2, 7],
      ]),
    ),
  Matrix.from([
    [1.5, 0, 0],
    [0, 5, -6],
  ]),
);

test("sigmoidBackward is dA * s * (1 - s) with s = sigmoid(Z)", (t) => {
  const dA = Matrix.from([
    [1, -2, 0.5],
    [3, 0, -1],
  ]);
  const Z = Matrix.from([
    [0, 1, -1],
    [2.5, 4, -0.3],
  ]);
  const dZ = sigmoidBackward(dA, Z);
  t.deepEqual(dZ.shape, [2, 3]);
  const expected = new Matrix(
    2,
    3,
    dA.data.map((d, i) => {
      const v = s(Z.data[i]!);
      return d * v * (1 - v);
    }),
  );
  assertClose(t, dZ, expected);
  // At Z = 0 the slope is 1/4.
  assertClose(t, dZ.get(0, 0), 0.25);
});

test("reluBackward and sigmoidBackward return new matrices and leave dA and Z untouched", (t) => {
  const dA = Matrix.from([[1, 2]]);
  const Z = Matrix.from([[-1, 1]]);
  for (const backward of [reluBackward, sigmoidBackward]) {
    const dZ = backward(dA, Z);
    t.not(dZ, dA);
    t.not(dZ.data, dA.data);
    t.deepEqual(Array.from(dA.data), [1, 2]);
    t.deepEqual(Array.from(Z.data), [-1, 1]);
  }
});
