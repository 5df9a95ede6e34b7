// What every public function refuses: wrong shapes, wrong kinds of value, bad names, keys and rates.
// Each case asserts the error class and a message that names the function and the shapes involved.

import test from "ava";
import {
  type LinearActivationCache,
  type MatrixDict,
  Matrix,
  Model,
  accuracy,
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  lModelBackward,
  lModelForward,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  predict,
  reluBackward,
  sigmoidBackward,
  updateParameters,
} from "../lib/index.js";

const zeros = (rows: number, cols: number): Matrix => Matrix.zeros(rows, cols);

/** Values that are not a Matrix, each with how error messages describe it. */
const notMatrices: ReadonlyArray<[unknown, RegExp]> = [
  [[[1, 2]], /received Array\(1\)/],
  [3, /received number 3/],
  [null, /received null/],
  [undefined, /received undefined/],
  // A structural look-alike whose data is not float64: native code would read past its end.
  [{ rows: 1, cols: 2, data: new Float32Array(2) }, /received Object/],
];

/** Runs `call(bad)` for every non-Matrix value and expects a TypeError naming `fn` and `name`. */
function rejectsNonMatrices(
  t: import("ava").ExecutionContext,
  fn: string,
  name: string,
  call: (bad: Matrix) => unknown,
  skip: (bad: unknown) => boolean = () => false,
): void {
  for (const [bad, described] of notMatrices) {
    if (skip(bad)) continue;
    const error = t.throws(() => call(bad as Matrix), {
      instanceOf: TypeError,
      message: new RegExp(`^${fn}: expected ${name.replace(".", "\\.")} to be a Matrix, received`),
    });
    t.regex(error?.message ?? "", described);
  }
}

/** A shallow copy of `dict` without `key`. */
function without<T extends object>(dict: T, key: keyof T): T {
  const copy = { ...dict };
  delete copy[key];
  return copy;
}

/** A 2-layer network [4, 3, 1] with m = 2, its caches and gradients, all zeros except AL = 0.5. */
function smallNetwork() {
  const parameters: MatrixDict = { W1: zeros(3, 4), b1: zeros(3, 1), W2: zeros(1, 3), b2: zeros(1, 1) };
  const X = zeros(4, 2);
  const { AL, caches } = lModelForward(X, parameters);
  const grads: MatrixDict = { dW1: zeros(3, 4), db1: zeros(3, 1), dW2: zeros(1, 3), db2: zeros(1, 1) };
  return { parameters, X, AL, Y: Matrix.from([[1, 0]]), caches, grads };
}

// ---------------------------------------------------------------- linearForward

test("linearForward rejects W whose cols differ from A rows, naming both shapes", (t) => {
  const W = zeros(20, 12288);
  const A = zeros(12287, 209);
  t.throws(() => linearForward(A, W, zeros(20, 1)), {
    instanceOf: RangeError,
    message: /^linearForward: W is \[20, 12288\] but A is \[12287, 209\]; W\.cols must equal A\.rows$/,
  });
});

test("linearForward rejects b that is not [W.rows, 1]", (t) => {
  t.throws(() => linearForward(zeros(4, 2), zeros(3, 4), zeros(4, 1)), {
    instanceOf: RangeError,
    message: /^linearForward: W is \[3, 4\] so b must be \[3, 1\], received \[4, 1\]$/,
  });
  t.throws(() => linearForward(zeros(4, 2), zeros(3, 4), zeros(3, 2)), {
    instanceOf: RangeError,
    message: /W is \[3, 4\] so b must be \[3, 1\], received \[3, 2\]/,
  });
});

test("linearForward rejects non-Matrix A, W and b with a TypeError", (t) => {
  rejectsNonMatrices(t, "linearForward", "A", (bad) => linearForward(bad, zeros(3, 4), zeros(3, 1)));
  rejectsNonMatrices(t, "linearForward", "W", (bad) => linearForward(zeros(4, 2), bad, zeros(3, 1)));
  rejectsNonMatrices(t, "linearForward", "b", (bad) => linearForward(zeros(4, 2), zeros(3, 4), bad));
});

test("linearForward rejects a look-alike whose data length is not rows * cols", (t) => {
  const fake = { rows: 2, cols: 2, data: new Float64Array(3) } as unknown as Matrix;
  t.throws(() => linearForward(fake, zeros(3, 2), zeros(3, 1)), {
    instanceOf: RangeError,
    message: /^linearForward: A is \[2, 2\] but its data holds 3 values/,
  });
});

