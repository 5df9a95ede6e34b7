// Child process of fuzz.test.ts: calls every public function and method with seeded junk, mostly
// valid calls with one or two arguments (or one option, key or matrix) replaced. Every call must
// return or throw (or reject with) an Error; prints one summary JSON line and exits 0.
// The junk numbers leave out values that are valid but huge (a billion iterations, a 2^31 - 1
// row matrix): those are legitimate requests for hours of work or gigabytes, not bad input.
// Usage: fuzz-public.ts [seed] [calls]
import * as blasnet from "../../lib/index.js";
import { Matrix, type MatrixDict, Model, RandomState } from "../../lib/index.js";
import { type FuzzSummary, Junk, fuzzCall, newSummary } from "../helpers/junk.js";

const seed = Number(process.argv[2] ?? 1);
const calls = Number(process.argv[3] ?? 5000);
const EXPECTED = ["TypeError", "RangeError", "Error", "AbortError", "JunkError"];
const NUMBERS = [
  -1,
  0,
  1,
  2,
  3,
  7,
  65,
  0.5,
  -0,
  NaN,
  Infinity,
  -Infinity,
  2 ** 53,
  1e300,
  2 ** 31 + 0.5,
  -(2 ** 31),
];

const junk = new Junk(seed, NUMBERS, false);
const rng = junk.rng;
const originalThreads = blasnet.getNumThreads();
const originalLimit = blasnet.memoryInfo().limit;

const n = () => rng.int(1, 5);
const normals = (rows: number, cols: number) => new Matrix(rows, cols, rng.normals(rows * cols));
const labels = (m: number) =>
  new Matrix(
    1,
    m,
    Float64Array.from({ length: m }, () => (rng.bool() ? 1 : 0)),
  );
const probabilities = (m: number) => new Matrix(1, m, rng.uniforms(m, 0.05, 0.95));
const act = () => rng.pick(["relu", "sigmoid"] as const);

/** A random small network and data for it. */
function network() {
  const dims = [n(), ...Array.from({ length: rng.int(0, 2) }, n), 1];
  const m = n();
  const parameters = blasnet.initializeParametersDeep(dims, { seed: rng.int(0, 99) });
  const X = normals(dims[0]!, m);
  return { dims, m, parameters, X, Y: labels(m) };
}

/** Junk shaped like a Matrix: look-alikes, detached data, NaN, shapes that change between reads. */
function matrixVariant(source: Matrix): unknown {
  switch (rng.int(0, 7)) {
    case 0: {
      const m = source.clone();
      structuredClone(m.data.buffer, { transfer: [m.data.buffer] });
      return m;
    }
    case 1:
      return { rows: source.rows, cols: source.cols, data: new Float32Array(source.data.length) };
    case 2: {
      // A look-alike whose rows alternate between two small values on every read.
      let reads = 0;
      return {
        get rows() {
          return reads++ % 2 === 0 ? source.rows : source.rows + 1;
        },
        cols: source.cols,
        data: source.data.slice(),
      };
    }
    case 3: {
      const m = source.clone();
      m.data[rng.int(0, m.data.length - 1)] = rng.pick([NaN, Infinity, -Infinity, 2, -1]);
      return m;
    }
    case 4:
      return normals(source.cols, source.rows);
    case 5:
      return source.toArray();
    case 6:
      return { rows: source.rows, cols: source.cols, data: new Float64Array(source.data.length + 1) };
    default:
      return junk.value();
  }
}

/** A copy of a dictionary with one key removed, added or replaced by junk. */
function dictVariant(dict: Record<string, unknown>): unknown {
  const out = { ...dict };
  const keys = Object.keys(out);
  const key = rng.pick([...keys, "W9", "b0", "dW9", "junk"]);
  switch (rng.int(0, 2)) {
    case 0:
      delete out[key];
      break;
    case 1:
      out[key] = out[key] instanceof Matrix ? matrixVariant(out[key] as Matrix) : junk.value();
      break;
    default:
      out[key] = Matrix.zeros(n(), n());
  }
  return out;
}

function variant(v: unknown): unknown {
  if (v instanceof Matrix) return matrixVariant(v);
  if (Array.isArray(v) && v.length > 0 && rng.bool()) {
    const copy = [...v];
    const i = rng.int(0, copy.length - 1);
    copy[i] = copy[i] instanceof Matrix ? matrixVariant(copy[i]) : rng.bool() ? junk.number() : junk.value();
    return copy;
  }
  if (typeof v === "object" && v !== null && !Array.isArray(v) && rng.bool(0.8)) {
    return dictVariant(v as Record<string, unknown>);
  }
  return rng.bool() ? junk.number() : junk.value();
}

