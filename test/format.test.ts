// Matrix printing: what numpy's str() prints for the same 2-D float64 array (default print options).
// The expected strings were printed by numpy 1.x/2.x `str(np.array(...))`.
import test from "ava";
import { Matrix } from "../lib/index.js";

const cases: [string, number[][], string][] = [
  [
    "positional, aligned on the point",
    [
      [1.5, -2.25, 3.0],
      [0.1, 100.0, -0.0],
    ],
    "[[  1.5   -2.25   3.  ]\n [  0.1  100.    -0.  ]]",
  ],
  [
    "scientific for a small value, nan",
    [
      [1e-5, 2.0],
      [3.0, NaN],
    ],
    "[[1.e-05 2.e+00]\n [3.e+00    nan]]",
  ],
  ["inf", [[Infinity, -1.0, 0.5]], "[[ inf -1.   0.5]]"],
  ["all zeros", [[0.0, 0.0]], "[[0. 0.]]"],
  ["scientific fractions padded with zeros", [[123456789.0, 1.0]], "[[1.23456789e+08 1.00000000e+00]]"],
  ["scientific with nan and a sign", [[1.5e-5, NaN, -2.0]], "[[ 1.5e-05      nan -2.0e+00]]"],
];

for (const [what, rows, expected] of cases) {
  test(`a Matrix prints as numpy prints it: ${what}`, (t) => {
    t.is(String(Matrix.from(rows)), expected);
  });
}

test("a Matrix as large as the cat model's W1 prints without overflowing the stack", (t) => {
  const W1 = new Matrix(20, 12288);
  W1.data[5] = 0.25;
  const text = String(W1);
  t.is(text.split("\n").length, 20);
  t.true(text.startsWith("[[0.   0.   0.   0.   0.   0.25"));
});