// ---------------------------------------------------------------- linearActivationForward

test("linearActivationForward rejects W whose cols differ from APrev rows, naming both shapes", (t) => {
  t.throws(() => linearActivationForward(zeros(5, 2), zeros(3, 4), zeros(3, 1), "relu"), {
    instanceOf: RangeError,
    message: /^linearActivationForward: W is \[3, 4\] but APrev is \[5, 2\]; W\.cols must equal APrev\.rows$/,
  });
});

test("linearActivationForward rejects b that is not [W.rows, 1]", (t) => {
  t.throws(() => linearActivationForward(zeros(4, 2), zeros(3, 4), zeros(1, 1), "sigmoid"), {
    instanceOf: RangeError,
    message: /^linearActivationForward: W is \[3, 4\] so b must be \[3, 1\], received \[1, 1\]$/,
  });
});

test("linearActivationForward rejects non-Matrix arguments with a TypeError", (t) => {
  const fn = "linearActivationForward";
  rejectsNonMatrices(t, fn, "APrev", (bad) => linearActivationForward(bad, zeros(3, 4), zeros(3, 1), "relu"));
  rejectsNonMatrices(t, fn, "W", (bad) => linearActivationForward(zeros(4, 2), bad, zeros(3, 1), "relu"));
  rejectsNonMatrices(t, fn, "b", (bad) => linearActivationForward(zeros(4, 2), zeros(3, 4), bad, "relu"));
});

test("linearActivationForward rejects an unknown activation name with a RangeError", (t) => {
  t.throws(() => linearActivationForward(zeros(4, 2), zeros(3, 4), zeros(3, 1), "tanh" as "relu"), {
    instanceOf: RangeError,
    message: /^linearActivationForward: expected activation "relu" or "sigmoid", received string "tanh"$/,
  });
  t.throws(() => linearActivationForward(zeros(4, 2), zeros(3, 4), zeros(3, 1), "RELU" as "relu"), {
    instanceOf: RangeError,
    message: /received string "RELU"/,
  });
});

test("linearActivationForward rejects a non-string activation with a TypeError", (t) => {
  for (const [bad, shown] of [
    [5, /number 5/],
    [undefined, /undefined/],
    [null, /null/],
  ] as const) {
    t.throws(() => linearActivationForward(zeros(4, 2), zeros(3, 4), zeros(3, 1), bad as unknown as "relu"), {
      instanceOf: TypeError,
      message: new RegExp(
        `^linearActivationForward: expected activation "relu" or "sigmoid", received ${shown.source}`,
      ),
    });
  }
});

// ---------------------------------------------------------------- lModelForward

test("lModelForward rejects X whose rows differ from W1 cols", (t) => {
  const { parameters } = smallNetwork();
  t.throws(() => lModelForward(zeros(5, 2), parameters), {
    instanceOf: RangeError,
    message: /^lModelForward: W1 is \[3, 4\] but X is \[5, 2\]; W1\.cols must equal X\.rows$/,
  });
});

test("lModelForward rejects W2 whose cols differ from W1 rows", (t) => {
  const { X, parameters } = smallNetwork();
  t.throws(() => lModelForward(X, { ...parameters, W2: zeros(1, 2) }), {
    instanceOf: RangeError,
    message: /^lModelForward: W2 is \[1, 2\] but W1 is \[3, 4\]; W2\.cols must equal W1\.rows$/,
  });
});

test("lModelForward rejects b2 that is not [W2.rows, 1]", (t) => {
  const { X, parameters } = smallNetwork();
  t.throws(() => lModelForward(X, { ...parameters, b2: zeros(3, 1) }), {
    instanceOf: RangeError,
    message: /^lModelForward: W2 is \[1, 3\] so b2 must be \[1, 1\], received \[3, 1\]$/,
  });
});

test("lModelForward rejects W3 without b3, naming b3", (t) => {
  const { X, parameters } = smallNetwork();
  t.throws(() => lModelForward(X, { ...parameters, W3: zeros(1, 1) }), {
    instanceOf: TypeError,
    message: /^lModelForward: parameters is missing "b3" \(expected W1\.\.W3 and b1\.\.b3\)$/,
  });
});

