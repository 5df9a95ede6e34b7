// Property tests: for hundreds of random small shapes (seeded), every native kernel agrees with the
// plain TypeScript reference loops of test/helpers/reference.ts, in float64 (1e-12 * max(1, |ref|))
// and float32 (1e-4 * max(1, |ref|)); and whole training iterations, generic and Gram path, agree
// with the reference iteration loop. The trainer's kernels (softmax, momentum, Adam, dropout, ...) too.

import test, { type ExecutionContext } from "ava";
import { ActivationCode, type FloatArray, native } from "../lib/native.js";
import { allocate, buildPlan } from "../lib/plan.js";
import { Rng } from "./helpers/prng.js";
import { ReferenceRandomState } from "./helpers/random-reference.js";
import * as ref from "./helpers/reference.js";

const SHAPES = 200;
const F64_TOLERANCE = 1e-12;
const F32_TOLERANCE = 1e-4;

type Precision = "float64" | "float32";

/** One comparison of a native output with its reference. */
interface Check {
  what: string;
  actual: ArrayLike<number>;
  expected: ArrayLike<number>;
}

/** A dim in 1..9. */
const dim = (rng: Rng) => rng.int(1, 9);

/**
 * Runs `trial` on SHAPES seeded random shapes and fails on the first output outside tolerance,
 * naming the trial, the output, its worst index and both values.
 */
function property(
  t: ExecutionContext,
  seed: number,
  precision: Precision,
  trial: (rng: Rng, trialIndex: number) => { shape: string; checks: Check[] },
): void {
  const tolerance = precision === "float64" ? F64_TOLERANCE : F32_TOLERANCE;
  const rng = new Rng(seed);
  let compared = 0;
  for (let i = 0; i < SHAPES; i++) {
    const { shape, checks } = trial(rng, i);
    for (const check of checks) {
      const d = ref.worstDifference(check.actual, check.expected, tolerance);
      compared += check.expected.length;
      if (!d.ok) {
        t.fail(
          `trial ${i} (${shape}): ${check.what}[${d.index}] is ${d.actual}, reference ${d.expected}; ` +
            `|diff| ${d.diff} > ${d.allowed}`,
        );
        return;
      }
    }
  }
  t.log(`${SHAPES} shapes, ${compared} values within ${tolerance} * max(1, |ref|)`);
  t.pass();
}

const precisions: Precision[] = ["float64", "float32"];

