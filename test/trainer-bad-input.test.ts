// Bad input to the trainer's functional API: every new function and option refuses what it must
// with a typed error that names the shape or the option.

import test from "ava";
import {
  Matrix,
  RandomState,
  computeCost,
  gradientCheck,
  initializeAdam,
  initializeVelocity,
  lModelBackward,
  lModelForward,
  leakyReluBackward,
  oneHot,
  randomMiniBatches,
  softmax,
  tanh,
  tanhBackward,
  updateParametersWithAdam,
  updateParametersWithMomentum,
} from "../lib/index.js";
import { trainerCase } from "./helpers/trainer-fixtures.js";

type ErrorClass = typeof TypeError | typeof RangeError;
interface Case {
  name: string;
  call: () => unknown;
  error: ErrorClass;
  message: RegExp;
}

const any = (v: unknown) => v as never;
const X = () =>
  new Matrix(
    3,
    5,
    Float64Array.from({ length: 15 }, (_, i) => Math.sin(i)),
  );
const Y1 = () => Matrix.from([[1, 0, 1, 1, 0]]);
const params = () => {
  const rng = new RandomState(2);
  return { W1: rng.randn(4, 3), b1: new Matrix(4, 1), W2: rng.randn(3, 4), b2: new Matrix(3, 1) };
};
const grads = () => {
  const p = params();
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [`d${k}`, v]));
};
const softmaxY = () => oneHot([0, 1, 2, 1, 0], 3);
const forward = (options: Record<string, unknown> = {}) => lModelForward(X(), params(), options);