test("lModelForward rejects a missing W2 or b1, naming it", (t) => {
  const { X, parameters } = smallNetwork();
  const noW2 = without(parameters, "W2");
  // Without W2, only one layer is counted, so b2 is the stray key.
  t.throws(() => lModelForward(X, noW2), {
    instanceOf: RangeError,
    message: /^lModelForward: parameters has an unexpected key "b2" \(expected W1\.\.W1 and b1\.\.b1\)$/,
  });
  const noB1 = without(parameters, "b1");
  t.throws(() => lModelForward(X, noB1), { instanceOf: TypeError, message: /parameters is missing "b1"/ });
  t.throws(() => lModelForward(X, {}), {
    instanceOf: TypeError,
    message: /^lModelForward: parameters has no "W1"/,
  });
});

test("lModelForward rejects extra keys in parameters", (t) => {
  const { X, parameters } = smallNetwork();
  for (const key of ["b3", "W0", "learningRate", "w1"]) {
    t.throws(() => lModelForward(X, { ...parameters, [key]: zeros(1, 1) }), {
      instanceOf: RangeError,
      message: new RegExp(
        `^lModelForward: parameters has an unexpected key "${key}" \\(expected W1\\.\\.W2 and b1\\.\\.b2\\)$`,
      ),
    });
  }
});

test("lModelForward rejects non-Matrix X and parameter values with a TypeError", (t) => {
  const { X, parameters } = smallNetwork();
  rejectsNonMatrices(t, "lModelForward", "X", (bad) => lModelForward(bad, parameters));
  rejectsNonMatrices(t, "lModelForward", "W2", (bad) => lModelForward(X, { ...parameters, W2: bad }));
  rejectsNonMatrices(t, "lModelForward", "b1", (bad) => lModelForward(X, { ...parameters, b1: bad }));
});

test("lModelForward rejects parameters that are not an object with a TypeError", (t) => {
  for (const bad of [null, undefined, 3, "W1", [zeros(3, 4)]]) {
    t.throws(() => lModelForward(zeros(4, 2), bad as unknown as MatrixDict), {
      instanceOf: TypeError,
      message: /^lModelForward: expected parameters to be an object \{W1, b1, \.\.\.\}, received/,
    });
  }
});

// ---------------------------------------------------------------- computeCost

test("computeCost rejects AL and Y of different shapes, naming both", (t) => {
  t.throws(() => computeCost(Matrix.from([[0.5, 0.5]]), Matrix.from([[1, 0, 1]])), {
    instanceOf: RangeError,
    message: /^computeCost: AL is \[1, 2\] but Y is \[1, 3\]; they must match$/,
  });
  t.throws(() => computeCost(new Matrix(3, 1, Float64Array.of(0.5, 0.5, 0.5)), zeros(3, 1)), {
    instanceOf: RangeError,
    message: /^computeCost: expected AL to be \[1, m\], received \[3, 1\]$/,
  });
});

test("computeCost rejects non-Matrix AL and Y with a TypeError", (t) => {
  rejectsNonMatrices(t, "computeCost", "AL", (bad) => computeCost(bad, Matrix.from([[1]])));
  rejectsNonMatrices(t, "computeCost", "Y", (bad) => computeCost(Matrix.from([[0.5]]), bad));
});

// ---------------------------------------------------------------- linearBackward

test("linearBackward rejects dZ that is not [W.rows, A.cols], naming both shapes", (t) => {
  const cache = { A: zeros(3, 2), W: zeros(1, 3), b: zeros(1, 1) };
  t.throws(() => linearBackward(zeros(2, 3), cache), {
    instanceOf: RangeError,
    message: /^linearBackward: expected dZ to be \[1, 2\], received \[2, 3\]$/,
  });
});

test("linearBackward rejects a cache whose W and A do not align", (t) => {
  t.throws(() => linearBackward(zeros(1, 2), { A: zeros(4, 2), W: zeros(1, 3), b: zeros(1, 1) }), {
    instanceOf: RangeError,
    message:
      /^linearBackward: cache\.W is \[1, 3\] but cache\.A is \[4, 2\]; cache\.W\.cols must equal cache\.A\.rows$/,
  });
  t.throws(() => linearBackward(zeros(1, 2), { A: zeros(3, 2), W: zeros(1, 3), b: zeros(2, 1) }), {
    instanceOf: RangeError,
    message: /^linearBackward: cache\.W is \[1, 3\] so cache\.b must be \[1, 1\], received \[2, 1\]$/,
  });
});