for (const precision of precisions) {
  const seed = precision === "float64" ? 1 : 2;

  test(`gemm matches the reference for all four transposes, alpha and beta (${precision})`, (t) => {
    property(t, seed, precision, (rng, i) => {
      const [M, N, K] = [dim(rng), dim(rng), dim(rng)];
      const transA = (i & 1) === 1;
      const transB = (i & 2) === 2;
      const alpha = rng.pick([1, -1, 0.5, rng.normal()]);
      const beta = rng.pick([0, 1, -0.25, rng.normal()]);
      const A = rng.normalsIn(precision, M * K);
      const B = rng.normalsIn(precision, K * N);
      const C = rng.normalsIn(precision, M * N);
      const expected = ref.gemm(transA, transB, M, N, K, alpha, A, B, beta, C);
      native.gemm(C, A, B, M, N, K, transA, transB, alpha, beta);
      return {
        shape: `M ${M} N ${N} K ${K} tA ${transA} tB ${transB} a ${alpha} b ${beta}`,
        checks: [{ what: "C", actual: C, expected }],
      };
    });
  });

  test(`gemm with beta = 0 ignores NaN already in C (${precision})`, (t) => {
    property(t, seed + 10, precision, (rng, i) => {
      const [M, N, K] = [dim(rng), dim(rng), dim(rng)];
      const transA = (i & 1) === 1;
      const transB = (i & 2) === 2;
      const A = rng.normalsIn(precision, M * K);
      const B = rng.normalsIn(precision, K * N);
      const C = allocate(precision, M * N).fill(NaN);
      const expected = ref.gemm(transA, transB, M, N, K, 1, A, B, 0, C);
      native.gemm(C, A, B, M, N, K, transA, transB, 1, 0);
      return {
        shape: `M ${M} N ${N} K ${K} tA ${transA} tB ${transB}`,
        checks: [{ what: "C", actual: C, expected }],
      };
    });
  });

  test(`linearForward matches Z = W A + b (${precision})`, (t) => {
    property(t, seed + 20, precision, (rng) => {
      const [nOut, nIn, m] = [dim(rng), dim(rng), dim(rng)];
      const W = rng.normalsIn(precision, nOut * nIn);
      const A = rng.normalsIn(precision, nIn * m);
      const b = rng.normalsIn(precision, nOut);
      const Z = allocate(precision, nOut * m).fill(NaN);
      native.linearForward(Z, W, A, b, nOut, nIn, m);
      const expected = ref.linearForward(W, A, b, nOut, nIn, m);
      return { shape: `nOut ${nOut} nIn ${nIn} m ${m}`, checks: [{ what: "Z", actual: Z, expected }] };
    });
  });

  test(`linearActivationForward matches g(W A + b) for relu and sigmoid (${precision})`, (t) => {
    property(t, seed + 30, precision, (rng, i) => {
      const act = i % 2 === 0 ? "relu" : "sigmoid";
      const [nOut, nIn, m] = [dim(rng), dim(rng), dim(rng)];
      const W = rng.normalsIn(precision, nOut * nIn);
      const APrev = rng.normalsIn(precision, nIn * m);
      const b = rng.normalsIn(precision, nOut);
      const A = allocate(precision, nOut * m);
      const Z = allocate(precision, nOut * m);
      native.linearActivationForward(A, Z, W, APrev, b, nOut, nIn, m, ActivationCode[act]);
      const Zref = ref.linearForward(W, APrev, b, nOut, nIn, m);
      // A is checked against g(native Z), so a rounding of Z near 0 cannot flip relu's branch.
      return {
        shape: `${act} nOut ${nOut} nIn ${nIn} m ${m}`,
        checks: [
          { what: "Z", actual: Z, expected: Zref },
          { what: "A", actual: A, expected: ref.activationForward(Z, act) },
        ],
      };
    });
  });

  test(`activationForward matches relu = max(0, z) and sigmoid = 1 / (1 + exp(-z)) (${precision})`, (t) => {
    property(t, seed + 40, precision, (rng, i) => {
      const act = i % 2 === 0 ? "relu" : "sigmoid";
      const n = dim(rng) * dim(rng);
      const Z = rng.normalsIn(precision, n, 4);
      if (i % 10 === 1) Z[0] = 0;
      const A = allocate(precision, n);
      native.activationForward(A, Z, n, ActivationCode[act]);
      return {
        shape: `${act} n ${n}`,
        checks: [{ what: "A", actual: A, expected: ref.activationForward(Z, act) }],
      };
    });
  });

  test(`activationBackward matches dA * relu'(z) and dA * s * (1 - s) (${precision})`, (t) => {
    property(t, seed + 50, precision, (rng, i) => {
      const act = i % 2 === 0 ? "relu" : "sigmoid";
      const n = dim(rng) * dim(rng);
      const dA = rng.normalsIn(precision, n);
      const Z = rng.normalsIn(precision, n, 4);
      if (i % 10 === 0) Z[0] = 0;
      const dZ = allocate(precision, n);
      native.activationBackward(dZ, dA, Z, n, ActivationCode[act]);
      return {
        shape: `${act} n ${n}`,
        checks: [{ what: "dZ", actual: dZ, expected: ref.activationBackward(dA, Z, act) }],
      };
    });
  });

  test(`linearBackward matches dW = dZ A^T / m, db = row sums / m, dAPrev = W^T dZ (${precision})`, (t) => {
    property(t, seed + 60, precision, (rng, i) => {
      const [nOut, nIn, m] = [dim(rng), dim(rng), dim(rng)];
      const dZ = rng.normalsIn(precision, nOut * m);
      const APrev = rng.normalsIn(precision, nIn * m);
      const W = rng.normalsIn(precision, nOut * nIn);
      const withPrev = i % 3 !== 0;
      const dAPrev = withPrev ? allocate(precision, nIn * m) : null;
      const dW = allocate(precision, nOut * nIn);
      const db = allocate(precision, nOut);
      native.linearBackward(dAPrev, dW, db, dZ, APrev, W, nOut, nIn, m);
      const g = ref.linearBackward(dZ, APrev, W, nOut, nIn, m);
      const checks: Check[] = [
        { what: "dW", actual: dW, expected: g.dW },
        { what: "db", actual: db, expected: g.db },
      ];
      if (dAPrev !== null) checks.push({ what: "dAPrev", actual: dAPrev, expected: g.dAPrev });
      return { shape: `nOut ${nOut} nIn ${nIn} m ${m} dAPrev ${withPrev}`, checks };
    });
  });

  test(`linearActivationBackward matches activation backward then linear backward (${precision})`, (t) => {
    property(t, seed + 70, precision, (rng, i) => {
      const act = i % 2 === 0 ? "relu" : "sigmoid";
      const [nOut, nIn, m] = [dim(rng), dim(rng), dim(rng)];
      const dA = rng.normalsIn(precision, nOut * m);
      const Z = rng.normalsIn(precision, nOut * m, 2);
      const APrev = rng.normalsIn(precision, nIn * m);
      const W = rng.normalsIn(precision, nOut * nIn);
      const dAPrev = i % 5 === 0 ? null : allocate(precision, nIn * m);
      const dW = allocate(precision, nOut * nIn);
      const db = allocate(precision, nOut);
      const dZ = allocate(precision, nOut * m);
      native.linearActivationBackward(dAPrev, dW, db, dZ, dA, Z, APrev, W, nOut, nIn, m, ActivationCode[act]);
      const dZref = ref.activationBackward(dA, Z, act);
      // The linear part is checked on native dZ, so float32 rounding of dZ is not counted twice.
      const g = ref.linearBackward(dZ, APrev, W, nOut, nIn, m);
      const checks: Check[] = [
        { what: "dZ", actual: dZ, expected: dZref },
        { what: "dW", actual: dW, expected: g.dW },
        { what: "db", actual: db, expected: g.db },
      ];
      if (dAPrev !== null) checks.push({ what: "dAPrev", actual: dAPrev, expected: g.dAPrev });
      return { shape: `${act} nOut ${nOut} nIn ${nIn} m ${m}`, checks };
    });
  });

  test(`crossEntropyCost matches -(1/m) sum(y log a + (1 - y) log(1 - a)) (${precision})`, (t) => {
    property(t, seed + 80, precision, (rng, i) => {
      const m = dim(rng) * dim(rng);
      const make = (values: Float64Array): FloatArray =>
        precision === "float64" ? values : Float32Array.from(values);
      const AL = make(rng.uniforms(m, 0.01, 0.99));
      // Hard labels mostly, soft labels in [0, 1] sometimes.
      const Y = make(Float64Array.from({ length: m }, () => (i % 4 === 3 ? rng.next() : rng.bool() ? 1 : 0)));
      const cost = native.crossEntropyCost(AL, Y, m);
      return {
        shape: `m ${m}`,
        checks: [{ what: "cost", actual: [cost], expected: [ref.crossEntropyCost(AL, Y)] }],
      };
    });
  });

  test(`sgdUpdate matches param - learningRate * grad (${precision})`, (t) => {
    property(t, seed + 90, precision, (rng) => {
      const n = dim(rng) * dim(rng);
      const param = rng.normalsIn(precision, n);
      const grad = rng.normalsIn(precision, n);
      const learningRate = rng.pick([0.0075, 0.1, 1, 2.5]);
      const expected = ref.sgdUpdate(param, grad, learningRate);
      native.sgdUpdate(param, grad, learningRate, n);
      return { shape: `n ${n} lr ${learningRate}`, checks: [{ what: "param", actual: param, expected }] };
    });
  });
}

