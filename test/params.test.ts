// Parameter initialisation: parity with the seed's numpy values, the three scaling schemes, and bad dims.

import test from "ava";
import { Matrix, RandomState, initializeParameters, initializeParametersDeep } from "../lib/index.js";
import { assertClose, closeTo, seedCase } from "./helpers/fixtures.js";

test(
  "initializeParameters matches seed case 2_2_1",
  closeTo,
  () => {
    const { seed, args } = seedCase("initialize_parameters_2_2_1");
    return initializeParameters(args[0], args[1], args[2], { seed });
  },
  seedCase("initialize_parameters_2_2_1").expected,
);

test(
  "initializeParameters matches seed case 3_2_1",
  closeTo,
  () => {
    const { seed, args } = seedCase("initialize_parameters_3_2_1");
    return initializeParameters(args[0], args[1], args[2], { seed });
  },
  seedCase("initialize_parameters_3_2_1").expected,
);

test("initializeParameters defaults to seed 1, as the seed's np.random.seed(1)", (t) => {
  const { args, expected } = seedCase("initialize_parameters_3_2_1");
  assertClose(t, initializeParameters(args[0], args[1], args[2]), expected);
});

test(
  "initializeParametersDeep matches seed case deep_5_4_3 with small init",
  closeTo,
  () => {
    const { seed, args } = seedCase("initialize_parameters_deep_5_4_3");
    return initializeParametersDeep(args, { seed, init: "small" });
  },
  seedCase("initialize_parameters_deep_5_4_3").expected,
);

test("initializeParametersDeep defaults to seed 3 and small init", (t) => {
  const { args, expected } = seedCase("initialize_parameters_deep_5_4_3");
  assertClose(t, initializeParametersDeep(args), expected);
});

test("initializeParametersDeep matches seed cat_app checksums with fan-in init", (t) => {
  const { seed, args, expected_checksums: checksums } = seedCase("initialize_parameters_deep_cat_app");
  t.is(seed, 1);
  const parameters = initializeParametersDeep(args, { seed, init: "fan-in" });
  t.deepEqual(Object.keys(parameters).sort(), ["W1", "W2", "W3", "W4", "b1", "b2", "b3", "b4"]);
  for (const [key, expected] of Object.entries(checksums)) {
    const W = parameters[key]!;
    const l = Number(key.slice(1));
    t.deepEqual(W.shape, [args[l], args[l - 1]], `${key} shape`);
    const values = Array.from(W.data);
    const sum = values.reduce((s, v) => s + v, 0);
    const sumAbs = values.reduce((s, v) => s + Math.abs(v), 0);
    // Summation order differs from numpy's pairwise sum, hence 1e-9 on the sums only.
    assertClose(t, sum, expected.sum, { tolerance: 1e-9, label: `${key} sum` });
    assertClose(t, sumAbs, expected.sum_abs, { tolerance: 1e-9, label: `${key} sum_abs` });
    assertClose(t, values.slice(0, 5), expected.first5, { label: `${key} first5` });
    assertClose(t, values.slice(-5), expected.last5, { label: `${key} last5` });
  }
});

test("initializeParametersDeep he init is randn * sqrt(2 / fan_in), drawn layer by layer", (t) => {
  const dims = [6, 4, 3, 1];
  const parameters = initializeParametersDeep(dims, { seed: 7, init: "he" });
  const rng = new RandomState(7);
  const expected: Record<string, Matrix> = {};
  for (let l = 1; l < dims.length; l++) {
    const W = rng.randn(dims[l]!, dims[l - 1]!);
    const gain = Math.sqrt(2 / dims[l - 1]!);
    expected[`W${l}`] = new Matrix(
      W.rows,
      W.cols,
      W.data.map((v) => v * gain),
    );
    expected[`b${l}`] = Matrix.zeros(dims[l]!, 1);
  }
  assertClose(t, parameters, expected);
});

test("initializeParametersDeep fan-in init is randn / sqrt(fan_in), drawn layer by layer", (t) => {
  const dims = [5, 3, 1];
  const parameters = initializeParametersDeep(dims, { seed: 11, init: "fan-in" });
  const rng = new RandomState(11);
  const W1 = rng.randn(3, 5);
  const W2 = rng.randn(1, 3);
  assertClose(t, parameters, {
    W1: new Matrix(
      3,
      5,
      W1.data.map((v) => v / Math.sqrt(5)),
    ),
    b1: Matrix.zeros(3, 1),
    W2: new Matrix(
      1,
      3,
      W2.data.map((v) => v / Math.sqrt(3)),
    ),
    b2: Matrix.zeros(1, 1),
  });
});

test("initializeParametersDeep gives W_l [n_l, n_(l-1)] and zero b_l [n_l, 1] for every scheme", (t) => {
  const dims = [7, 5, 4, 2, 1];
  for (const init of ["small", "fan-in", "he"] as const) {
    const parameters = initializeParametersDeep(dims, { seed: 2, init });
    t.is(Object.keys(parameters).length, 2 * (dims.length - 1), init);
    for (let l = 1; l < dims.length; l++) {
      const W = parameters[`W${l}`]!;
      const b = parameters[`b${l}`]!;
      t.true(W instanceof Matrix && b instanceof Matrix);
      t.deepEqual(W.shape, [dims[l], dims[l - 1]], `${init} W${l}`);
      t.deepEqual(b.shape, [dims[l], 1], `${init} b${l}`);
      t.true(
        b.data.every((v) => v === 0),
        `${init} b${l} is zero`,
      );
      t.true(
        W.data.some((v) => v !== 0),
        `${init} W${l} is drawn`,
      );
    }
  }
});