test("linearBackward rejects a non-Matrix dZ or cache entry, and a missing cache key, with a TypeError", (t) => {
  const cache = { A: zeros(3, 2), W: zeros(1, 3), b: zeros(1, 1) };
  rejectsNonMatrices(t, "linearBackward", "dZ", (bad) => linearBackward(bad, cache));
  rejectsNonMatrices(t, "linearBackward", "cache.A", (bad) =>
    linearBackward(zeros(1, 2), { ...cache, A: bad }),
  );
  rejectsNonMatrices(t, "linearBackward", "cache.W", (bad) =>
    linearBackward(zeros(1, 2), { ...cache, W: bad }),
  );
  const noB = without(cache, "b");
  t.throws(() => linearBackward(zeros(1, 2), noB as typeof cache), {
    instanceOf: TypeError,
    message: /^linearBackward: expected cache\.b to be a Matrix, received undefined/,
  });
  for (const bad of [null, undefined, 3]) {
    t.throws(() => linearBackward(zeros(1, 2), bad as unknown as typeof cache), {
      instanceOf: TypeError,
      message: /^linearBackward: expected cache to be \{A, W, b\}, received/,
    });
  }
});

// ---------------------------------------------------------------- linearActivationBackward

function activationCache(): LinearActivationCache {
  return { linear: { A: zeros(3, 2), W: zeros(1, 3), b: zeros(1, 1) }, Z: zeros(1, 2) };
}

test("linearActivationBackward rejects dA whose shape differs from cache.Z, naming both", (t) => {
  t.throws(() => linearActivationBackward(zeros(2, 2), activationCache(), "relu"), {
    instanceOf: RangeError,
    message: /^linearActivationBackward: dA is \[2, 2\] but cache\.Z is \[1, 2\]; they must match$/,
  });
});

test("linearActivationBackward rejects cache.Z that is not [W.rows, A.cols]", (t) => {
  const cache = { ...activationCache(), Z: zeros(1, 3) };
  t.throws(() => linearActivationBackward(zeros(1, 3), cache, "sigmoid"), {
    instanceOf: RangeError,
    message: /^linearActivationBackward: expected cache\.Z to be \[1, 2\], received \[1, 3\]$/,
  });
});

test("linearActivationBackward rejects a misaligned linear cache", (t) => {
  const cache = activationCache();
  cache.linear.A = zeros(2, 2);
  t.throws(() => linearActivationBackward(zeros(1, 2), cache, "relu"), {
    instanceOf: RangeError,
    message: /^linearActivationBackward: cache\.W is \[1, 3\] but cache\.A is \[2, 2\]/,
  });
});

test("linearActivationBackward rejects non-Matrix arguments and malformed caches with a TypeError", (t) => {
  const fn = "linearActivationBackward";
  rejectsNonMatrices(t, fn, "dA", (bad) => linearActivationBackward(bad, activationCache(), "relu"));
  rejectsNonMatrices(t, fn, "cache.Z", (bad) =>
    linearActivationBackward(zeros(1, 2), { ...activationCache(), Z: bad }, "relu"),
  );
  t.throws(() => linearActivationBackward(zeros(1, 2), { Z: zeros(1, 2) } as LinearActivationCache, "relu"), {
    instanceOf: TypeError,
    message: /^linearActivationBackward: expected cache\.linear to be \{A, W, b\}, received undefined$/,
  });
  t.throws(() => linearActivationBackward(zeros(1, 2), null as unknown as LinearActivationCache, "relu"), {
    instanceOf: TypeError,
    message: /^linearActivationBackward: expected cache to be \{linear: \{A, W, b\}, Z\}, received null$/,
  });
});

test("linearActivationBackward rejects an unknown activation: a name with RangeError, a number with TypeError", (t) => {
  t.throws(() => linearActivationBackward(zeros(1, 2), activationCache(), "tanh" as "relu"), {
    instanceOf: RangeError,
    message: /^linearActivationBackward: expected activation "relu" or "sigmoid", received string "tanh"$/,
  });
  t.throws(() => linearActivationBackward(zeros(1, 2), activationCache(), 5 as unknown as "relu"), {
    instanceOf: TypeError,
    message: /^linearActivationBackward: expected activation "relu" or "sigmoid", received number 5$/,
  });
});

