// Thread control: the count a user sets is the count training uses, and results never depend on it.
import { availableParallelism } from "node:os";
import test from "ava";
import { Matrix, Model, blasInfo, getNumThreads, setNumThreads } from "../lib/index.js";
import { native } from "../lib/native.js";
import { Rng } from "./helpers/prng.js";
import * as ref from "./helpers/reference.js";
import { signTask } from "./helpers/tasks.js";

// Tests in this file change the process's thread count: run them one at a time, then restore it.
const original = getNumThreads();
test.afterEach.always(() => setNumThreads(original));

// A split needs two cores: with one, blasnet caps every team at one thread, and a comparison of
// thread counts would compare a run with itself. Such tests skip, and say so.
const cores = availableParallelism();
const multiCore = cores >= 2 ? test.serial : test.serial.skip;
if (cores < 2)
  console.warn(`threads.test.ts: ${cores} core available; the tests that split across 2 threads skip`);

/**
 * A first layer shaped like the cat model's (few units, long inputs, few examples), so the engine
 * splits W1 X over its inner dimension and dW1 over its columns across threads of its own. Runs
 * never write X or Y, so every test shares them.
 */
const { X, Y } = signTask(4096, 96, 3, { labelRow: 1 });
const dims = [4096, 12, 5, 1];
const options = { learningRate: 0.01, iterations: 40, costEvery: 1, gram: false };

function trainWith(
  threads: number,
  { dtype = "float64", gram = false }: { dtype?: "float64" | "float32"; gram?: boolean } = {},
) {
  setNumThreads(threads);
  const model = new Model(dims, { seed: 4, dtype });
  const { costs, splitThreads } = model.fit(X, Y, { ...options, gram });
  return { costs, splitThreads, parameters: model.parameters };
}

test("OpenBLAS runs the kernel OPENBLAS_CORETYPE names, so a run per core type tests that kernel", (t) => {
  const requested = process.env.OPENBLAS_CORETYPE;
  if (requested === undefined) {
    t.log(`OPENBLAS_CORETYPE is unset; OpenBLAS runs ${blasInfo().coreName}`);
    t.pass();
    return;
  }
  t.is(blasInfo().coreName.toLowerCase(), requested.toLowerCase());
});

test.serial("setNumThreads sets what getNumThreads and blasInfo report", (t) => {
  setNumThreads(1);
  t.is(getNumThreads(), 1);
  setNumThreads(3);
  t.is(getNumThreads(), 3);
  t.is(blasInfo().threads, 3);
});

multiCore("training gives bit-identical results with 1, 2 and 3 threads", (t) => {
  for (const dtype of ["float64", "float32"] as const) {
    const one = trainWith(1, { dtype });
    t.is(one.splitThreads, 1, `${dtype}: one thread runs the blocks in turn`);
    for (const threads of [2, 3]) {
      const other = trainWith(threads, { dtype });
      // Three threads on a two-core machine are capped at two: the split is what is compared.
      t.is(
        other.splitThreads,
        Math.min(threads, cores),
        `${dtype}, ${threads} threads: the run split its products`,
      );
      t.deepEqual(other.costs, one.costs, `${dtype}, ${threads} threads`);
      t.deepEqual(other.parameters, one.parameters, `${dtype}, ${threads} threads`);
    }
  }
});

type FitOptions = Parameters<Model["fit"]>[2];

// Trains `dims` ([600, 64, 16, 1] unless given) on the task at one and at two threads, in both
// precisions, and asserts the same costs and parameters to the bit.
function sameBitsAtOneAndTwoThreads(
  t: import("ava").ExecutionContext,
  task: ReturnType<typeof signTask>,
  seed: number,
  options: FitOptions,
  dims = [600, 64, 16, 1],
  output: "sigmoid" | "softmax" = "sigmoid",
): void {
  const miniBatch = (threads: number, dtype: "float64" | "float32") => {
    setNumThreads(threads);
    const model = new Model(dims, { seed, dtype, output });
    const result = model.fit(task.X, task.Y, options);
    return {
      costs: result.history.map((h) => h.cost),
      splitThreads: result.splitThreads,
      parameters: model.parameters,
    };
  };
  for (const dtype of ["float64", "float32"] as const) {
    const one = miniBatch(1, dtype);
    const two = miniBatch(2, dtype);
    t.is(two.splitThreads, 2, `${dtype}: the run shared its work`);
    t.deepEqual(two.costs, one.costs, dtype);
    t.deepEqual(two.parameters, one.parameters, dtype);
  }
}

multiCore(
  "mini-batch Adam gives bit-identical results with 1 and 2 threads (shared gather and update)",
  (t) => {
    // 40,000 parameters and batches of 64 shuffled examples: the update and the gather are shared out
    // on the team at two threads, and each product that splits does so in the same blocks.
    sameBitsAtOneAndTwoThreads(t, signTask(600, 512, 3, { labelRow: 1 }), 5, {
      epochs: 3,
      batchSize: 64,
      shuffleSeed: 7,
      learningRate: 1e-3,
      optimizer: { name: "adam" },
    });
  },
);

multiCore(
  "a mini-batch step runs a hidden layer's two small backward products side by side, with the same bits",
  (t) => {
    // Batches of 32 through [100, 32, 16, 1]: no product is large enough to split and nothing else
    // is shared, but layer 2's dW2 and dA1 need not wait for each other, so at two threads they run
    // on two (splitThreads 2) as the same single-threaded calls as at one.
    sameBitsAtOneAndTwoThreads(
      t,
      signTask(100, 256, 5, { labelRow: 1 }),
      6,
      { epochs: 2, batchSize: 32, shuffleSeed: 3, learningRate: 1e-3, optimizer: { name: "adam" } },
      [100, 32, 16, 1],
    );
  },
);