const fitOptions = () => ({
  learningRate: rng.pick([0.01, 0.1]),
  iterations: rng.int(0, 7),
  costEvery: rng.int(1, 3),
  ...(rng.bool(0.3) ? { onCost: () => undefined } : {}),
  ...(rng.bool(0.2) ? { gram: rng.pick([true, false, "auto"] as const) } : {}),
});

/** Each public function or method: a name and a builder of [call, valid args]. */
type Target = () => { call: (...args: unknown[]) => unknown; args: unknown[] };
const fn = (f: unknown) => f as (...args: unknown[]) => unknown;

const targets: Record<string, Target> = {
  "new Matrix": () => {
    const [r, c] = [n(), n()];
    return {
      call: (...a) => new Matrix(...(a as [number, number, Float64Array])),
      args: [r, c, new Float64Array(r * c)],
    };
  },
  "Matrix.from": () => ({ call: fn(Matrix.from), args: [normals(n(), n()).toArray()] }),
  "Matrix.zeros": () => ({ call: fn(Matrix.zeros), args: [n(), n()] }),
  "matrix.get": () => {
    const m = normals(n(), n());
    return {
      call: (...a) => m.get(...(a as [number, number])),
      args: [rng.int(0, m.rows - 1), rng.int(0, m.cols - 1)],
    };
  },
  "new RandomState": () => ({
    call: (...a) => new RandomState(...(a as [number])),
    args: [rng.int(0, 2 ** 32 - 1)],
  }),
  "randomState.randn": () => {
    const rs = new RandomState(1);
    return { call: (...a) => rs.randn(...(a as [number, number])), args: [n(), n()] };
  },
  "randomState.randomSample": () => {
    const rs = new RandomState(2);
    return { call: (...a) => rs.randomSample(...(a as [number, number])), args: [n(), n()] };
  },
  "randomState.randomSampleArray": () => {
    const rs = new RandomState(3);
    return { call: (...a) => rs.randomSampleArray(...(a as [number])), args: [n()] };
  },
  "randomState.randnArray": () => {
    const rs = new RandomState(4);
    return { call: (...a) => rs.randnArray(...(a as [number])), args: [n()] };
  },
  initializeParameters: () => ({ call: fn(blasnet.initializeParameters), args: [n(), n(), 1, { seed: 1 }] }),
  initializeParametersDeep: () => ({
    call: fn(blasnet.initializeParametersDeep),
    args: [[n(), n(), 1], { seed: 2, init: rng.pick(["small", "fan-in", "he"]) }],
  }),
  linearForward: () => {
    const [o, i, m] = [n(), n(), n()];
    return { call: fn(blasnet.linearForward), args: [normals(i, m), normals(o, i), normals(o, 1)] };
  },
  linearActivationForward: () => {
    const [o, i, m] = [n(), n(), n()];
    return {
      call: fn(blasnet.linearActivationForward),
      args: [normals(i, m), normals(o, i), normals(o, 1), act()],
    };
  },
  lModelForward: () => {
    const net = network();
    return { call: fn(blasnet.lModelForward), args: [net.X, net.parameters] };
  },
  relu: () => ({ call: fn(blasnet.relu), args: [normals(n(), n())] }),
  sigmoid: () => ({ call: fn(blasnet.sigmoid), args: [normals(n(), n())] }),
  computeCost: () => {
    const m = n();
    return { call: fn(blasnet.computeCost), args: [probabilities(m), labels(m)] };
  },
  linearBackward: () => {
    const [o, i, m] = [n(), n(), n()];
    return {
      call: fn(blasnet.linearBackward),
      args: [normals(o, m), { A: normals(i, m), W: normals(o, i), b: normals(o, 1) }],
    };
  },
  reluBackward: () => {
    const [r, c] = [n(), n()];
    return { call: fn(blasnet.reluBackward), args: [normals(r, c), normals(r, c)] };
  },
  sigmoidBackward: () => {
    const [r, c] = [n(), n()];
    return { call: fn(blasnet.sigmoidBackward), args: [normals(r, c), normals(r, c)] };
  },
  linearActivationBackward: () => {
    const [o, i, m] = [n(), n(), n()];
    const cache = { linear: { A: normals(i, m), W: normals(o, i), b: normals(o, 1) }, Z: normals(o, m) };
    return { call: fn(blasnet.linearActivationBackward), args: [normals(o, m), cache, act()] };
  },
  lModelBackward: () => {
    const net = network();
    const { AL, caches } = blasnet.lModelForward(net.X, net.parameters);
    return { call: fn(blasnet.lModelBackward), args: [AL, net.Y, caches] };
  },
  updateParameters: () => {
    const net = network();
    const grads: MatrixDict = {};
    for (const [key, value] of Object.entries(net.parameters))
      grads[`d${key}`] = normals(value.rows, value.cols);
    return { call: fn(blasnet.updateParameters), args: [net.parameters, grads, rng.pick([0.01, 0.5])] };
  },
  // ------------------------------------------------------------ the trainer's functional API
  "randomState.permutation": () => {
    const rs = new RandomState(5);
    return { call: (...a) => rs.permutation(...(a as [number])), args: [rng.int(0, 50)] };
  },
  "randomState.dropoutMask": () => {
    const rs = new RandomState(6);
    return {
      call: (...a) => rs.dropoutMask(...(a as [number, number, number])),
      args: [n(), n(), rng.pick([0.5, 1])],
    };
  },
  randomMiniBatches: () => {
    const net = network();
    return { call: fn(blasnet.randomMiniBatches), args: [net.X, net.Y, rng.int(1, 4), rng.int(0, 9)] };
  },
  tanh: () => ({ call: fn(blasnet.tanh), args: [normals(n(), n())] }),
  leakyRelu: () => ({ call: fn(blasnet.leakyRelu), args: [normals(n(), n())] }),
  softmax: () => ({ call: fn(blasnet.softmax), args: [normals(n(), n())] }),
  tanhBackward: () => {
    const [r, c] = [n(), n()];
    return { call: fn(blasnet.tanhBackward), args: [normals(r, c), normals(r, c)] };
  },
  leakyReluBackward: () => {
    const [r, c] = [n(), n()];
    return { call: fn(blasnet.leakyReluBackward), args: [normals(r, c), normals(r, c)] };
  },
  initializeVelocity: () => ({ call: fn(blasnet.initializeVelocity), args: [network().parameters] }),
  initializeAdam: () => ({ call: fn(blasnet.initializeAdam), args: [network().parameters] }),
  updateParametersWithMomentum: () => {
    const { parameters } = network();
    const v = blasnet.initializeVelocity(parameters);
    return { call: fn(blasnet.updateParametersWithMomentum), args: [parameters, v, v, 0.9, 0.01] };
  },
  updateParametersWithAdam: () => {
    const { parameters } = network();
    const { v, s } = blasnet.initializeAdam(parameters);
    return { call: fn(blasnet.updateParametersWithAdam), args: [parameters, v, v, s, rng.int(1, 9)] };
  },
  "lModelForward (trainer options)": () => {
    const net = network();
    const options = {
      hidden: rng.pick(["relu", "tanh", "leakyRelu"]),
      keepProb: rng.pick([0.5, 1]),
      rng: new RandomState(1),
    };
    return { call: fn(blasnet.lModelForward), args: [net.X, net.parameters, options] };
  },
  "computeCost (trainer options)": () => {
    const net = network();
    const options = { parameters: net.parameters, l2: rng.pick([0, 0.7]) };
    return { call: fn(blasnet.computeCost), args: [probabilities(net.m), net.Y, options] };
  },
  "lModelBackward (trainer options)": () => {
    const net = network();
    const keepProb = rng.pick([0.5, 1]);
    const { AL, caches } = blasnet.lModelForward(net.X, net.parameters, { keepProb });
    return { call: fn(blasnet.lModelBackward), args: [AL, net.Y, caches, { keepProb, l2: 0.1 }] };
  },
  gradientCheck: () => {
    const net = network();
    return { call: fn(blasnet.gradientCheck), args: [net.parameters, net.X, net.Y, { hidden: "tanh" }] };
  },
  oneHot: () => ({ call: fn(blasnet.oneHot), args: [[0, 1, 2].slice(0, rng.int(1, 3)), 3] }),
  "new Model": () => ({
    call: (...a) => new Model(...(a as [number[]])),
    args: [[n(), n(), 1], { seed: rng.int(0, 9), dtype: rng.pick(["float64", "float32"]) }],
  }),
  "Model.fromParameters": () => ({
    call: fn(Model.fromParameters),
    args: [network().parameters, { dtype: rng.pick(["float64", "float32"]) }],
  }),
  "model.fit": () => {
    const net = network();
    const model = new Model(net.dims, { dtype: rng.pick(["float64", "float32"]) });
    return {
      call: (...a) => model.fit(...(a as Parameters<Model["fit"]>)),
      args: [net.X, net.Y, fitOptions()],
    };
  },
  "model.fitAsync": () => {
    const net = network();
    const model = new Model(net.dims, { dtype: rng.pick(["float64", "float32"]) });
    const options = {
      ...fitOptions(),
      ...(rng.bool(0.2) ? { signal: rng.bool() ? AbortSignal.abort() : new AbortController().signal } : {}),
      ...(rng.bool(0.2) ? { onProgress: () => undefined } : {}),
    };
    return {
      call: (...a) => model.fitAsync(...(a as Parameters<Model["fitAsync"]>)),
      args: [net.X, net.Y, options],
    };
  },
  "model.predict": () => {
    const net = network();
    const model = Model.fromParameters(net.parameters);
    return { call: (...a) => model.predict(...(a as [Matrix])), args: [net.X] };
  },
  "model.cost": () => {
    const net = network();
    const model = Model.fromParameters(net.parameters);
    return { call: (...a) => model.cost(...(a as [Matrix, Matrix])), args: [net.X, net.Y] };
  },
  "model.parameters": () => {
    const model = new Model([n(), n(), 1]);
    return { call: () => model.parameters, args: [] };
  },
  predict: () => {
    const net = network();
    return { call: fn(blasnet.predict), args: [net.X, net.parameters] };
  },
  accuracy: () => {
    const m = n();
    return { call: fn(blasnet.accuracy), args: [labels(m), labels(m)] };
  },
  twoLayerModel: () => {
    const net = network();
    return {
      call: fn(blasnet.twoLayerModel),
      args: [net.X, net.Y, [net.dims[0], n(), 1], { numIterations: rng.int(1, 7), seed: 1 }],
    };
  },
  lLayerModel: () => {
    const net = network();
    return {
      call: fn(blasnet.lLayerModel),
      args: [net.X, net.Y, net.dims, { numIterations: rng.int(1, 7) }],
    };
  },
  setNumThreads: () => ({ call: fn(blasnet.setNumThreads), args: [rng.int(1, 2)] }),
  getNumThreads: () => ({ call: fn(blasnet.getNumThreads), args: [] }),
  blasInfo: () => ({ call: fn(blasnet.blasInfo), args: [] }),
  setMemoryLimit: () => ({ call: fn(blasnet.setMemoryLimit), args: [rng.pick([0, 2 ** 20, 2 ** 53 - 1])] }),
  memoryInfo: () => ({ call: fn(blasnet.memoryInfo), args: [] }),
};