// ---------------------------------------------------------------- reluBackward, sigmoidBackward

for (const [name, backward] of [
  ["reluBackward", reluBackward],
  ["sigmoidBackward", sigmoidBackward],
] as const) {
  test(`${name} rejects dA and Z of different shapes, naming both`, (t) => {
    t.throws(() => backward(zeros(2, 3), zeros(3, 2)), {
      instanceOf: RangeError,
      message: new RegExp(`^${name}: dA is \\[2, 3\\] but Z is \\[3, 2\\]; they must match$`),
    });
  });

  test(`${name} rejects non-Matrix dA and Z with a TypeError`, (t) => {
    rejectsNonMatrices(t, name, "dA", (bad) => backward(bad, zeros(1, 2)));
    rejectsNonMatrices(t, name, "Z", (bad) => backward(zeros(1, 2), bad));
  });
}

// ---------------------------------------------------------------- lModelBackward

test("lModelBackward rejects AL and Y of different shapes, naming both", (t) => {
  const { AL, caches } = smallNetwork();
  t.throws(() => lModelBackward(AL, Matrix.from([[1, 0, 1]]), caches), {
    instanceOf: RangeError,
    message: /^lModelBackward: AL is \[1, 2\] but Y is \[1, 3\]; they must match$/,
  });
});

test("lModelBackward rejects AL whose shape differs from the last cache's Z", (t) => {
  const { caches } = smallNetwork();
  const AL = new Matrix(1, 3, Float64Array.of(0.5, 0.5, 0.5));
  t.throws(() => lModelBackward(AL, Matrix.from([[1, 0, 1]]), caches), {
    instanceOf: RangeError,
    message: /^lModelBackward: AL is \[1, 3\] but caches\[1\]\.Z is \[1, 2\]; they must match$/,
  });
});

test("lModelBackward rejects caches that do not chain", (t) => {
  const { AL, Y, caches } = smallNetwork();
  const broken = [caches[0]!, { linear: { A: zeros(2, 2), W: zeros(1, 2), b: zeros(1, 1) }, Z: zeros(1, 2) }];
  t.throws(() => lModelBackward(AL, Y, broken), {
    instanceOf: RangeError,
    message:
      /^lModelBackward: caches\[1\]\.linear\.A is \[2, 2\] but caches\[0\]\.Z is \[3, 2\]; they must match$/,
  });
});