// ------------------------------------------------------------------ whole training iterations

interface RandomNet {
  net: ref.ReferenceNet;
  X: Float64Array;
  Y: Float64Array;
  m: number;
}

/**
 * A random net [n0, ..., 1] with `minHidden`..3 hidden layers, small fan-in-scaled weights, data,
 * and labels in {0, 1} (soft sometimes); m < n0 when `gram`.
 */
function randomNet(rng: Rng, gram: boolean, minHidden = 0, maxHidden = 3): RandomNet {
  const hidden = rng.int(minHidden, maxHidden);
  const n0 = gram ? rng.int(4, 9) : dim(rng);
  const dims = [n0, ...Array.from({ length: hidden }, () => dim(rng)), 1];
  const m = gram ? rng.int(1, n0 - 1) : dim(rng);
  const L = dims.length - 1;
  const W = Array.from({ length: L }, (_, l) =>
    rng.normals(dims[l + 1]! * dims[l]!, 1 / Math.sqrt(dims[l]!)),
  );
  const b = Array.from({ length: L }, (_, l) => rng.normals(dims[l + 1]!, 0.1));
  const soft = rng.bool(0.25);
  const Y = Float64Array.from({ length: m }, () => (soft ? rng.next() : rng.bool() ? 1 : 0));
  return { net: { dims, W, b }, X: rng.normals(n0 * m), Y, m };
}