test("initializeParameters gives the two-layer shapes and zero biases", (t) => {
  const parameters = initializeParameters(4, 3, 2, { seed: 5 });
  t.deepEqual(Object.keys(parameters).sort(), ["W1", "W2", "b1", "b2"]);
  t.deepEqual(parameters.W1!.shape, [3, 4]);
  t.deepEqual(parameters.b1!.shape, [3, 1]);
  t.deepEqual(parameters.W2!.shape, [2, 3]);
  t.deepEqual(parameters.b2!.shape, [2, 1]);
  t.true(parameters.b1!.data.every((v) => v === 0) && parameters.b2!.data.every((v) => v === 0));
});

test("initializeParametersDeep is deterministic for a seed and differs across seeds", (t) => {
  const a = initializeParametersDeep([4, 3, 1], { seed: 9 });
  const b = initializeParametersDeep([4, 3, 1], { seed: 9 });
  const c = initializeParametersDeep([4, 3, 1], { seed: 10 });
  t.deepEqual(a.W1!.data, b.W1!.data);
  t.notDeepEqual(a.W1!.data, c.W1!.data);
});

test("initializeParametersDeep rejects empty layer dims", (t) => {
  t.throws(() => initializeParametersDeep([]), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: .*at least an input and an output size, received \[\]/,
  });
});

test("initializeParametersDeep rejects a single layer size", (t) => {
  t.throws(() => initializeParametersDeep([5]), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: .*at least an input and an output size, received \[5\]/,
  });
});

test("initializeParametersDeep rejects a non-integer layer size", (t) => {
  t.throws(() => initializeParametersDeep([5, 2.5, 1]), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: expected layerDims\[1\] to be a positive integer, received 2\.5/,
  });
});

test("initializeParametersDeep rejects a zero layer size", (t) => {
  t.throws(() => initializeParametersDeep([5, 0, 1]), {
    instanceOf: RangeError,
    message: /layerDims\[1\] to be a positive integer, received 0/,
  });
});

test("initializeParametersDeep rejects a negative layer size", (t) => {
  t.throws(() => initializeParametersDeep([-3, 2]), {
    instanceOf: RangeError,
    message: /layerDims\[0\] to be a positive integer, received -3/,
  });
});

test("initializeParametersDeep rejects NaN and Infinity layer sizes", (t) => {
  t.throws(() => initializeParametersDeep([3, NaN]), {
    instanceOf: RangeError,
    message: /layerDims\[1\].*NaN/,
  });
  t.throws(() => initializeParametersDeep([Infinity, 2]), {
    instanceOf: RangeError,
    message: /layerDims\[0\].*Infinity/,
  });
});

test("initializeParametersDeep rejects a string layer size with a TypeError", (t) => {
  t.throws(() => initializeParametersDeep([3, "2" as unknown as number]), {
    instanceOf: TypeError,
    message: /layerDims\[1\] to be a positive integer, received string "2"/,
  });
});

test("initializeParametersDeep rejects non-array layer dims with a TypeError", (t) => {
  for (const bad of [5, "5,4", null, undefined, { 0: 5, 1: 4, length: 2 }, new Float64Array([5, 4])]) {
    t.throws(() => initializeParametersDeep(bad as unknown as number[]), {
      instanceOf: TypeError,
      message: /^initializeParametersDeep: expected layerDims to be an array of integers, received/,
    });
  }
});

test("initializeParametersDeep rejects an unknown init name with a RangeError", (t) => {
  t.throws(() => initializeParametersDeep([3, 2], { init: "xavier" as "he" }), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: expected init to be "small", "fan-in" or "he", received "xavier"/,
  });
});

test("initializeParametersDeep rejects a non-string init with a TypeError", (t) => {
  t.throws(() => initializeParametersDeep([3, 2], { init: 5 as unknown as "he" }), {
    instanceOf: TypeError,
    message: /expected init to be "small", "fan-in" or "he", received 5/,
  });
});

test("initializeParametersDeep rejects a non-object options argument", (t) => {
  t.throws(() => initializeParametersDeep([3, 2], 3 as unknown as object), {
    instanceOf: TypeError,
    message: /^initializeParametersDeep: expected options to be an object, received number 3/,
  });
});

test("initializeParameters rejects non-integer, zero and negative sizes with a RangeError", (t) => {
  t.throws(() => initializeParameters(2.5, 2, 1), {
    instanceOf: RangeError,
    message: /^initializeParameters: expected nx to be an integer >= 1, received 2\.5/,
  });
  t.throws(() => initializeParameters(3, 0, 1), {
    instanceOf: RangeError,
    message: /^initializeParameters: expected nh to be an integer >= 1, received 0/,
  });
  t.throws(() => initializeParameters(3, 2, -1), {
    instanceOf: RangeError,
    message: /^initializeParameters: expected ny to be an integer >= 1, received -1/,
  });
});

test("initializeParameters rejects non-number sizes with a TypeError", (t) => {
  t.throws(() => initializeParameters("3" as unknown as number, 2, 1), {
    instanceOf: TypeError,
    message: /^initializeParameters: expected nx to be an integer >= 1, received string "3"/,
  });
  t.throws(() => initializeParameters(3, undefined as unknown as number, 1), {
    instanceOf: TypeError,
    message: /^initializeParameters: expected nh to be an integer >= 1, received undefined/,
  });
});