// AL may leave (0, 1) (the seed's own case feeds it standard normals), but at AL = 0 or 1, or NaN,
// dAL = -(Y/AL - (1-Y)/(1-AL)) is not finite and every gradient would silently become NaN.
test("lModelBackward rejects AL of 0, 1, NaN or Infinity, where dAL is not finite", (t) => {
  const { Y, caches } = smallNetwork();
  for (const [bad, shown] of [
    [1, "1"],
    [0, "0"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
  ] as const) {
    t.throws(
      () => lModelBackward(new Matrix(1, 2, Float64Array.of(0.5, bad)), Y, caches),
      {
        instanceOf: RangeError,
        message: new RegExp(`^lModelBackward: .*AL.*received ${shown} at \\[0, 1\\]`),
      },
      `AL = ${shown}`,
    );
  }
});

test("lModelBackward rejects non-Matrix AL and Y, and malformed caches, with a TypeError", (t) => {
  const { AL, Y, caches } = smallNetwork();
  rejectsNonMatrices(t, "lModelBackward", "AL", (bad) => lModelBackward(bad, Y, caches));
  rejectsNonMatrices(t, "lModelBackward", "Y", (bad) => lModelBackward(AL, bad, caches));
  t.throws(() => lModelBackward(AL, Y, []), {
    instanceOf: RangeError,
    message: /^lModelBackward: expected at least one cache, received \[\]$/,
  });
  for (const bad of [undefined, caches[0]]) {
    t.throws(() => lModelBackward(AL, Y, bad as unknown as LinearActivationCache[]), {
      instanceOf: TypeError,
      message: /^lModelBackward: expected caches to be an array, received/,
    });
  }
  t.throws(() => lModelBackward(AL, Y, [caches[0]!, { ...caches[1]!, Z: [[0, 0]] as unknown as Matrix }]), {
    instanceOf: TypeError,
    message: /^lModelBackward: caches\[1\]: expected cache\.Z to be a Matrix, received Array\(1\)$/,
  });
});

// ---------------------------------------------------------------- updateParameters

for (const [rate, shown] of [
  [NaN, "NaN"],
  [0, "0"],
  [-1, "-1"],
  [Infinity, "Infinity"],
  [-Infinity, "-Infinity"],
] as const) {
  test(`updateParameters rejects learningRate ${shown} with a RangeError`, (t) => {
    const { parameters, grads } = smallNetwork();
    t.throws(() => updateParameters(parameters, grads, rate), {
      instanceOf: RangeError,
      message: new RegExp(
        `^updateParameters: expected learningRate to be a finite number > 0, received ${shown}$`,
      ),
    });
  });
}

test("updateParameters rejects a non-number learningRate with a TypeError", (t) => {
  const { parameters, grads } = smallNetwork();
  for (const [bad, shown] of [
    ["0.01", /received string "0\.01"$/],
    [undefined, /received undefined$/],
    [null, /received null$/],
  ] as const) {
    const error = t.throws(() => updateParameters(parameters, grads, bad as unknown as number), {
      instanceOf: TypeError,
      message: /^updateParameters: expected learningRate to be a finite number > 0, received/,
    });
    t.regex(error?.message ?? "", shown);
  }
});

test("updateParameters rejects a gradient whose shape differs from its parameter, naming both", (t) => {
  const { parameters, grads } = smallNetwork();
  t.throws(() => updateParameters(parameters, { ...grads, dW1: zeros(4, 3) }, 0.1), {
    instanceOf: RangeError,
    message: /^updateParameters: W1 is \[3, 4\] but dW1 is \[4, 3\]; they must match$/,
  });
  t.throws(() => updateParameters(parameters, { ...grads, db2: zeros(1, 3) }, 0.1), {
    instanceOf: RangeError,
    message: /^updateParameters: b2 is \[1, 1\] but db2 is \[1, 3\]; they must match$/,
  });
});

test("updateParameters rejects missing gradients, naming the key", (t) => {
  const { parameters, grads } = smallNetwork();
  const noDb2 = without(grads, "db2");
  t.throws(() => updateParameters(parameters, noDb2, 0.1), {
    instanceOf: TypeError,
    message: /^updateParameters: grads is missing "db2" \(expected dW1\.\.dW2 and db1\.\.db2\)$/,
  });
});

test("updateParameters rejects missing and extra parameter keys", (t) => {
  const { parameters, grads } = smallNetwork();
  t.throws(() => updateParameters({ ...parameters, W3: zeros(1, 1) }, grads, 0.1), {
    instanceOf: TypeError,
    message: /^updateParameters: parameters is missing "b3"/,
  });
  t.throws(() => updateParameters({ ...parameters, extra: zeros(1, 1) }, grads, 0.1), {
    instanceOf: RangeError,
    message: /^updateParameters: parameters has an unexpected key "extra"/,
  });
});

test("updateParameters rejects non-Matrix parameters and gradients, and non-object dictionaries, with a TypeError", (t) => {
  const { parameters, grads } = smallNetwork();
  rejectsNonMatrices(t, "updateParameters", "W1", (bad) =>
    updateParameters({ ...parameters, W1: bad }, grads, 0.1),
  );
  // An undefined gradient counts as missing (its own message, below); every other non-Matrix is not a Matrix.
  rejectsNonMatrices(
    t,
    "updateParameters",
    "dW2",
    (bad) => updateParameters(parameters, { ...grads, dW2: bad }, 0.1),
    (bad) => bad === undefined,
  );
  t.throws(() => updateParameters(parameters, { ...grads, dW2: undefined as unknown as Matrix }, 0.1), {
    instanceOf: TypeError,
    message: /^updateParameters: grads is missing "dW2"/,
  });
  t.throws(() => updateParameters(null as unknown as MatrixDict, grads, 0.1), {
    instanceOf: TypeError,
    message: /^updateParameters: expected parameters to be an object/,
  });
  t.throws(() => updateParameters(parameters, 7 as unknown as MatrixDict, 0.1), {
    instanceOf: TypeError,
    message: /^updateParameters: expected grads to be an object \{dW1, db1, \.\.\.\}, received number 7$/,
  });
});

// ---------------------------------------------------------------- initializeParameters(Deep)

test("initializeParametersDeep rejects bad layer dims", (t) => {
  t.throws(() => initializeParametersDeep([4]), {
    instanceOf: RangeError,
    message:
      /^initializeParametersDeep: expected layerDims to list at least an input and an output size, received \[4\]$/,
  });
  t.throws(() => initializeParametersDeep([4, 0]), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: expected layerDims\[1\] to be a positive integer, received 0$/,
  });
  t.throws(() => initializeParametersDeep({} as number[]), {
    instanceOf: TypeError,
    message: /^initializeParametersDeep: expected layerDims to be an array of integers, received Object$/,
  });
});

