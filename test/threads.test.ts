// Thread control: the count a user sets is the count training uses, and results never depend on it.
import test from "ava";
import { Matrix, Model, RandomState, blasInfo, getNumThreads, setNumThreads } from "../lib/index.js";

// Tests in this file change the process's thread count: run them one at a time, then restore it.
const original = getNumThreads();
test.afterEach.always(() => setNumThreads(original));

/**
 * A first layer shaped like the cat model's (few units, long inputs, few examples), so the engine
 * splits W1 X over its inner dimension and dW1 over its columns across threads of its own.
 */
function skinnyTask(nx = 4096, m = 96) {
  const X = new RandomState(3).randn(nx, m);
  const Y = new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, (_, j) => (X.get(1, j) > 0 ? 1 : 0)),
  );
  return { X, Y };
}
const dims = [4096, 12, 5, 1];
const options = { learningRate: 0.01, iterations: 40, costEvery: 1, gram: false };

function trainWith(threads: number, dtype: "float64" | "float32" = "float64") {
  setNumThreads(threads);
  const { X, Y } = skinnyTask();
  const model = new Model(dims, { seed: 4, dtype });
  const { costs } = model.fit(X, Y, options);
  return { costs, parameters: model.parameters };
}

test.serial("setNumThreads sets what getNumThreads and blasInfo report", (t) => {
  setNumThreads(1);
  t.is(getNumThreads(), 1);
  setNumThreads(3);
  t.is(getNumThreads(), 3);
  t.is(blasInfo().threads, 3);
});

test.serial("training gives bit-identical results with 1, 2 and 3 threads", (t) => {
  for (const dtype of ["float64", "float32"] as const) {
    const one = trainWith(1, dtype);
    for (const threads of [2, 3]) {
      const other = trainWith(threads, dtype);
      t.deepEqual(other.costs, one.costs, `${dtype}, ${threads} threads`);
      t.deepEqual(other.parameters, one.parameters, `${dtype}, ${threads} threads`);
    }
  }
});

test.serial("the Gram path's setup and final W1 do not depend on the thread count either", (t) => {
  const run = (threads: number) => {
    setNumThreads(threads);
    const { X, Y } = skinnyTask();
    const model = new Model(dims, { seed: 4 });
    model.fit(X, Y, { ...options, gram: true });
    return model.parameters;
  };
  t.deepEqual(run(2), run(1));
});

test.serial(
  "getNumThreads reports the set count while fitAsync trains, and a change mid-run is safe",
  async (t) => {
    setNumThreads(2);
    const { X, Y } = skinnyTask();
    const reference = new Model(dims, { seed: 4 });
    reference.fit(X, Y, { ...options, iterations: 200 });
    const model = new Model(dims, { seed: 4 });
    // What the main thread reads before and after it asks for one thread, polled every millisecond:
    // never the single-threaded count the engine gives OpenBLAS while it splits a product itself.
    const seen = { before: new Set<number>(), after: new Set<number>() };
    let switched = false;
    const read = () => (switched ? seen.after : seen.before).add(getNumThreads());
    const poll = setInterval(read, 1);
    await model.fitAsync(X, Y, {
      ...options,
      iterations: 200,
      onProgress: (p) => {
        read();
        if (p.iteration >= 100 && !switched) {
          setNumThreads(1);
          switched = true;
        }
      },
    });
    clearInterval(poll);
    t.deepEqual([...seen.before], [2]);
    t.deepEqual([...seen.after], [1]);
    t.deepEqual(model.parameters, reference.parameters);
  },
);