const summary: FuzzSummary = newSummary(seed);
const names = Object.keys(targets);
for (const name of names) summary.byExport[name] = { calls: 0, ok: 0, errors: 0 };
const inFlight = new Set<Promise<void>>();

for (let i = 0; i < calls; i++) {
  const name = names[i % names.length]!;
  const { call, args: validArgs } = targets[name]!();
  let args = validArgs;
  const mode = rng.next();
  if (mode < 0.1) {
    args = Array.from({ length: rng.int(0, 5) }, () => junk.value());
  } else if (mode > 0.3) {
    args = [...validArgs];
    for (let k = rng.int(1, 2); k > 0; k--) {
      const j = rng.int(0, Math.max(0, args.length - 1));
      try {
        args[j] = variant(args[j]);
      } catch {
        // args[j] was junk already (a proxy or throwing getters): replace it outright.
        args[j] = junk.value();
      }
    }
  }
  await fuzzCall(
    summary,
    name,
    () => call(...args),
    EXPECTED,
    inFlight,
    () => {
      if (name === "setNumThreads") blasnet.setNumThreads(originalThreads);
      if (name === "setMemoryLimit") blasnet.setMemoryLimit(originalLimit);
    },
  );
}
await Promise.all(inFlight);
blasnet.setNumThreads(originalThreads);
blasnet.setMemoryLimit(originalLimit);
process.stdout.write(`${JSON.stringify(summary)}\n`);
