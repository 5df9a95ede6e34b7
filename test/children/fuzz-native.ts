// Child process of fuzz.test.ts: calls every export of the raw binding thousands of times with
// seeded junk, mostly as valid calls with one to three parts replaced (so every check is reached),
// sometimes unchanged (so the work itself runs), sometimes pure junk. Every call must return or
// throw an Error; async exports are awaited with a bounded number in flight. Prints one summary
// JSON line and exits 0; a crash ends it with a signal instead.
// Usage: fuzz-native.ts [seed] [calls]
import { native } from "../../lib/native.js";
import { type StepSettings, stepPlan } from "../../lib/fit.js";
import { buildPlan } from "../../lib/plan.js";
import { Junk, type FuzzSummary, fuzzCall, newSummary } from "../helpers/junk.js";
import type { Rng } from "../helpers/prng.js";

const seed = Number(process.argv[2] ?? 1);
const calls = Number(process.argv[3] ?? 20_000);
const EXPECTED = ["TypeError", "RangeError", "JunkError"];

const junk = new Junk(seed);
const rng = junk.rng;
const raw = native as unknown as Record<string, (...args: unknown[]) => unknown>;
const originalThreads = native.getNumThreads();
const originalLimit = native.memoryInfo().limit;

type Make = (n: number) => Float64Array | Float32Array;
const size = () => rng.int(1, 6);
const precision = (): Make => (rng.bool(0.7) ? (n) => new Float64Array(n) : (n) => new Float32Array(n));
const filled = (make: Make, n: number, lo = -1, hi = 1) => {
  const a = make(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng.next();
  return a;
};
/** An elementwise activation code (softmax, 4, only in the linear steps). */
const act = () => rng.int(0, 3);

/** W and b filled at random, dW and db zero, for layers `dims`. */
function randomWeights(make: Make, dims: readonly number[]) {
  const layers = dims.slice(1).map((n, i) => ({ n, nIn: dims[i]! }));
  return {
    W: layers.map(({ n, nIn }) => filled(make, n * nIn)),
    b: layers.map(({ n }) => filled(make, n)),
    dW: layers.map(({ n, nIn }) => make(n * nIn)),
    db: layers.map(({ n }) => make(n)),
  };
}

function plan(make: Make, gram: boolean) {
  const dims = [size(), ...Array.from({ length: rng.int(0, 2) }, size), size()];
  const m = gram ? rng.int(1, 6) : size();
  const weights = randomWeights(make, dims);
  const dtype = make(0) instanceof Float32Array ? "float32" : "float64";
  const X = filled(make, dims[0]! * m);
  const Y = filled(make, dims.at(-1)! * m, 0, 1);
  return { ...buildPlan(dtype, dims, weights, X, Y, m, gram) } as Record<string, unknown>;
}

/** A mini-batch engine plan (lib/fit.ts stepPlan) with seeded settings, and its step arguments. */
function stepCall(): unknown[] {
  const make = precision();
  const softmax = rng.bool();
  const dims = [size(), ...Array.from({ length: rng.int(0, 2) }, size), softmax ? rng.int(2, 4) : 1];
  const m = size();
  const weights = randomWeights(make, dims);
  const dtype = make(0) instanceof Float32Array ? "float32" : "float64";
  const X = filled(make, dims[0]! * m);
  const C = dims.at(-1)!;
  const Y = make(C * m);
  for (let j = 0; j < m; j++) Y[(softmax ? rng.int(0, C - 1) : 0) * m + j] = softmax ? 1 : rng.int(0, 1);
  const batchSize = rng.int(1, m);
  const settings = {
    learningRate: rng.pick([0.01, 0.1]),
    epochs: 1,
    batchSize,
    shuffle: rng.bool(),
    shuffleSeed: 0,
    optimizer: rng.pick(["gd", "momentum", "adam"] as const),
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    l2: rng.pick([0, 0.1]),
    keepProb: rng.pick([1, 0.8]),
    dropoutSeed: rng.int(0, 9),
    costEvery: 1,
    iterations: false,
  } as StepSettings;
  const model = {
    hidden: rng.pick(["relu", "tanh", "leakyRelu"] as const),
    output: softmax ? ("softmax" as const) : ("sigmoid" as const),
  };
  // A gathering run may read its batches from X^T instead of X, as Model's runs do.
  const fromRows = (batchSize < m || settings.shuffle) && rng.bool();
  const XT = make(X.length);
  for (let i = 0; i < dims[0]!; i++) for (let j = 0; j < m; j++) XT[j * dims[0]! + i] = X[i * m + j]!;
  const inputs = fromRows ? { X: null, XT } : { X, XT: null };
  const p = stepPlan(dtype, dims, weights, inputs, Y, m, settings, model, "fuzz");
  const batches = Math.ceil(m / batchSize);
  const first = rng.int(0, batches - 1);
  const count = rng.int(1, batches - first);
  const cancel = rng.bool() ? null : new Int32Array(1);
  return [
    { ...p } as Record<string, unknown>,
    first,
    count,
    new Float64Array(1),
    new Float64Array(count),
    cancel,
  ];
}

function runArgs(): unknown[] {
  const count = rng.int(1, 12);
  const cancel = rng.bool() ? null : new Int32Array(rng.bool(0.9) ? 1 : 2);
  return [rng.pick([0.01, 0.1, 0.5]), count, rng.int(0, 5), rng.int(1, 5), new Float64Array(count), cancel];
}

function mtState(): [Uint32Array, Int32Array] {
  const state = new Uint32Array(624);
  const pos = new Int32Array(1);
  native.mtSeed(state, pos, rng.int(0, 1000));
  pos[0] = rng.int(0, 624);
  return [state, pos];
}

/** Valid arguments for each export, for small random shapes. */
const valid: Record<string, (r: Rng) => unknown[]> = {
  gemm: () => {
    const [M, N, K] = [size(), size(), size()];
    const make = precision();
    return [
      make(M * N),
      filled(make, M * K),
      filled(make, K * N),
      M,
      N,
      K,
      rng.bool(),
      rng.bool(),
      1,
      rng.pick([0, 1]),
    ];
  },
  linearForward: () => {
    const [o, i, m] = [size(), size(), size()];
    const make = precision();
    return [make(o * m), filled(make, o * i), filled(make, i * m), filled(make, o), o, i, m];
  },
  linearActivationForward: () => {
    const [o, i, m] = [size(), size(), size()];
    const make = precision();
    return [
      make(o * m),
      make(o * m),
      filled(make, o * i),
      filled(make, i * m),
      filled(make, o),
      o,
      i,
      m,
      rng.int(0, 4),
    ];
  },
  activationForward: () => {
    const n = size() * size();
    const make = precision();
    return [make(n), filled(make, n, -5, 5), n, act()];
  },
  activationBackward: () => {
    const n = size() * size();
    const make = precision();
    return [make(n), filled(make, n), filled(make, n, -5, 5), n, act()];
  },
  linearBackward: () => {
    const [o, i, m] = [size(), size(), size()];
    const make = precision();
    return [
      rng.bool(0.8) ? make(i * m) : null,
      make(o * i),
      make(o),
      filled(make, o * m),
      filled(make, i * m),
      filled(make, o * i),
      o,
      i,
      m,
    ];
  },
  linearActivationBackward: () => {
    const [o, i, m] = [size(), size(), size()];
    const make = precision();
    return [
      rng.bool(0.8) ? make(i * m) : null,
      make(o * i),
      make(o),
      make(o * m),
      filled(make, o * m),
      filled(make, o * m),
      filled(make, i * m),
      filled(make, o * i),
      o,
      i,
      m,
      act(),
    ];
  },
  crossEntropyCost: () => {
    const m = size() * size();
    const make = precision();
    return [filled(make, m, 0.01, 0.99), filled(make, m, 0, 1), m];
  },
  sgdUpdate: () => {
    const n = size() * size();
    const make = precision();
    return [filled(make, n), filled(make, n), rng.pick([0.01, 0.5]), n];
  },
  setNumThreads: () => [rng.int(1, 2)],
  getNumThreads: () => [],
  blasInfo: () => [],
  // Small amounts, so reservations never fill the limit; release more than reserved must throw.
  memoryReserve: () => [rng.int(0, 4096)],
  memoryRelease: () => [rng.int(0, 64)],
  memoryFits: () => [rng.pick([0, 1, 2 ** 40, 2 ** 53 - 1])],
  setMemoryLimit: () => [rng.pick([0, 1024, 2 ** 53 - 1])],
  initMemoryLimit: () => [rng.pick([0, 1024, 2 ** 53 - 1])],
  memoryInfo: () => [],
  trainIterations: () => [plan(precision(), rng.bool(0.3)), ...runArgs()],
  trainIterationsAsync: () => [plan(precision(), rng.bool(0.3)), ...runArgs()],
  trainSteps: () => stepCall(),
  trainStepsAsync: () => stepCall(),
  gramBegin: () => [plan(precision(), true)],
  gramMaterialize: () => [plan(precision(), true)],
  mtSeed: () => [new Uint32Array(624), new Int32Array(1), rng.int(0, 2 ** 32 - 1)],
  mtRandomSample: () => [...mtState(), new Float64Array(rng.pick([0, 1, 5, 700]))],
  mtRandn: () => [
    ...mtState(),
    Float64Array.of(rng.int(0, 1), rng.normal()),
    new Float64Array(rng.pick([0, 1, 5, 700])),
  ],
  mtPermutation: () => [...mtState(), new Int32Array(rng.pick([0, 1, 2, 5, 700]))],
  mtDropoutMask: () => [...mtState(), precision()(rng.pick([0, 1, 5, 700])), rng.pick([0.5, 0.86, 1])],
  softmaxForward: () => {
    const [r, c] = [size(), size()];
    const make = precision();
    return [make(r * c), filled(make, r * c, -50, 50), r, c];
  },
  softmaxCrossEntropyCost: () => {
    const [C, m] = [size(), size()];
    const make = precision();
    return [filled(make, C * m, 0.01, 1), filled(make, C * m, 0, 1), C, m];
  },
  sumSquares: () => {
    const n = size() * size();
    return [filled(precision(), n), n];
  },
  addScaled: () => {
    const n = size() * size();
    const make = precision();
    return [filled(make, n), filled(make, n), rng.pick([0, 0.01, 0.7]), n];
  },
  momentumUpdate: () => {
    const n = size() * size();
    const make = precision();
    return [filled(make, n), filled(make, n), filled(make, n), rng.pick([0, 0.9]), rng.pick([0.01, 0.5]), n];
  },
  adamUpdate: () => {
    const n = size() * size();
    const make = precision();
    return [
      filled(make, n),
      filled(make, n),
      filled(make, n, 0, 1),
      filled(make, n),
      rng.int(1, 100),
      rng.pick([0.01, 0.001]),
      rng.pick([0, 0.9]),
      rng.pick([0, 0.999]),
      rng.pick([1e-8, 1e-4]),
      n,
    ];
  },
  dropoutApply: () => {
    const n = size() * size();
    const make = precision();
    return [filled(make, n), filled(make, n, 0, 1).map(Math.round), rng.pick([0.5, 0.86, 1]), n];
  },
  gatherColumns: () => {
    const [r, c, count] = [size(), size(), size()];
    const make = precision();
    const idx = Int32Array.from({ length: count }, () => rng.int(0, c - 1));
    return [make(r * count), filled(make, r * c), idx, r, c, count];
  },
  transposeInto: () => {
    const [r, c] = [size(), size()];
    return [precision()(r * c), filled((n) => new Float64Array(n), r * c), r, c];
  },
};

function argsFor(name: string): unknown[] {
  const builder = valid[name];
  const mode = rng.next();
  if (builder === undefined || mode < 0.15) {
    return Array.from({ length: rng.int(0, 12) }, () => junk.value());
  }
  let args = builder(rng);
  if (mode < 0.3) return args;
  for (let k = rng.int(1, 3); k > 0; k--) args = junk.mutate(args);
  return args;
}

const summary: FuzzSummary = newSummary(seed);
const names = Object.keys(native);
for (const name of names) summary.byExport[name] = { calls: 0, ok: 0, errors: 0 };
const inFlight = new Set<Promise<void>>();

for (let i = 0; i < calls; i++) {
  const name = names[i % names.length]!;
  const args = argsFor(name);
  await fuzzCall(
    summary,
    name,
    () => raw[name]!(...args),
    EXPECTED,
    inFlight,
    () => {
      if (name === "setNumThreads") native.setNumThreads(originalThreads);
      if (name === "setMemoryLimit" || name === "initMemoryLimit") native.setMemoryLimit(originalLimit);
    },
  );
}
await Promise.all(inFlight);
native.setNumThreads(originalThreads);
native.setMemoryLimit(originalLimit);
process.stdout.write(`${JSON.stringify(summary)}\n`);