/** Runs the native engine on a fresh plan of `r`; the Gram path runs gramBegin first and gramMaterialize last. */
function runEngine(
  r: RandomNet,
  dtype: Precision,
  gram: boolean,
  learningRate: number,
  count: number,
  firstIteration: number,
  costEvery: number,
) {
  const convert = (a: Float64Array): FloatArray => (dtype === "float64" ? a.slice() : Float32Array.from(a));
  const weights = {
    W: r.net.W.map(convert),
    b: r.net.b.map(convert),
    dW: r.net.W.map((w) => allocate(dtype, w.length)),
    db: r.net.b.map((v) => allocate(dtype, v.length)),
  };
  const plan = buildPlan(dtype, r.net.dims, weights, convert(r.X), convert(r.Y), r.m, gram);
  const costs = new Float64Array(count);
  if (gram) native.gramBegin(plan);
  const outcome = native.trainIterations(plan, learningRate, count, firstIteration, costEvery, costs, null);
  if (gram) native.gramMaterialize(plan);
  return { outcome, costs, W: weights.W, b: weights.b };
}

function engineProperty(
  t: ExecutionContext,
  seed: number,
  dtype: Precision,
  gram: boolean,
  tolerance: number,
  hidden: [number, number] = [0, 3],
) {
  const rng = new Rng(seed);
  for (let trial = 0; trial < 8; trial++) {
    const r = randomNet(rng, gram, ...hidden);
    const learningRate = rng.pick([0.05, 0.1, 0.3]);
    const count = rng.int(1, 30);
    const firstIteration = rng.int(0, 5);
    const costEvery = rng.int(1, 4);
    const got = runEngine(r, dtype, gram, learningRate, count, firstIteration, costEvery);
    const want = ref.trainIterations(r.net, r.X, r.Y, r.m, learningRate, count, firstIteration, costEvery);
    const shape = `trial ${trial}: dims [${r.net.dims.join(", ")}], m ${r.m}, lr ${learningRate}, ${count} iterations from ${firstIteration}, cost every ${costEvery}`;
    t.is(got.outcome.status, 0, shape);
    t.is(got.outcome.completed, count, shape);
    const checks: Check[] = [{ what: "costs", actual: got.costs, expected: want.costs }];
    got.W.forEach((w, l) => checks.push({ what: `W${l + 1}`, actual: w, expected: want.W[l]! }));
    got.b.forEach((v, l) => checks.push({ what: `b${l + 1}`, actual: v, expected: want.b[l]! }));
    for (const check of checks) {
      const d = ref.worstDifference(check.actual, check.expected, tolerance);
      t.true(
        d.ok,
        `${shape}: ${check.what}[${d.index}] is ${d.actual}, reference ${d.expected}; |diff| ${d.diff} > ${d.allowed}`,
      );
    }
  }
}

test("trainIterations matches the reference iteration loop on random nets (float64, 1e-10)", (t) => {
  engineProperty(t, 101, "float64", false, 1e-10);
});

test("the Gram path (gramBegin, trainIterations, gramMaterialize) matches the reference with m < n0 (float64, 1e-9)", (t) => {
  engineProperty(t, 202, "float64", true, 1e-9, [1, 3]);
});

test("the Gram path matches the reference for a net without hidden layers, [n0, 1] with m < n0 (float64, 1e-9)", (t) => {
  // Layer 1 is then the sigmoid output layer, not a relu layer.
  engineProperty(t, 404, "float64", true, 1e-9, [0, 0]);
});

test("trainIterations matches the reference iteration loop on random nets (float32, 1e-3)", (t) => {
  engineProperty(t, 303, "float32", false, 1e-3);
});

