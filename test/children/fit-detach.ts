// Child process of input-safety.test.ts (run with --expose-gc): a synchronous fit whose onCost
// transfers X's buffer away after iteration 20 (fit uses float64 X in place). The next chunk must
// fail with a TypeError or RangeError from the native re-check, not read freed memory, and leave
// the model consistent: not training, finite, equal to a clean run of the iterations completed,
// and able to fit again. Prints one JSON line.
// Usage: fit-detach.ts <generic|gram>
import { Model } from "../../lib/index.js";
import { allFinite, signTask } from "../helpers/tasks.js";

declare const gc: () => void;

const gram = process.argv[2] === "gram";
const n0 = 12;
const m = gram ? 8 : 16;
const { X, Y } = signTask(n0, m, 1);
const Xkept = X.clone();
const options = { learningRate: 0.1, costEvery: 10, gram };

const model = new Model([n0, 4, 1], { seed: 2 });
let errorName: string | null = null;
let message = "returned";
try {
  model.fit(X, Y, {
    ...options,
    iterations: 50,
    onCost: (i) => {
      if (i === 10) {
        structuredClone(X.data.buffer, { transfer: [X.data.buffer] });
        gc();
      }
    },
  });
} catch (error) {
  errorName = error instanceof Error ? error.constructor.name : typeof error;
  message = error instanceof Error ? error.message : String(error);
}
const training = model.training;
const parameters = model.parameters;
const finite = allFinite(parameters);
// Chunks end on cost iterations: 0..9, 10..19, then the one that meets the detached X.
// The reference listens too: a synchronous Gram run folds W1 before each onCost call, so the same
// callbacks make the same folds and the comparison can be exact.
const reference = new Model([n0, 4, 1], { seed: 2 });
reference.fit(Xkept, Y, { ...options, iterations: 20, onCost: () => undefined });
const differs = Object.entries(reference.parameters)
  .filter(([key, p]) => p.data.some((v, i) => !Object.is(v, parameters[key]!.data[i])))
  .map(([key]) => key);
let refit = "ok";
try {
  model.fit(Xkept, Y, { ...options, iterations: 5 });
} catch (error) {
  refit = String(error);
}
process.stdout.write(`${JSON.stringify({ errorName, message, training, finite, differs, refit })}\n`);