multiCore(
  "a mini-batch step cuts a lone product in halves at every thread count, with the same bits",
  (t) => {
    // Batches of 64 through [128, 64, 1]: W1 X (64 x 64 x 128) and dW1 (64 x 128 x 64) are each the
    // only product of their hand-off and too small for the usual split, so the step cuts them in
    // halves, the same halves at one thread as at two. (In float32 the halves' bits differ from
    // one whole sgemm's, so a cut that followed the thread count would fail here.)
    sameBitsAtOneAndTwoThreads(
      t,
      signTask(128, 640, 2, { labelRow: 1 }),
      4,
      { epochs: 2, batchSize: 64, shuffleSeed: 5, learningRate: 1e-3, optimizer: { name: "adam" } },
      [128, 64, 1],
    );
  },
);

multiCore("a softmax head over batches of 512 shares its columns out, with the same bits", (t) => {
  // Ten classes, each example labelled by the largest of its first ten features: at two threads the
  // output layer's softmax runs in column halves on the team (256 examples each); the last batch
  // (76 examples) stays on one thread.
  const { X } = signTask(50, 1100, 8);
  const classes = 10;
  const labels = new Float64Array(classes * X.cols);
  for (let j = 0; j < X.cols; j++) {
    let best = 0;
    for (let i = 1; i < classes; i++) if (X.get(i, j) > X.get(best, j)) best = i;
    labels[best * X.cols + j] = 1;
  }
  sameBitsAtOneAndTwoThreads(
    t,
    { X, Y: new Matrix(classes, X.cols, labels) },
    9,
    { epochs: 2, batchSize: 512, shuffleSeed: 4, learningRate: 1e-3, optimizer: { name: "adam" } },
    [50, 32, classes],
    "softmax",
  );
});

multiCore(
  "mini-batch layers of 64 x 512 share their bias, activation and dropout passes, with the same bits",
  (t) => {
    // 64 rows of a 512-example batch: the forward bias + relu and the backward dropout + relu' run
    // in row halves on the team at two threads; the last batch (76 examples) does not split.
    sameBitsAtOneAndTwoThreads(t, signTask(600, 1100, 4, { labelRow: 1 }), 3, {
      epochs: 2,
      batchSize: 512,
      shuffleSeed: 2,
      learningRate: 1e-3,
      keepProb: 0.8,
      optimizer: { name: "adam" },
    });
  },
);

multiCore("the Gram path's setup and final W1 do not depend on the thread count either", (t) => {
  const two = trainWith(2, { gram: true });
  t.is(two.splitThreads, 2);
  t.deepEqual(two.parameters, trainWith(1, { gram: true }).parameters);
});

test.serial(
  "getNumThreads reports the set count while fitAsync trains, and a change mid-run is safe",
  async (t) => {
    setNumThreads(2);
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

// Shapes big enough to split (over 4 MFLOP): by K (K >= 8 max(M, N)), by rows, by columns, and one
// that OpenBLAS's own pool keeps unless it is split on the team as a mini-batch step splits every
// product. The gemm export splits as a full-batch run would, or with onTeam as a step does.
// The rows and columns shapes are ones where OpenBLAS 0.3.21's float32 kernels give a block other
// bits than the same rows inside the whole product (Haswell at every 16-aligned cut, SkylakeX at
// many), so they fail if the blocks ever follow the thread count.
const splitShapes = [
  { kind: "inner", M: 6, N: 10, K: 40_000 },
  { kind: "rows", M: 3000, N: 8, K: 100 },
  { kind: "columns", M: 8, N: 3000, K: 100 },
  { kind: "OpenBLAS", M: 200, N: 200, K: 60 },
  { kind: "team", M: 200, N: 200, K: 60, onTeam: true },
];

multiCore(
  "split products match the reference for every transpose, alpha and beta, at 1 and 2 threads",
  (t) => {
    const rng = new Rng(17);
    for (const precision of ["float64", "float32"] as const) {
      // Sums of K products: the reference adds in k order, a split in blocks; allow for both.
      const tolerance = precision === "float64" ? 1e-11 : 2e-4;
      const make = (n: number) => rng.normalsIn(precision, n);
      for (const { kind, M, N, K, onTeam } of splitShapes) {
        for (let variant = 0; variant < 4; variant++) {
          const transA = (variant & 1) === 1;
          const transB = (variant & 2) === 2;
          const alpha = rng.pick([1, -0.5]);
          const beta = variant === 3 ? 0 : rng.pick([1, -0.25]);
          const A = make(M * K);
          const B = make(K * N);
          const C0 = make(M * N);
          if (beta === 0) C0.fill(NaN);
          const expected = ref.gemm(transA, transB, M, N, K, alpha, A, B, beta, C0);
          const what = `${precision} ${kind} ${M}x${N}x${K} tA ${transA} tB ${transB} alpha ${alpha} beta ${beta}`;
          const results = [1, 2].map((threads) => {
            setNumThreads(threads);
            const C = C0.slice();
            const shared = native.gemm(C, A, B, M, N, K, transA, transB, alpha, beta, onTeam);
            t.is(shared, kind === "OpenBLAS" ? 0 : threads, `${what}: ${threads} threads shared its blocks`);
            return C;
          });
          const d = ref.worstDifference(results[0]!, expected, tolerance);
          t.true(d.ok, `${what}: C[${d.index}] is ${d.actual}, reference ${d.expected}`);
          // OpenBLAS's own threading may move an element's sum to a different edge kernel, so only the
          // products blasnet splits itself are promised the same bits at every thread count.
          if (kind !== "OpenBLAS") t.deepEqual(results[1], results[0], `${what}: 2 threads differ from 1`);
        }
      }
    }
  },
);