test("initializeParametersDeep rejects a weight matrix too large for a Float64Array, naming its shape", (t) => {
  t.throws(() => initializeParametersDeep([50000, 50000, 1]), {
    instanceOf: RangeError,
    message: /^initializeParametersDeep: W1 would be \[50000, 50000\], more than 2\^31 - 1 values$/,
  });
});

test("initializeParameters rejects bad sizes", (t) => {
  t.throws(() => initializeParameters(0, 2, 1), {
    instanceOf: RangeError,
    message: /^initializeParameters: expected nx to be an integer >= 1, received 0$/,
  });
  t.throws(() => initializeParameters(3, [2] as unknown as number, 1), {
    instanceOf: TypeError,
    message: /^initializeParameters: expected nh to be an integer >= 1, received Array\(1\)$/,
  });
});

// ---------------------------------------------------------------- Matrix

test("Matrix constructor rejects dims that are not positive integers", (t) => {
  for (const [rows, cols] of [
    [0, 3],
    [2, -1],
    [2.5, 1],
    [NaN, 1],
    [1, Infinity],
  ]) {
    t.throws(() => new Matrix(rows!, cols!), {
      instanceOf: RangeError,
      message: new RegExp(`^Matrix: expected positive integer dims, received \\[${rows}, ${cols}\\]$`),
    });
  }
});

test("Matrix constructor rejects data that is not a Float64Array with a TypeError", (t) => {
  for (const [bad, shown] of [
    [new Float32Array(4), "Float32Array\\(4\\)"],
    [[1, 2, 3, 4], "Array\\(4\\)"],
    [new Uint8Array(32), "Uint8Array\\(32\\)"],
    [null, "null"],
  ] as const) {
    t.throws(() => new Matrix(2, 2, bad as unknown as Float64Array), {
      instanceOf: TypeError,
      message: new RegExp(`^Matrix: expected data to be a Float64Array, received ${shown}$`),
    });
  }
});

test("Matrix constructor rejects data whose length is not rows * cols, naming the shape", (t) => {
  t.throws(() => new Matrix(2, 3, new Float64Array(5)), {
    instanceOf: RangeError,
    message: /^Matrix: data holds 5 values but \[2, 3\] needs 6$/,
  });
});

test("Matrix.from rejects empty and ragged rows with a RangeError", (t) => {
  t.throws(() => Matrix.from([]), {
    instanceOf: RangeError,
    message: /^Matrix\.from: expected at least one row and one column, received \[0, 0\]$/,
  });
  t.throws(() => Matrix.from([[]]), { instanceOf: RangeError, message: /received \[1, 0\]$/ });
  t.throws(() => Matrix.from([[1, 2], [3]]), {
    instanceOf: RangeError,
    message: /^Matrix\.from: row 1 has 1 values, expected 2$/,
  });
});

test("Matrix.from rejects values that are not rows of numbers with a TypeError", (t) => {
  for (const bad of ["[[1]]", [1, 2], null, new Float64Array(2)]) {
    t.throws(() => Matrix.from(bad as unknown as number[][]), {
      instanceOf: TypeError,
      message: /^Matrix\.from: expected an array of number arrays, received/,
    });
  }
  t.throws(() => Matrix.from([[1, "2" as unknown as number]]), {
    instanceOf: TypeError,
    message: /^Matrix\.from: expected a number at \[0, 1\], received string "2"$/,
  });
});

test("Matrix.get rejects indices outside the shape, naming index and shape", (t) => {
  const m = zeros(2, 3);
  for (const [i, j] of [
    [2, 0],
    [0, 3],
    [-1, 0],
    [0.5, 0],
  ]) {
    t.throws(() => m.get(i!, j!), {
      instanceOf: RangeError,
      message: new RegExp(`^Matrix\\.get: index \\(${i}, ${j}\\) is outside \\[2, 3\\]$`),
    });
  }
});

