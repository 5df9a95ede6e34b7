// Property tests of the Model's mini-batch engine against the plain-TypeScript reference trainer
// (test/helpers/reference-trainer.ts, made of the functional API), over seeded random nets and
// options; and the engine's run buffers counted by the memory limit.

import test from "ava";
import {
  Matrix,
  type MatrixDict,
  Model,
  initializeParametersDeep,
  memoryInfo,
  oneHot,
  setMemoryLimit,
} from "../lib/index.js";
import { Rng } from "./helpers/prng.js";
import { referenceTrain } from "./helpers/reference-trainer.js";

function randomCase(seed: number) {
  const rng = new Rng(seed);
  const output = rng.pick(["sigmoid", "softmax"] as const);
  const hidden = rng.pick(["relu", "tanh", "leakyRelu"] as const);
  const classes = output === "softmax" ? rng.int(2, 4) : 1;
  const dims = [rng.int(1, 5), ...Array.from({ length: rng.int(0, 2) }, () => rng.int(1, 6)), classes];
  const m = rng.int(3, 40);
  const X = new Matrix(dims[0]!, m, rng.normals(dims[0]! * m));
  let Y: Matrix;
  if (output === "softmax") {
    Y = oneHot(
      Array.from({ length: m }, () => rng.int(0, classes - 1)),
      classes,
    );
  } else {
    Y = new Matrix(
      1,
      m,
      Float64Array.from({ length: m }, () => rng.int(0, 1)),
    );
  }
  const parameters: MatrixDict = initializeParametersDeep(dims, { seed: seed % 1000 });
  const optimizer = rng.pick(["gd", "momentum", "adam"] as const);
  const batch = rng.int(1, m);
  return {
    dims,
    X,
    Y,
    parameters,
    run: {
      hidden,
      output,
      batch,
      shuffle: rng.bool(),
      shuffleSeed: rng.int(0, 50),
      optimizer,
      beta: 0.8,
      beta1: 0.85,
      beta2: 0.99,
      epsilon: 1e-7,
      l2: rng.pick([0, 0, 0.3]),
      keepProb: rng.pick([1, 1, 0.7]),
      dropoutSeed: rng.int(0, 9),
      learningRate: rng.pick([0.01, 0.05]),
      epochs: rng.int(1, 6),
    },
  };
}

for (let seed = 1; seed <= 40; seed++) {
  test(`the engine matches the reference trainer on random case ${seed}`, (t) => {
    const { X, Y, parameters, run } = randomCase(seed);
    const expected = referenceTrain(X, Y, parameters, run);
    const model = Model.fromParameters(parameters, { hidden: run.hidden, output: run.output });
    const optimizer =
      run.optimizer === "gd"
        ? "gd"
        : run.optimizer === "momentum"
          ? { name: "momentum" as const, beta: run.beta }
          : { name: "adam" as const, beta1: run.beta1, beta2: run.beta2, epsilon: run.epsilon };
    const result = model.fit(X, Y, {
      learningRate: run.learningRate,
      epochs: run.epochs,
      batchSize: run.batch,
      shuffle: run.shuffle,
      shuffleSeed: run.shuffleSeed,
      optimizer,
      l2: run.l2,
      keepProb: run.keepProb,
      dropoutSeed: run.dropoutSeed,
    });
    const costs = result.history.map((h) => h.cost);
    t.is(costs.length, expected.epochCosts.length);
    costs.forEach((c, e) => {
      const want = expected.epochCosts[e]!;
      t.true(Math.abs(c - want) <= 1e-12 * Math.max(1, Math.abs(want)), `epoch ${e}: ${c} vs ${want}`);
    });
    const got = model.parameters;
    for (const [key, E] of Object.entries(expected.parameters)) {
      const worst = E.data.reduce((w, e, i) => Math.max(w, Math.abs(got[key]!.data[i]! - e)), 0);
      t.true(worst <= 1e-12, `${key}: worst |diff| ${worst}`);
    }
  });
}

test.serial("a mini-batch run's buffers are counted by the memory limit, and released when it ends", (t) => {
  const model = new Model([50, 40, 1], { seed: 2 });
  const m = 400;
  const X = new Matrix(50, m, new Rng(3).normals(50 * m));
  const Y = new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, (_, j) => j % 2),
  );
  const options = {
    learningRate: 0.01,
    epochs: 1,
    batchSize: 200,
    optimizer: "adam" as const,
    keepProb: 0.5,
  };
  model.fit(X, Y, options); // makes the gradient buffers, so only the run's own buffers remain
  const before = memoryInfo();
  const { limit } = before;
  try {
    // Z, A, dZ and D for 200 columns of 40 units are 256,000 bytes alone: a limit just above what is
    // in use refuses the run before it allocates anything.
    setMemoryLimit(before.inUse + 100_000);
    t.throws(() => model.fit(X, Y, options), {
      instanceOf: RangeError,
      message: /fit: needs \d+ bytes .* for the buffers of a run over 400 examples in batches of 200/,
    });
    t.is(memoryInfo().inUse, before.inUse);
    t.false(model.training);
  } finally {
    setMemoryLimit(limit);
  }
  model.fit(X, Y, options);
  t.is(memoryInfo().inUse, before.inUse);
});
