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