// ---------------------------------------------------------------- predict, accuracy

test("predict rejects X whose rows differ from W1 cols, naming both shapes", (t) => {
  const { parameters } = smallNetwork();
  t.throws(() => predict(zeros(5, 2), parameters), {
    instanceOf: RangeError,
    message: /W1 is \[3, 4\] but X is \[5, 2\]; W1\.cols must equal X\.rows$/,
  });
});

test("predict rejects malformed parameters", (t) => {
  const { parameters } = smallNetwork();
  t.throws(() => predict(zeros(4, 2), { ...parameters, W3: zeros(1, 1) }), {
    instanceOf: TypeError,
    message: /parameters is missing "b3"/,
  });
  t.throws(() => predict(zeros(4, 2), { ...parameters, W2: zeros(2, 3), b2: zeros(2, 1) }), {
    instanceOf: RangeError,
    message: /^predict: expected W2 to have 1 row \(binary output\), received \[2, 3\]$/,
  });
});

test("predict rejects a non-Matrix X with a TypeError", (t) => {
  const { parameters } = smallNetwork();
  rejectsNonMatrices(t, "predict", "X", (bad) => predict(bad, parameters));
});

test("accuracy rejects labels and predictions of different shapes, naming both", (t) => {
  t.throws(() => accuracy(Matrix.from([[1, 0, 1]]), Matrix.from([[1, 0]])), {
    instanceOf: RangeError,
    message: /^accuracy: expected Y to be \[1, 3\] \(one label per example\), received \[1, 2\]$/,
  });
  t.throws(() => accuracy(zeros(2, 3), Matrix.from([[1, 0, 1]])), {
    instanceOf: RangeError,
    message: /^accuracy: expected predictions to be \[1, m\], received \[2, 3\]$/,
  });
  t.throws(() => accuracy(Matrix.from([[1, 0]]), Matrix.from([[1, 2]])), {
    instanceOf: RangeError,
    message: /^accuracy: expected Y values in \[0, 1\], received 2 at \[0, 1\]$/,
  });
});

test("accuracy rejects non-Matrix predictions and labels with a TypeError", (t) => {
  rejectsNonMatrices(t, "accuracy", "predictions", (bad) => accuracy(bad, Matrix.from([[1]])));
  rejectsNonMatrices(t, "accuracy", "Y", (bad) => accuracy(Matrix.from([[1]]), bad));
});

// ---------------------------------------------------------------- Model

test("Model constructor rejects layer dims that do not end in one unit", (t) => {
  t.throws(() => new Model([4, 3]), {
    instanceOf: RangeError,
    message: /^Model: expected the last layer to have 1 unit \(binary output\), received \[4, 3\]$/,
  });
  t.throws(() => new Model([4]), {
    instanceOf: RangeError,
    message: /^Model: expected layerDims to list at least an input and an output size, received \[4\]$/,
  });
  t.throws(() => new Model([4, 2.5, 1]), {
    instanceOf: RangeError,
    message: /^Model: expected layerDims\[1\] to be a positive integer, received 2\.5$/,
  });
});

test("Model constructor rejects non-array layer dims and non-object options with a TypeError", (t) => {
  t.throws(() => new Model("4,1" as unknown as number[]), {
    instanceOf: TypeError,
    message: /^Model: expected layerDims to be an array of integers, received string "4,1"$/,
  });
  t.throws(() => new Model([4, 1], 5 as unknown as object), {
    instanceOf: TypeError,
    message: /^Model: expected options to be an object, received number 5$/,
  });
});

test("Model constructor rejects an unknown init or dtype", (t) => {
  t.throws(() => new Model([4, 1], { init: "xavier" as "he" }), {
    instanceOf: RangeError,
    message: /^Model: expected init to be "small", "fan-in" or "he", received "xavier"$/,
  });
  t.throws(() => new Model([4, 1], { init: 3 as unknown as "he" }), {
    instanceOf: TypeError,
    message: /^Model: expected init to be "small", "fan-in" or "he", received 3$/,
  });
  t.throws(() => new Model([4, 1], { dtype: "float16" as "float64" }), {
    instanceOf: RangeError,
    message: /^Model: expected dtype "float64" or "float32", received string "float16"$/,
  });
});