test("the reference iteration loop agrees with the reference kernels it is built from", (t) => {
  // A one-iteration, one-layer spot check of the specification itself: sigmoid output, dZ = AL - Y.
  const net = { dims: [2, 1], W: [Float64Array.of(0.5, -0.25)], b: [Float64Array.of(0.1)] };
  const X = Float64Array.of(1, 2, 3, 4);
  const Y = Float64Array.of(1, 0);
  const out = ref.trainIterations(net, X, Y, 2, 0.1, 1, 0, 1);
  const AL = [ref.sigmoidOf(0.5 * 1 - 0.25 * 3 + 0.1), ref.sigmoidOf(0.5 * 2 - 0.25 * 4 + 0.1)];
  t.is(out.costs[0], ref.crossEntropyCost(AL, Y));
  const dZ = [AL[0]! - 1, AL[1]!];
  t.deepEqual(Array.from(out.W[0]!), [
    0.5 - 0.1 * ((dZ[0]! * 1 + dZ[1]! * 2) / 2),
    -0.25 - 0.1 * ((dZ[0]! * 3 + dZ[1]! * 4) / 2),
  ]);
  t.deepEqual(Array.from(out.b[0]!), [0.1 - 0.1 * ((dZ[0]! + dZ[1]!) / 2)]);
});

