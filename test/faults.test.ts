// Numerical faults: a run whose cost or gradients stop being finite stops with an error naming the
// iteration and the likely cause, and the model keeps finite parameters.
import test from "ava";
import { Matrix, Model } from "../lib/index.js";
import { allFinite, signTask } from "./helpers/tasks.js";

const task = (scale: number) => signTask(6, 32, 3, { scale });

for (const gram of [false, true]) {
  const path = gram ? "Gram" : "generic";
  test(`a learning rate far too large stops the ${path} run with an error naming the iteration`, (t) => {
    const { X, Y } = task(1);
    // The Gram path needs m < n0.
    const data = gram
      ? { X: new Matrix(6, 4, X.data.slice(0, 24)), Y: new Matrix(1, 4, Y.data.slice(0, 4)) }
      : { X, Y };
    const model = new Model([6, 5, 1], { seed: 1 });
    const error = t.throws(
      () => model.fit(data.X, data.Y, { learningRate: 1e150, iterations: 1000, costEvery: 1, gram }),
      {
        instanceOf: Error,
        message:
          /^fit: the (cost became \S+|gradients stopped being finite) at iteration \d+; the learning rate is probably too large/,
      },
    );
    t.regex(error!.message, /keeps the finite parameters/);
    t.false(model.training);
    t.true(allFinite(model.parameters), "the model kept finite parameters");
  });
}

test("a saturated sigmoid stops the run at the first non-finite cost, with finite parameters", (t) => {
  // Inputs a million times too large: AL reaches exactly 0 or 1, and 0 * log(0) is NaN, as in numpy.
  const { X, Y } = task(1e6);
  const model = new Model([6, 5, 1], { seed: 1 });
  const seen: number[] = [];
  const error = t.throws(
    () =>
      model.fit(X, Y, {
        learningRate: 0.5,
        iterations: 500,
        costEvery: 1,
        onCost: (i) => seen.push(i),
      }),
    {
      instanceOf: Error,
      message: /^fit: the cost became (NaN|Infinity) at iteration (\d+); .*sigmoid saturated/,
    },
  );
  const iteration = Number(/iteration (\d+)/.exec(error!.message)![1]);
  t.is(seen.length, iteration, "every earlier cost was finite and reported");
  t.true(allFinite(model.parameters));
});

test("fitAsync rejects the same way and does not leave the model busy", async (t) => {
  const { X, Y } = task(1);
  const model = new Model([6, 5, 1], { seed: 1 });
  await t.throwsAsync(model.fitAsync(X, Y, { learningRate: 1e150, iterations: 1000, costEvery: 1 }), {
    instanceOf: Error,
    message: /^fitAsync: the (cost became \S+|gradients stopped being finite) at iteration \d+/,
  });
  t.false(model.training);
  t.true(allFinite(model.parameters));
  // The parameters are finite but huge: a new run starts (it is not refused as busy) and stops again.
  t.throws(() => model.fit(X, Y, { learningRate: 1e-3, iterations: 10 }), {
    message: /^fit: the (cost became|gradients stopped)/,
  });
});

// Feature `huge` of every example is near the largest value the precision holds and W1 ignores it
// (a zero column), so the forward pass and the cost stay finite; every example's dZ1 has the same
// sign (all labels 1), so dW1's column `huge`, the sum of dZ1 times that feature, overflows.
function overflowingFirstLayerGradient(dtype: "float64" | "float32", huge: number) {
  const n0 = 784;
  const n1 = 128;
  const m = 128;
  const x = new Float64Array(n0 * m).fill(1);
  x.fill(dtype === "float64" ? 1e308 : 3e38, huge * m, (huge + 1) * m);
  const Y = new Matrix(1, m, new Float64Array(m).fill(1));
  const w1 = new Float64Array(n1 * n0).fill(1e-6);
  for (let i = 0; i < n1; i++) w1[i * n0 + huge] = 0;
  const parameters = {
    W1: new Matrix(n1, n0, w1),
    b1: new Matrix(n1, 1, new Float64Array(n1).fill(1e-3)),
    W2: new Matrix(1, n1, new Float64Array(n1).fill(1)),
    b2: new Matrix(1, 1, new Float64Array(1)),
  };
  return { X: new Matrix(n0, m, x), Y, parameters };
}

test("a mini-batch step whose dW1 overflows in either column block stops before its update", (t) => {
  // Batches of 64 through [784, 128, 1]: dW1 (128 x 784 x 64) runs as column blocks, each checked by
  // the thread that computed it; the overflow is in the first block or the last.
  for (const dtype of ["float64", "float32"] as const) {
    for (const huge of [0, 783]) {
      for (const l2 of [0, 0.1]) {
        const { X, Y, parameters } = overflowingFirstLayerGradient(dtype, huge);
        const model = Model.fromParameters(parameters, { dtype });
        const before = model.parameters;
        const what = `${dtype}, feature ${huge}, l2 ${l2}`;
        t.throws(
          () =>
            model.fit(X, Y, {
              epochs: 1,
              batchSize: 64,
              learningRate: 1e-3,
              l2,
              optimizer: { name: "adam" },
            }),
          { message: /^fit: the gradients stopped being finite at epoch 0, step 0; /, instanceOf: Error },
          what,
        );
        t.deepEqual(model.parameters, before, `${what}: the step did not update the parameters`);
      }
    }
  }
});