const cases: Case[] = [
  // permutation / mini-batches
  {
    name: "permutation refuses -1",
    call: () => new RandomState(0).permutation(-1),
    error: RangeError,
    message:
      /^RandomState\.permutation: expected a non-negative integer length up to 2147483647, received number -1$/,
  },
  {
    name: "permutation refuses a string",
    call: () => new RandomState(0).permutation(any("3")),
    error: TypeError,
    message: /^RandomState\.permutation: expected a non-negative integer/,
  },
  {
    name: "dropoutMask refuses keepProb 0",
    call: () => new RandomState(0).dropoutMask(2, 2, 0),
    error: RangeError,
    message: /^RandomState\.dropoutMask: expected keepProb to be a number in \(0, 1\], received 0$/,
  },
  ...[0, -1, 2.5, NaN].map((size) => ({
    name: `randomMiniBatches refuses miniBatchSize ${size}`,
    call: () => randomMiniBatches(X(), Y1(), size),
    error: RangeError,
    message: new RegExp(
      `^randomMiniBatches: expected miniBatchSize to be an integer >= 1, received ${size}$`,
    ),
  })),
  {
    name: "randomMiniBatches refuses a string miniBatchSize",
    call: () => randomMiniBatches(X(), Y1(), any("64")),
    error: TypeError,
    message: /^randomMiniBatches: expected miniBatchSize to be an integer >= 1, received string "64"$/,
  },
  {
    name: "randomMiniBatches refuses X and Y of different example counts",
    call: () => randomMiniBatches(X(), Matrix.from([[1, 0]])),
    error: RangeError,
    message:
      /^randomMiniBatches: X is \[3, 5\] but Y is \[1, 2\]; they must hold the same number of examples/,
  },
  {
    name: "randomMiniBatches refuses seed -1, naming itself",
    call: () => randomMiniBatches(X(), Y1(), 2, -1),
    error: RangeError,
    message: /^randomMiniBatches: expected seed to be an integer in \[0, 2\^32 - 1\], received -1$/,
  },
  // activations
  {
    name: "tanh refuses a plain array",
    call: () => tanh(any([[1]])),
    error: TypeError,
    message: /^tanh: expected Z to be a Matrix, received Array\(1\)$/,
  },
  {
    name: "softmax refuses a non-Matrix",
    call: () => softmax(any(null)),
    error: TypeError,
    message: /^softmax: expected Z to be a Matrix, received null$/,
  },
  {
    name: "tanhBackward refuses dA and Z of different shapes",
    call: () => tanhBackward(new Matrix(2, 3), new Matrix(3, 2)),
    error: RangeError,
    message: /^tanhBackward: dA is \[2, 3\] but Z is \[3, 2\]; they must match$/,
  },
  {
    name: "leakyReluBackward refuses a missing Z",
    call: () => leakyReluBackward(new Matrix(2, 3), any(undefined)),
    error: TypeError,
    message: /^leakyReluBackward: expected Z to be a Matrix, received undefined$/,
  },
  // momentum / Adam
  {
    name: "initializeVelocity refuses parameters without W1",
    call: () => initializeVelocity(any({})),
    error: TypeError,
    message: /^initializeVelocity: parameters has no "W1"/,
  },
  ...[1, -0.1, NaN, 1.5].map((beta) => ({
    name: `updateParametersWithMomentum refuses beta ${beta}`,
    call: () => updateParametersWithMomentum(params(), grads(), initializeVelocity(params()), beta, 0.1),
    error: RangeError,
    message: new RegExp(
      `^updateParametersWithMomentum: expected beta to be a number in \\[0, 1\\), received ${beta}$`,
    ),
  })),
  {
    name: "updateParametersWithMomentum refuses a velocity missing db2",
    call: () => {
      const v = initializeVelocity(params());
      delete v.db2;
      return updateParametersWithMomentum(params(), grads(), v, 0.9, 0.1);
    },
    error: TypeError,
    message: /^updateParametersWithMomentum: v is missing "db2" \(expected dW1\.\.dW2 and db1\.\.db2\)$/,
  },
  {
    name: "updateParametersWithMomentum refuses a gradient of the wrong shape",
    call: () =>
      updateParametersWithMomentum(
        params(),
        { ...grads(), dW2: new Matrix(4, 3) },
        initializeVelocity(params()),
        0.9,
        0.1,
      ),
    error: RangeError,
    message: /^updateParametersWithMomentum: W2 is \[3, 4\] but grads\.dW2 is \[4, 3\]; they must match$/,
  },
  ...[0, -1, 1.5, NaN].map((t) => ({
    name: `updateParametersWithAdam refuses t ${t}`,
    call: () => {
      const { v, s } = initializeAdam(params());
      return updateParametersWithAdam(params(), grads(), v, s, t);
    },
    error: RangeError,
    message: new RegExp(`^updateParametersWithAdam: expected t to be an integer >= 1, received ${t}$`),
  })),
  ...(
    [
      ["beta1", 1],
      ["beta2", -0.5],
      ["beta2", NaN],
    ] as const
  ).map(([name, value]) => ({
    name: `updateParametersWithAdam refuses ${name} ${value}`,
    call: () => {
      const { v, s } = initializeAdam(params());
      const b1 = name === "beta1" ? value : 0.9;
      const b2 = name === "beta2" ? value : 0.999;
      return updateParametersWithAdam(params(), grads(), v, s, 1, 0.01, b1, b2);
    },
    error: RangeError,
    message: new RegExp(
      `^updateParametersWithAdam: expected ${name} to be a number in \\[0, 1\\), received ${value}$`,
    ),
  })),
  {
    name: "updateParametersWithAdam refuses epsilon 0",
    call: () => {
      const { v, s } = initializeAdam(params());
      return updateParametersWithAdam(params(), grads(), v, s, 1, 0.01, 0.9, 0.999, 0);
    },
    error: RangeError,
    message: /^updateParametersWithAdam: expected epsilon to be a finite number > 0, received 0$/,
  },
  {
    name: "updateParametersWithAdam refuses s that is not an object",
    call: () => updateParametersWithAdam(params(), grads(), initializeAdam(params()).v, any(3), 1),
    error: TypeError,
    message: /^updateParametersWithAdam: expected s to be an object \{dW1, db1, \.\.\.\}, received number 3$/,
  },
  // forward options
  {
    name: "lModelForward refuses an unknown hidden activation",
    call: () => forward({ hidden: "sigmoid" }),
    error: RangeError,
    message: /^lModelForward: expected hidden "relu", "tanh" or "leakyRelu", received string "sigmoid"$/,
  },
  {
    name: "lModelForward refuses the numpy spelling leaky_relu",
    call: () => forward({ hidden: "leaky_relu" }),
    error: RangeError,
    message: /^lModelForward: expected hidden "relu", "tanh" or "leakyRelu", received string "leaky_relu"$/,
  },
  {
    name: "lModelForward refuses an unknown output",
    call: () => forward({ output: "linear" }),
    error: RangeError,
    message: /^lModelForward: expected output "sigmoid" or "softmax", received string "linear"$/,
  },
  ...[0, -0.5, 1.01, NaN].map((keepProb) => ({
    name: `lModelForward refuses keepProb ${keepProb}`,
    call: () => forward({ keepProb }),
    error: RangeError,
    message: new RegExp(
      `^lModelForward: expected keepProb to be a number in \\(0, 1\\], received ${keepProb}$`,
    ),
  })),
  {
    name: "lModelForward refuses an rng that is not a RandomState",
    call: () => forward({ keepProb: 0.5, rng: { rand: () => 0 } }),
    error: TypeError,
    message: /^lModelForward: expected rng to be a RandomState, received Object$/,
  },
  {
    name: "lModelForward refuses softmax over a single unit",
    call: () => lModelForward(X(), { W1: new Matrix(1, 3), b1: new Matrix(1, 1) }, { output: "softmax" }),
    error: RangeError,
    message: /^lModelForward: expected a softmax output of at least 2 units, received W1 with 1 row$/,
  },
  // cost options
  ...[-1, NaN].map((l2) => ({
    name: `computeCost refuses l2 ${l2}`,
    call: () => computeCost(Matrix.from([[0.5]]), Matrix.from([[1]]), { l2, parameters: params() }),
    error: RangeError,
    message: new RegExp(`^computeCost: expected l2 to be a finite number >= 0, received ${l2}$`),
  })),
  {
    name: "computeCost refuses l2 > 0 without parameters",
    call: () => computeCost(Matrix.from([[0.5]]), Matrix.from([[1]]), { l2: 0.1 }),
    error: TypeError,
    message:
      /^computeCost: expected parameters \(the W_l of the L2 term\) with l2 = 0\.1, received undefined$/,
  },
  {
    name: "computeCost refuses a softmax Y that is not one-hot (two ones)",
    call: () =>
      computeCost(new Matrix(2, 1, Float64Array.of(0.5, 0.5)), Matrix.from([[1], [1]]), {
        output: "softmax",
      }),
    error: RangeError,
    message: /^computeCost: expected Y to be one-hot, received 2 ones in column 0$/,
  },
  {
    name: "computeCost refuses a softmax Y holding 0.5",
    call: () =>
      computeCost(new Matrix(2, 1, Float64Array.of(0.5, 0.5)), Matrix.from([[0.5], [0.5]]), {
        output: "softmax",
      }),
    error: RangeError,
    message: /^computeCost: expected Y to be one-hot \(0 or 1\), received 0\.5 at \[0, 0\]$/,
  },
  {
    name: "computeCost refuses a softmax Y whose rows differ from AL's classes",
    call: () =>
      computeCost(new Matrix(3, 1, Float64Array.of(0.2, 0.3, 0.5)), Matrix.from([[1], [0]]), {
        output: "softmax",
      }),
    error: RangeError,
    message: /^computeCost: AL is \[3, 1\] but Y is \[2, 1\]; they must match$/,
  },
  // backward options
  {
    name: "lModelBackward refuses keepProb < 1 with caches that carry no masks",
    call: () => {
      const { AL, caches } = forward();
      return lModelBackward(AL, softmaxY(), caches, { keepProb: 0.8, output: "softmax" });
    },
    error: TypeError,
    message: /^lModelBackward: caches\[0\] has no dropout mask D, but keepProb is 0\.8/,
  },
  {
    name: "lModelBackward refuses a softmax Y that is not one-hot",
    call: () => {
      const { AL, caches } = forward({ output: "softmax" });
      return lModelBackward(AL, new Matrix(3, 5), caches, { output: "softmax" });
    },
    error: RangeError,
    message: /^lModelBackward: expected Y to be one-hot, received 0 ones in column 0$/,
  },
  ...[-0.1, NaN].map((l2) => ({
    name: `lModelBackward refuses l2 ${l2}`,
    call: () => {
      const { AL, caches } = forward({ output: "softmax" });
      return lModelBackward(AL, softmaxY(), caches, { output: "softmax", l2 });
    },
    error: RangeError,
    message: new RegExp(`^lModelBackward: expected l2 to be a finite number >= 0, received ${l2}$`),
  })),
  {
    name: "lModelBackward refuses keepProb 2",
    call: () => {
      const { AL, caches } = forward({ output: "softmax" });
      return lModelBackward(AL, softmaxY(), caches, { output: "softmax", keepProb: 2 });
    },
    error: RangeError,
    message: /^lModelBackward: expected keepProb to be a number in \(0, 1\], received 2$/,
  },
  {
    name: "lModelBackward refuses an unknown hidden activation",
    call: () => {
      const { AL, caches } = forward({ output: "softmax" });
      return lModelBackward(AL, softmaxY(), caches, { output: "softmax", hidden: any("elu") });
    },
    error: RangeError,
    message: /^lModelBackward: expected hidden "relu", "tanh" or "leakyRelu", received string "elu"$/,
  },
  // gradient check
  {
    name: "gradientCheck refuses epsilon 0",
    call: () => gradientCheck(params(), X(), softmaxY(), { output: "softmax", epsilon: 0 }),
    error: RangeError,
    message: /^gradientCheck: expected epsilon to be a finite number > 0, received 0$/,
  },
  {
    name: "gradientCheck refuses grads missing db1",
    call: () => {
      const g = grads();
      delete g.db1;
      return gradientCheck(params(), X(), softmaxY(), { output: "softmax", grads: g });
    },
    error: TypeError,
    message: /^gradientCheck: grads is missing "db1" \(expected dW1\.\.dW2 and db1\.\.db2\)$/,
  },
  {
    name: "gradientCheck refuses X that does not fit W1",
    call: () => gradientCheck(params(), new Matrix(4, 5), softmaxY(), { output: "softmax" }),
    error: RangeError,
    message: /^gradientCheck: W1 is \[4, 3\] but X is \[4, 5\]; W1\.cols must equal X\.rows$/,
  },
  // oneHot
  ...[3, -1, 0.5].map((label) => ({
    name: `oneHot refuses label ${label} of 3 classes`,
    call: () => oneHot([0, label], 3),
    error: RangeError,
    message: new RegExp(
      `^oneHot: expected labels in \\[0, 3\\) \\(integers\\), received number ${label} at 1$`,
    ),
  })),
  {
    name: "oneHot refuses classes 0",
    call: () => oneHot([0], 0),
    error: RangeError,
    message: /^oneHot: expected classes to be an integer >= 1, received 0$/,
  },
  {
    name: "oneHot refuses labels of two rows",
    call: () => oneHot(new Matrix(2, 2), 3),
    error: RangeError,
    message: /^oneHot: expected labels to be \[1, m\], received \[2, 2\]$/,
  },
];

for (const { name, call, error, message } of cases) {
  test(name, (t) => {
    t.throws(call, { instanceOf: error, message });
  });
}

test("the fixture's softmax case passes these checks (the happy path is reachable)", (t) => {
  const { inputs } = trainerCase("forward_backward")[3]!;
  const { AL, caches } = lModelForward(inputs.X, inputs.parameters, {
    hidden: "leakyRelu",
    output: "softmax",
  });
  t.notThrows(() => lModelBackward(AL, inputs.Y, caches, { hidden: "leakyRelu", output: "softmax" }));
});