// ------------------------------------------------------------------ the trainer's kernels
for (const precision of precisions) {
  const seed = precision === "float64" ? 1001 : 2001;
  /** Values in [lo, hi) of the precision, so the reference reads what the kernel reads. */
  const uniform = (rng: Rng, n: number, lo: number, hi: number): FloatArray => {
    const a = allocate(precision, n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.next();
    return a;
  };

  test(`activationForward/Backward match tanh and leaky relu (${precision})`, (t) => {
    property(t, seed, precision, (rng, i) => {
      const act = i % 2 === 0 ? "tanh" : "leakyRelu";
      const n = dim(rng) * dim(rng);
      const Z = rng.normalsIn(precision, n, 4);
      if (i % 10 === 1) Z[0] = 0;
      const dA = rng.normalsIn(precision, n);
      const A = allocate(precision, n);
      const dZ = allocate(precision, n);
      native.activationForward(A, Z, n, ActivationCode[act]);
      native.activationBackward(dZ, dA, Z, n, ActivationCode[act]);
      return {
        shape: `${act} n ${n}`,
        checks: [
          { what: "A", actual: A, expected: ref.trainerActivation(Z, act) },
          { what: "dZ", actual: dZ, expected: ref.trainerActivationBackward(dA, Z, act) },
        ],
      };
    });
  });

  test(`softmaxForward and the softmax step of linearActivationForward match the column softmax (${precision})`, (t) => {
    property(t, seed + 1, precision, (rng, i) => {
      const [rows, cols, nIn] = [dim(rng), dim(rng), dim(rng)];
      // Every tenth trial scales Z by 300: exp(Z) alone would overflow, the softmax must not.
      const Z = rng.normalsIn(precision, rows * cols, i % 10 === 0 ? 300 : 3);
      const A = allocate(precision, rows * cols);
      native.softmaxForward(A, Z, rows, cols);
      const W = rng.normalsIn(precision, rows * nIn);
      const APrev = rng.normalsIn(precision, nIn * cols);
      const b = rng.normalsIn(precision, rows);
      const A2 = allocate(precision, rows * cols);
      const Z2 = allocate(precision, rows * cols);
      native.linearActivationForward(A2, Z2, W, APrev, b, rows, nIn, cols, ActivationCode.softmax);
      return {
        shape: `rows ${rows} cols ${cols}`,
        checks: [
          { what: "A", actual: A, expected: ref.softmax(Z, rows, cols) },
          { what: "Z (linear step)", actual: Z2, expected: ref.linearForward(W, APrev, b, rows, nIn, cols) },
          { what: "A (linear step)", actual: A2, expected: ref.softmax(Z2, rows, cols) },
        ],
      };
    });
  });

  test(`softmaxCrossEntropyCost, sumSquares and addScaled match their loops (${precision})`, (t) => {
    property(t, seed + 2, precision, (rng) => {
      const [C, m] = [dim(rng), dim(rng)];
      const AL = uniform(rng, C * m, 0.01, 1);
      const Y = allocate(precision, C * m);
      for (let j = 0; j < m; j++) Y[rng.int(0, C - 1) * m + j] = 1;
      const x = rng.normalsIn(precision, C * m);
      const out = rng.normalsIn(precision, C * m);
      const c = rng.pick([0.01, 0.7, -1]);
      const expectedOut = ref.addScaled(out, x, c);
      native.addScaled(out, x, c, out.length);
      return {
        shape: `C ${C} m ${m}`,
        checks: [
          {
            what: "cost",
            actual: [native.softmaxCrossEntropyCost(AL, Y, C, m)],
            expected: [ref.softmaxCrossEntropyCost(AL, Y, m)],
          },
          { what: "sumSquares", actual: [native.sumSquares(x, x.length)], expected: [ref.sumSquares(x)] },
          { what: "addScaled", actual: out, expected: expectedOut },
        ],
      };
    });
  });

  test(`momentumUpdate and adamUpdate match the notebook's formulas (${precision})`, (t) => {
    property(t, seed + 3, precision, (rng) => {
      const n = dim(rng) * dim(rng);
      const param = rng.normalsIn(precision, n);
      const v = rng.normalsIn(precision, n, 0.1);
      const grad = rng.normalsIn(precision, n);
      const beta = rng.pick([0, 0.5, 0.9]);
      const lr = rng.pick([0.01, 0.1]);
      const [p1, v1] = ref.momentum(param, v, grad, beta, lr);
      const mp = param.slice();
      const mv = v.slice();
      native.momentumUpdate(mp, mv, grad, beta, lr, n);
      const s = uniform(rng, n, 0, 1);
      const step = rng.int(1, 50);
      const [b1, b2, eps] = [rng.pick([0.9, 0.5]), rng.pick([0.999, 0.9]), rng.pick([1e-8, 1e-4])];
      const [p2, v2, s2] = ref.adam(param, v, s, grad, step, lr, b1, b2, eps);
      const ap = param.slice();
      const av = v.slice();
      const as = s.slice();
      native.adamUpdate(ap, av, as, grad, step, lr, b1, b2, eps, n);
      return {
        shape: `n ${n} t ${step}`,
        checks: [
          { what: "momentum param", actual: mp, expected: p1! },
          { what: "momentum v", actual: mv, expected: v1! },
          { what: "adam param", actual: ap, expected: p2! },
          { what: "adam v", actual: av, expected: v2! },
          { what: "adam s", actual: as, expected: s2! },
        ],
      };
    });
  });

  test(`dropoutApply and gatherColumns match their loops (${precision})`, (t) => {
    property(t, seed + 4, precision, (rng) => {
      const [rows, cols, count] = [dim(rng), dim(rng), dim(rng)];
      const A = rng.normalsIn(precision, rows * cols);
      const D = allocate(precision, rows * cols).map(() => (rng.bool(0.7) ? 1 : 0));
      const keepProb = rng.pick([0.5, 0.7, 0.86, 1]);
      const expected = ref.dropoutApply(A, D, keepProb);
      native.dropoutApply(A, D, keepProb, A.length);
      const idx = Int32Array.from({ length: count }, () => rng.int(0, cols - 1));
      const X = rng.normalsIn(precision, rows * cols);
      const out = allocate(precision, rows * count);
      native.gatherColumns(out, X, idx, rows, cols, count);
      return {
        shape: `rows ${rows} cols ${cols} count ${count}`,
        checks: [
          { what: "A", actual: A, expected },
          { what: "gather", actual: out, expected: ref.gatherColumns(X, idx, rows, cols) },
        ],
      };
    });
  });
}

test("mtPermutation and mtDropoutMask match the plain-TypeScript RandomState exactly", (t) => {
  const rng = new Rng(77);
  for (let trial = 0; trial < SHAPES; trial++) {
    const seed = rng.int(0, 2 ** 32 - 1);
    const n = rng.int(0, 3000);
    const keepProb = rng.pick([0.3, 0.86, 1]);
    const reference = new ReferenceRandomState(seed);
    const expectedPermutation = reference.permutation(n);
    const expectedMask = Array.from({ length: 50 }, () => (reference.double() < keepProb ? 1 : 0));
    const state = new Uint32Array(624);
    const pos = new Int32Array(1);
    native.mtSeed(state, pos, seed);
    const permutation = new Int32Array(n);
    native.mtPermutation(state, pos, permutation);
    const mask = new Float64Array(50);
    native.mtDropoutMask(state, pos, mask, keepProb);
    if (
      Array.from(permutation).join() !== expectedPermutation.join() ||
      Array.from(mask).join() !== expectedMask.join()
    ) {
      t.fail(`trial ${trial}: seed ${seed}, n ${n}, keepProb ${keepProb} differ from the reference`);
      return;
    }
  }
  t.pass();
});
