// The raw-binding cases of bad-input.test.ts: every native export called with what it must refuse
// (wrong typed-array kinds, wrong lengths, detached buffers, bad dims, codes and plans), plus calls
// that must work (subarray views at an offset give the same result as fresh arrays). The table is
// shared: test/children/native-cases.ts runs it in a child process, the test file asserts the results.
import { native } from "../../lib/native.js";
import { type StepSettings, stepPlan } from "../../lib/fit.js";
import { buildPlan } from "../../lib/plan.js";
import { Rng } from "./prng.js";

/** A call that must throw (or reject with) `error` whose message matches `message`. */
export interface NativeErrorCase {
  name: string;
  call: () => unknown;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
}

/** A call that must succeed; it returns "" when its result is right, else what differed. */
export interface NativeWorkCase {
  name: string;
  call: () => string | Promise<string>;
}

/** The binding without its types, so tests can pass what TypeScript would refuse. */
const raw = native as unknown as Record<string, (...args: unknown[]) => unknown>;

const f64 = (n: number): Float64Array => new Float64Array(n);
const f32 = (n: number): Float32Array => new Float32Array(n);

/** A Float64Array of n values whose buffer has been transferred away (length 0, detached). */
function detached64(n = 4): Float64Array {
  const a = new Float64Array(n);
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

function detachedOf<T extends ArrayBufferView>(a: T): T {
  structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
  return a;
}

/** A copy of `args` with argument i replaced. */
function set(args: unknown[], i: number, value: unknown): unknown[] {
  const copy = [...args];
  copy[i] = value;
  return copy;
}

// Default shapes: nOut = 3, nIn = 4, m = 2.
const LF = (): unknown[] => [f64(6), f64(12), f64(8), f64(3), 3, 4, 2];
const LAF = (act = 0): unknown[] => [f64(6), f64(6), f64(12), f64(8), f64(3), 3, 4, 2, act];
const AF = (): unknown[] => [f64(5), f64(5), 5, 0];
const AB = (): unknown[] => [f64(5), f64(5), f64(5), 5, 1];
const LB = (): unknown[] => [f64(8), f64(12), f64(3), f64(6), f64(8), f64(12), 3, 4, 2];
const LAB = (): unknown[] => [f64(8), f64(12), f64(3), f64(6), f64(6), f64(6), f64(8), f64(12), 3, 4, 2, 0];
const CE = (): unknown[] => [new Float64Array(4).fill(0.5), new Float64Array(4).fill(1), 4];
const SGD = (): unknown[] => [f64(6), f64(6), 0.1, 6];
const GEMM = (): unknown[] => [f64(6), f64(8), f64(12), 2, 3, 4, false, false, 1, 0];
const STATE = (): [Uint32Array, Int32Array] => {
  const state = new Uint32Array(624);
  const pos = new Int32Array(1);
  native.mtSeed(state, pos, 1);
  return [state, pos];
};

type Make = (n: number) => Float64Array | Float32Array;

/**
 * A plan for dims (default [4, 3, 1]) and m examples, every buffer zeroed, laid out by lib/plan.ts
 * (so it follows the engine's layout); `gram` adds the Gram-path buffers.
 */
function plan(dims = [4, 3, 1], m = 2, make: Make = f64, gram = false): Record<string, unknown> {
  const dtype = make(0) instanceof Float32Array ? "float32" : "float64";
  const layers = dims.slice(1).map((n, i) => ({ n, nIn: dims[i] as number }));
  const weights = {
    W: layers.map(({ n, nIn }) => make(n * nIn)),
    b: layers.map(({ n }) => make(n)),
    dW: layers.map(({ n, nIn }) => make(n * nIn)),
    db: layers.map(({ n }) => make(n)),
  };
  const X = make((dims[0] as number) * m);
  const Y = make((dims.at(-1) as number) * m);
  return { ...buildPlan(dtype, dims, weights, X, Y, m, gram) };
}

const runArgs = (count = 3): unknown[] => [0.1, count, 0, 1, new Float64Array(count), null];

/** Calls trainIterations on `p` with run arguments (default: lr 0.1, 3 iterations, costs every one). */
function train(p: unknown, args: unknown[] = runArgs()): unknown {
  return raw.trainIterations!(p, ...args);
}

/** A mini-batch engine plan: dims [3, 4, 1] (or softmax [3, 4, 2]), m = 5, batches of 2, Adam, dropout. */
function stepsPlan(
  softmax = false,
  make: (n: number) => Float64Array | Float32Array = f64,
): Record<string, unknown> {
  const dims = [3, 4, softmax ? 2 : 1];
  const m = 5;
  const rng = new Rng(11);
  const fill = (n: number) => {
    const a = make(n);
    a.set(rng.normals(n).map((v) => v * 0.5));
    return a;
  };
  const weights = {
    W: [fill(12), fill(4 * dims[2]!)],
    b: [make(4), make(dims[2]!)],
    dW: [make(12), make(4 * dims[2]!)],
    db: [make(4), make(dims[2]!)],
  };
  const Y = make(dims[2]! * m);
  for (let j = 0; j < m; j++) Y[softmax ? (j % 2) * m + j : j] = softmax ? 1 : j % 2;
  const settings = {
    learningRate: 0.01,
    epochs: 1,
    batchSize: 2,
    shuffle: true,
    shuffleSeed: 0,
    optimizer: "adam",
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    l2: 0.1,
    keepProb: 0.8,
    dropoutSeed: 1,
    costEvery: 1,
    iterations: false,
  } as StepSettings;
  const dtype = make(0) instanceof Float32Array ? "float32" : "float64";
  const model = { hidden: "tanh" as const, output: softmax ? ("softmax" as const) : ("sigmoid" as const) };
  return { ...stepPlan(dtype, dims, weights, { X: fill(3 * m), XT: null }, Y, m, settings, model, "test") };
}

/** Calls trainSteps on `p`: batches 0..2 of the epoch by default. */
function steps(
  p: unknown,
  args: unknown[] = [0, 3, new Float64Array(1), new Float64Array(3), null],
): unknown {
  return raw.trainSteps!(p, ...args);
}

/** Plan `p` with key replaced (or deleted when value is `DELETE`). */
const DELETE = Symbol("delete");
function withKey(p: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const copy = { ...p };
  if (value === DELETE) delete copy[key];
  else copy[key] = value;
  return copy;
}

/** Plan `p` with element i of list `key` replaced. */
function withItem(
  p: Record<string, unknown>,
  key: string,
  i: number,
  value: unknown,
): Record<string, unknown> {
  const list = [...(p[key] as unknown[])];
  list[i] = value;
  return { ...p, [key]: list };
}

const dims = (name: string, value: string | number) =>
  new RegExp(`^${name}: expected ${value} to be an integer in \\[1, 2\\^31 - 1\\], received `);
const notA = (fn: string, name: string, type: string) =>
  new RegExp(`^${fn}: expected ${name.replace(/[[\]]/g, "\\$&")} to be a ${type}$`);
const holds = (fn: string, name: string, rows: number, cols: number, received: number) =>
  new RegExp(
    `^${fn}: expected ${name} to hold \\[${rows}, ${cols}\\] = ${rows * cols} values, received ${received}$`,
  );
// The linear steps take softmax (4); the elementwise kernels list only 0..3.
const ACT =
  /expected activation code 0 \(relu\), 1 \(sigmoid\), 2 \(tanh\)(?:, 3 \(leakyRelu\) or 4 \(softmax\)| or 3 \(leakyRelu\))/;

export const nativeErrorCases: NativeErrorCase[] = [
  // ------------------------------------------------------------ linearForward
  {
    name: "linearForward: Float32Array W among Float64Arrays",
    call: () => raw.linearForward!(...set(LF(), 1, f32(12))),
    error: TypeError,
    message: notA("linearForward", "W", "Float64Array"),
  },
  {
    name: "linearForward: Float64Array W in a float32 call (Z is a Float32Array)",
    call: () => raw.linearForward!(f32(6), f64(12), f32(8), f32(3), 3, 4, 2),
    error: TypeError,
    message: notA("linearForward", "W", "Float32Array"),
  },
  {
    name: "linearForward: plain array as Z",
    call: () => raw.linearForward!(...set(LF(), 0, [0, 0, 0, 0, 0, 0])),
    error: TypeError,
    message: notA("linearForward", "Z", "Float64Array"),
  },
  {
    name: "linearForward: Int32Array as W",
    call: () => raw.linearForward!(...set(LF(), 1, new Int32Array(12))),
    error: TypeError,
    message: notA("linearForward", "W", "Float64Array"),
  },
  {
    name: "linearForward: null APrev",
    call: () => raw.linearForward!(...set(LF(), 2, null)),
    error: TypeError,
    message: notA("linearForward", "APrev", "Float64Array"),
  },
  {
    name: "linearForward: Z one value short",
    call: () => raw.linearForward!(...set(LF(), 0, f64(5))),
    error: RangeError,
    message: holds("linearForward", "Z", 3, 2, 5),
  },
  {
    name: "linearForward: b of nIn values instead of nOut",
    call: () => raw.linearForward!(...set(LF(), 3, f64(4))),
    error: RangeError,
    message: holds("linearForward", "b", 3, 1, 4),
  },
  {
    name: "linearForward: detached W",
    call: () => raw.linearForward!(...set(LF(), 1, detached64(12))),
    error: TypeError,
    message: /^linearForward: W is detached$/,
  },
  {
    name: "linearForward: subarray view with an offset but one value short",
    call: () => raw.linearForward!(...set(LF(), 2, f64(20).subarray(3, 10))),
    error: RangeError,
    message: holds("linearForward", "APrev", 4, 2, 7),
  },
  {
    name: "linearForward: nOut 0",
    call: () => raw.linearForward!(...set(LF(), 4, 0)),
    error: RangeError,
    message: dims("linearForward", "nOut"),
  },
  {
    name: "linearForward: negative nIn",
    call: () => raw.linearForward!(...set(LF(), 5, -4)),
    error: RangeError,
    message: dims("linearForward", "nIn"),
  },
  {
    name: "linearForward: NaN m",
    call: () => raw.linearForward!(...set(LF(), 6, NaN)),
    error: RangeError,
    message: dims("linearForward", "m"),
  },
  {
    name: "linearForward: fractional m",
    call: () => raw.linearForward!(...set(LF(), 6, 2.5)),
    error: RangeError,
    message: dims("linearForward", "m"),
  },
  {
    name: "linearForward: m = 2^31",
    call: () => raw.linearForward!(...set(LF(), 6, 2 ** 31)),
    error: RangeError,
    message: dims("linearForward", "m"),
  },
  {
    name: "linearForward: Infinity nOut",
    call: () => raw.linearForward!(...set(LF(), 4, Infinity)),
    error: RangeError,
    message: dims("linearForward", "nOut"),
  },
  {
    name: "linearForward: nOut * m overflows 2^31 (sizes multiplied in 64 bits)",
    call: () => raw.linearForward!(f64(6), f64(12), f64(8), f64(3), 2 ** 30, 4, 4),
    error: RangeError,
    message: /^linearForward: expected Z to hold \[1073741824, 4\] = 4294967296 values, received 6$/,
  },
  {
    name: "linearForward: string nOut",
    call: () => raw.linearForward!(...set(LF(), 4, "3")),
    error: TypeError,
    message: /^linearForward: expected nOut to be a number$/,
  },
  {
    name: "linearForward: BigInt nIn",
    call: () => raw.linearForward!(...set(LF(), 5, 4n)),
    error: TypeError,
    message: /^linearForward: expected nIn to be a number$/,
  },
  {
    name: "linearForward: missing m",
    call: () => raw.linearForward!(...LF().slice(0, 6)),
    error: TypeError,
    message: /^linearForward: expected m to be a number$/,
  },
  {
    name: "linearForward: no arguments",
    call: () => raw.linearForward!(),
    error: TypeError,
    message: /^linearForward: expected nOut to be a number$/,
  },
  // ------------------------------------------------------------ linearActivationForward
  {
    name: "linearActivationForward: activation code 5",
    call: () => raw.linearActivationForward!(...LAF(5)),
    error: RangeError,
    message: new RegExp(`^linearActivationForward: ${ACT.source}, received 5`),
  },
  {
    name: "linearActivationForward: activation code -1",
    call: () => raw.linearActivationForward!(...LAF(-1)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "linearActivationForward: activation code 0.5",
    call: () => raw.linearActivationForward!(...LAF(0.5)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "linearActivationForward: activation code NaN",
    call: () => raw.linearActivationForward!(...LAF(NaN)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "linearActivationForward: activation name instead of a code",
    call: () => raw.linearActivationForward!(...set(LAF(), 8, "relu")),
    error: TypeError,
    message: new RegExp(`^linearActivationForward: ${ACT.source}$`),
  },
  {
    name: "linearActivationForward: missing activation",
    call: () => raw.linearActivationForward!(...LAF().slice(0, 8)),
    error: TypeError,
    message: ACT,
  },
  {
    name: "linearActivationForward: detached output A",
    call: () => raw.linearActivationForward!(...set(LAF(), 0, detached64(6))),
    error: TypeError,
    message: /^linearActivationForward: A is detached$/,
  },
  {
    name: "linearActivationForward: Z shaped [nOut, nIn] instead of [nOut, m]",
    call: () => raw.linearActivationForward!(...set(LAF(), 1, f64(12))),
    error: RangeError,
    message: holds("linearActivationForward", "Z", 3, 2, 12),
  },
  // ------------------------------------------------------------ activationForward / activationBackward
  {
    name: "activationForward: n 0",
    call: () => raw.activationForward!(...set(AF(), 2, 0)),
    error: RangeError,
    message: dims("activationForward", "n"),
  },
  {
    name: "activationForward: Float32Array A with Float64Array Z",
    call: () => raw.activationForward!(f32(5), f64(5), 5, 1),
    error: TypeError,
    message: notA("activationForward", "Z", "Float32Array"),
  },
  {
    name: "activationForward: softmax's code 4 (column-wise, not elementwise)",
    call: () => raw.activationForward!(...set(AF(), 3, 4)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "activationBackward: dA one value long",
    call: () => raw.activationBackward!(...set(AB(), 1, f64(6))),
    error: RangeError,
    message: holds("activationBackward", "dA", 5, 1, 6),
  },
  {
    name: "activationBackward: null Z",
    call: () => raw.activationBackward!(...set(AB(), 2, null)),
    error: TypeError,
    message: notA("activationBackward", "Z", "Float64Array"),
  },
  {
    name: "activationBackward: activation code 7",
    call: () => raw.activationBackward!(...set(AB(), 4, 7)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "activationBackward: detached dZ",
    call: () => raw.activationBackward!(...set(AB(), 0, detached64(5))),
    error: TypeError,
    message: /^activationBackward: dZ is detached$/,
  },
  // ------------------------------------------------------------ linearBackward
  {
    name: "linearBackward: dAPrev of the wrong length",
    call: () => raw.linearBackward!(...set(LB(), 0, f64(9))),
    error: RangeError,
    message: holds("linearBackward", "dAPrev", 4, 2, 9),
  },
  {
    name: "linearBackward: Float32Array dAPrev among Float64Arrays",
    call: () => raw.linearBackward!(...set(LB(), 0, f32(8))),
    error: TypeError,
    message: notA("linearBackward", "dAPrev", "Float64Array"),
  },
  {
    name: "linearBackward: Float32Array dW picks float32, so Float64Array dAPrev is refused",
    call: () => raw.linearBackward!(...set(LB(), 1, f32(12))),
    error: TypeError,
    message: notA("linearBackward", "dAPrev", "Float32Array"),
  },
  {
    name: "linearBackward: detached dZ",
    call: () => raw.linearBackward!(...set(LB(), 3, detached64(6))),
    error: TypeError,
    message: /^linearBackward: dZ is detached$/,
  },
  {
    name: "linearBackward: Infinity m",
    call: () => raw.linearBackward!(...set(LB(), 8, Infinity)),
    error: RangeError,
    message: dims("linearBackward", "m"),
  },
  {
    name: "linearBackward: W as a plain object",
    call: () => raw.linearBackward!(...set(LB(), 5, { length: 12 })),
    error: TypeError,
    message: notA("linearBackward", "W", "Float64Array"),
  },
  // ------------------------------------------------------------ linearActivationBackward
  {
    name: "linearActivationBackward: softmax's code 4 (its dZ comes from the loss)",
    call: () => raw.linearActivationBackward!(...set(LAB(), 11, 4)),
    error: RangeError,
    message: ACT,
  },
  {
    name: "linearActivationBackward: Z one value short",
    call: () => raw.linearActivationBackward!(...set(LAB(), 5, f64(5))),
    error: RangeError,
    message: holds("linearActivationBackward", "Z", 3, 2, 5),
  },
  {
    name: "linearActivationBackward: W as a plain array",
    call: () => raw.linearActivationBackward!(...set(LAB(), 7, Array(12).fill(0))),
    error: TypeError,
    message: notA("linearActivationBackward", "W", "Float64Array"),
  },
  {
    name: "linearActivationBackward: Uint8Array dA",
    call: () => raw.linearActivationBackward!(...set(LAB(), 4, new Uint8Array(6))),
    error: TypeError,
    message: notA("linearActivationBackward", "dA", "Float64Array"),
  },
  // ------------------------------------------------------------ crossEntropyCost
  {
    name: "crossEntropyCost: AL one value long",
    call: () => raw.crossEntropyCost!(...set(CE(), 0, f64(5))),
    error: RangeError,
    message: holds("crossEntropyCost", "AL", 1, 4, 5),
  },
  {
    name: "crossEntropyCost: Float32Array Y with Float64Array AL",
    call: () => raw.crossEntropyCost!(...set(CE(), 1, f32(4))),
    error: TypeError,
    message: notA("crossEntropyCost", "Y", "Float64Array"),
  },
  {
    name: "crossEntropyCost: m 0",
    call: () => raw.crossEntropyCost!(...set(CE(), 2, 0)),
    error: RangeError,
    message: dims("crossEntropyCost", "m"),
  },
  {
    name: "crossEntropyCost: no arguments",
    call: () => raw.crossEntropyCost!(),
    error: TypeError,
    message: /^crossEntropyCost: expected m to be a number$/,
  },
  // ------------------------------------------------------------ sgdUpdate
  {
    name: "sgdUpdate: learning rate NaN",
    call: () => raw.sgdUpdate!(...set(SGD(), 2, NaN)),
    error: RangeError,
    message: /^sgdUpdate: expected learningRate to be finite/,
  },
  {
    name: "sgdUpdate: learning rate Infinity",
    call: () => raw.sgdUpdate!(...set(SGD(), 2, Infinity)),
    error: RangeError,
    message: /^sgdUpdate: expected learningRate to be finite/,
  },
  {
    name: "sgdUpdate: learning rate 0",
    call: () => raw.sgdUpdate!(...set(SGD(), 2, 0)),
    error: RangeError,
    message: /^sgdUpdate: .*learningRate/,
  },
  {
    name: "sgdUpdate: negative learning rate",
    call: () => raw.sgdUpdate!(...set(SGD(), 2, -0.1)),
    error: RangeError,
    message: /^sgdUpdate: .*learningRate/,
  },
  {
    name: "sgdUpdate: learning rate as a string",
    call: () => raw.sgdUpdate!(...set(SGD(), 2, "0.1")),
    error: TypeError,
    message: /^sgdUpdate: expected learningRate to be a number$/,
  },
  {
    name: "sgdUpdate: grad shorter than param",
    call: () => raw.sgdUpdate!(...set(SGD(), 1, f64(5))),
    error: RangeError,
    message: holds("sgdUpdate", "grad", 6, 1, 5),
  },
  {
    name: "sgdUpdate: Float32Array param with Float64Array grad",
    call: () => raw.sgdUpdate!(f32(6), f64(6), 0.1, 6),
    error: TypeError,
    message: notA("sgdUpdate", "grad", "Float32Array"),
  },
  // ------------------------------------------------------------ gemm
  {
    name: "gemm: C not [M, N]",
    call: () => raw.gemm!(...set(GEMM(), 0, f64(7))),
    error: RangeError,
    message: holds("gemm", "C", 2, 3, 7),
  },
  {
    name: "gemm: Float32Array A with Float64Array C",
    call: () => raw.gemm!(...set(GEMM(), 1, f32(8))),
    error: TypeError,
    message: notA("gemm", "A", "Float64Array"),
  },
  {
    name: "gemm: alpha NaN",
    call: () => raw.gemm!(...set(GEMM(), 8, NaN)),
    error: RangeError,
    message: /^gemm: expected alpha to be finite$/,
  },
  {
    name: "gemm: beta as a string",
    call: () => raw.gemm!(...set(GEMM(), 9, "1")),
    error: TypeError,
    message: /^gemm: expected beta to be a number$/,
  },
  {
    name: "gemm: K 0",
    call: () => raw.gemm!(...set(GEMM(), 5, 0)),
    error: RangeError,
    message: dims("gemm", "K"),
  },
  {
    name: "gemm: M * K near 2^62 (no int overflow in the size check)",
    call: () => raw.gemm!(f64(6), f64(8), f64(12), 2 ** 31 - 1, 3, 2 ** 31 - 1, false, false, 1, 0),
    error: RangeError,
    message: /^gemm: expected C to hold \[2147483647, 3\] = 6442450941 values, received 6$/,
  },
  // ------------------------------------------------------------ setNumThreads
  {
    name: "setNumThreads: 0",
    call: () => raw.setNumThreads!(0),
    error: RangeError,
    message: dims("setNumThreads", "n"),
  },
  {
    name: "setNumThreads: 1.5",
    call: () => raw.setNumThreads!(1.5),
    error: RangeError,
    message: dims("setNumThreads", "n"),
  },
  {
    name: "setNumThreads: a string",
    call: () => raw.setNumThreads!("2"),
    error: TypeError,
    message: /^setNumThreads: expected n to be a number$/,
  },
  // ------------------------------------------------------------ mtSeed / mtRandomSample / mtRandn
  {
    name: "mtSeed: state of 623 words",
    call: () => raw.mtSeed!(new Uint32Array(623), new Int32Array(1), 1),
    error: RangeError,
    message: /^mtSeed: expected state to be a Uint32Array of length 624, received length 623$/,
  },
  {
    name: "mtSeed: Int32Array state",
    call: () => raw.mtSeed!(new Int32Array(624), new Int32Array(1), 1),
    error: TypeError,
    message: /^mtSeed: expected state to be a Uint32Array of length 624$/,
  },
  {
    name: "mtSeed: seed -1",
    call: () => raw.mtSeed!(new Uint32Array(624), new Int32Array(1), -1),
    error: RangeError,
    message: /^mtSeed: expected seed to be an integer in \[0, 2\^32 - 1\]/,
  },
  {
    name: "mtSeed: seed 2^32",
    call: () => raw.mtSeed!(new Uint32Array(624), new Int32Array(1), 2 ** 32),
    error: RangeError,
    message: /^mtSeed: expected seed to be an integer in \[0, 2\^32 - 1\]/,
  },
  {
    name: "mtSeed: seed as a string",
    call: () => raw.mtSeed!(new Uint32Array(624), new Int32Array(1), "1"),
    error: TypeError,
    message: /^mtSeed: expected seed to be a number$/,
  },
  {
    name: "mtRandomSample: position 700",
    call: () => {
      const [state] = STATE();
      return raw.mtRandomSample!(state, Int32Array.of(700), f64(3));
    },
    error: RangeError,
    message: /^mtRandomSample: expected pos\[0\] to be in \[0, 624\], received 700$/,
  },
  {
    name: "mtRandomSample: position -1",
    call: () => {
      const [state] = STATE();
      return raw.mtRandomSample!(state, Int32Array.of(-1), f64(3));
    },
    error: RangeError,
    message: /^mtRandomSample: expected pos\[0\] to be in \[0, 624\], received -1$/,
  },
  {
    name: "mtRandomSample: Float32Array out",
    call: () => raw.mtRandomSample!(...STATE(), f32(3)),
    error: TypeError,
    message: /^mtRandomSample: expected out to be a Float64Array$/,
  },
  {
    name: "mtRandomSample: detached state",
    call: () => raw.mtRandomSample!(detachedOf(new Uint32Array(624)), new Int32Array(1), f64(3)),
    error: TypeError,
    message: /^mtRandomSample: state is detached$/,
  },
  {
    name: "mtRandn: gauss of 3 values",
    call: () => raw.mtRandn!(...STATE(), f64(3), f64(4)),
    error: RangeError,
    message: /^mtRandn: expected gauss to be a Float64Array of length 2, received length 3$/,
  },
  {
    name: "mtRandn: detached out",
    call: () => raw.mtRandn!(...STATE(), f64(2), detached64(4)),
    error: TypeError,
    message: /^mtRandn: out is detached$/,
  },
  {
    name: "mtRandn: missing out",
    call: () => raw.mtRandn!(...STATE(), f64(2)),
    error: TypeError,
    message: /^mtRandn: expected out to be a Float64Array$/,
  },
  // ------------------------------------------------------------ trainSteps: the mini-batch plan
  {
    name: "trainSteps: null plan",
    call: () => steps(null),
    error: TypeError,
    message: /^trainSteps: expected a plan object as the first argument$/,
  },
  {
    name: "trainSteps: plan missing order",
    call: () => steps(withKey(stepsPlan(), "order", DELETE)),
    error: TypeError,
    message: /^trainSteps: plan is missing "order"$/,
  },
  {
    name: "trainSteps: an order index outside the columns",
    call: () => steps(withKey(stepsPlan(), "order", Int32Array.of(0, 1, 2, 3, 5))),
    error: RangeError,
    message: /^trainSteps: plan.order\[4\] is not a column index in \[0, 5\)$/,
  },
  {
    name: "trainSteps: a Float32Array Z in a float64 plan",
    call: () => {
      const p = stepsPlan();
      return steps({ ...p, Z: [f32(8), (p.Z as unknown[])[1]] });
    },
    error: TypeError,
    message: /^trainSteps: expected plan.Z\[0\] to be a Float64Array$/,
  },
  {
    name: "trainSteps: a short Adam state",
    call: () => {
      const p = stepsPlan();
      return steps({ ...p, sW: [f64(11), (p.sW as unknown[])[1]] });
    },
    error: RangeError,
    message: /^trainSteps: expected plan.sW\[0\] to hold \[12, 1\] = 12 values, received 11$/,
  },
  {
    name: "trainSteps: more batches than the epoch holds",
    call: () => steps(stepsPlan(), [1, 3, new Float64Array(1), new Float64Array(3), null]),
    error: RangeError,
    message: /^trainSteps: expected firstBatch \+ count <= 3 batches per epoch$/,
  },
  {
    name: "trainSteps: a sigmoid head of 2 units",
    call: () => steps(withKey(stepsPlan(true), "output", 1)),
    error: RangeError,
    message: /^trainSteps: a sigmoid output has 1 unit$/,
  },
  {
    name: "trainSteps: keepProb 0",
    call: () => steps(withKey(stepsPlan(), "keepProb", 0)),
    error: RangeError,
    message: /^trainSteps: expected keepProb in \(0, 1\] and betas in \[0, 1\)$/,
  },
  {
    name: "trainStepsAsync: costs shorter than count",
    call: () => raw.trainStepsAsync!(stepsPlan(), 0, 3, new Float64Array(1), new Float64Array(2), null),
    error: RangeError,
    message: /^trainSteps: expected costs to hold \[3, 1\] = 3 values, received 2$/,
  },
  // ------------------------------------------------------------ trainIterations: the plan
  {
    name: "trainIterations: null plan",
    call: () => train(null),
    error: TypeError,
    message: /^train: expected a plan object as the first argument$/,
  },
  {
    name: "trainIterations: plan missing Y",
    call: () => train(withKey(plan(), "Y", DELETE)),
    error: TypeError,
    message: /^train: plan is missing "Y"$/,
  },
  {
    name: "trainIterations: a third layer's W without its b (b lists two layers)",
    call: () => {
      const p = plan([4, 3, 2, 1]);
      return train({ ...p, b: (p.b as unknown[]).slice(0, 2) });
    },
    error: TypeError,
    message: notA("train", "plan.b[2]", "Float64Array"),
  },
  {
    name: "trainIterations: plan.dims with one size",
    call: () => train(withKey(plan(), "dims", [4])),
    error: RangeError,
    message: /^train: plan\.dims needs at least two sizes$/,
  },
  {
    name: "trainIterations: plan.dims with a zero layer",
    call: () => train(withKey(plan(), "dims", [4, 0, 1])),
    error: RangeError,
    message: dims("train", "plan\\.dims\\[1\\]"),
  },
  {
    name: "trainIterations: plan.dims with a fractional layer",
    call: () => train(withKey(plan(), "dims", [4, 2.5, 1])),
    error: RangeError,
    message: dims("train", "plan\\.dims\\[1\\]"),
  },
  {
    name: "trainIterations: plan.dims with a layer of 2^31",
    call: () => train(withKey(plan(), "dims", [4, 2 ** 31, 1])),
    error: RangeError,
    message: dims("train", "plan\\.dims\\[1\\]"),
  },
  {
    name: "trainIterations: plan.dims as a string",
    call: () => train(withKey(plan(), "dims", "4,3,1")),
    error: TypeError,
    message: /^train: plan\.dims must be an array$/,
  },
  {
    name: "trainIterations: plan.m -1",
    call: () => train(withKey(plan(), "m", -1)),
    error: RangeError,
    message: dims("train", "plan\\.m"),
  },
  {
    name: "trainIterations: plan.m as a string",
    call: () => train(withKey(plan(), "m", "2")),
    error: TypeError,
    message: /^train: expected plan\.m to be a number$/,
  },
  {
    name: "trainIterations: float32 plan (X is a Float32Array) with a Float64Array W",
    call: () => train(withItem(plan([4, 3, 1], 2, f32), "W", 0, f64(12))),
    error: TypeError,
    message: notA("train", "plan.W[0]", "Float32Array"),
  },
  {
    name: "trainIterations: float64 plan with a Float32Array dZ",
    call: () => train(withItem(plan(), "dZ", 1, f32(2))),
    error: TypeError,
    message: notA("train", "plan.dZ[1]", "Float64Array"),
  },
  {
    name: "trainIterations: plan.X one value short",
    call: () => train(withKey(plan(), "X", f64(7))),
    error: RangeError,
    message: /^train: expected plan\.X to hold \[4, 2\] = 8 values, received 7$/,
  },
  {
    name: "trainIterations: plan.W that contradicts dims ([3, 4] stored as 11 values)",
    call: () => train(withItem(plan(), "W", 0, f64(11))),
    error: RangeError,
    message: /^train: expected plan\.W\[0\] to hold \[3, 4\] = 12 values, received 11$/,
  },
  {
    name: "trainIterations: detached plan.A[0]",
    call: () => train(withItem(plan(), "A", 0, detached64(6))),
    error: TypeError,
    message: /^train: plan\.A\[0\] is detached$/,
  },
  {
    name: "trainIterations: plan.W not an array",
    call: () => train(withKey(plan(), "W", f64(12))),
    error: TypeError,
    message: /^train: plan\.W must be an array$/,
  },
  {
    name: "trainIterations: plan with G but no S",
    call: () => train(withKey(plan([4, 3, 1], 2, f64, true), "S", DELETE)),
    error: TypeError,
    message: /^train: plan is missing "S"$/,
  },
  // ------------------------------------------------------------ trainIterations: the run arguments
  {
    name: "trainIterations: learning rate 0",
    call: () => train(plan(), set(runArgs(), 0, 0)),
    error: RangeError,
    message: /^train: expected learningRate > 0$/,
  },
  {
    name: "trainIterations: negative learning rate",
    call: () => train(plan(), set(runArgs(), 0, -0.5)),
    error: RangeError,
    message: /^train: expected learningRate > 0$/,
  },
  {
    name: "trainIterations: learning rate NaN",
    call: () => train(plan(), set(runArgs(), 0, NaN)),
    error: RangeError,
    message: /^train: expected learningRate to be finite$/,
  },
  {
    name: "trainIterations: learning rate Infinity",
    call: () => train(plan(), set(runArgs(), 0, Infinity)),
    error: RangeError,
    message: /^train: expected learningRate to be finite$/,
  },
  {
    name: "trainIterations: count 0",
    call: () => train(plan(), [0.1, 0, 0, 1, f64(0), null]),
    error: RangeError,
    message: dims("train", "count"),
  },
  {
    name: "trainIterations: fractional count",
    call: () => train(plan(), [0.1, 1.5, 0, 1, f64(1), null]),
    error: RangeError,
    message: dims("train", "count"),
  },
  {
    name: "trainIterations: negative firstIteration",
    call: () => train(plan(), set(runArgs(), 2, -1)),
    error: RangeError,
    message: /^train: bad firstIteration$/,
  },
  {
    name: "trainIterations: costEvery 0",
    call: () => train(plan(), set(runArgs(), 3, 0)),
    error: RangeError,
    message: dims("train", "costEvery"),
  },
  {
    name: "trainIterations: costs shorter than count",
    call: () => train(plan(), set(runArgs(), 4, f64(2))),
    error: RangeError,
    message: holds("train", "costs", 3, 1, 2),
  },
  {
    name: "trainIterations: Float32Array costs",
    call: () => train(plan(), set(runArgs(), 4, f32(3))),
    error: TypeError,
    message: notA("train", "costs", "Float64Array"),
  },
  {
    name: "trainIterations: Float64Array cancel flag",
    call: () => train(plan(), set(runArgs(), 5, f64(1))),
    error: TypeError,
    message: /^train: expected cancel to be an Int32Array of length >= 1 or null$/,
  },
  {
    name: "trainIterations: empty Int32Array cancel flag",
    call: () => train(plan(), set(runArgs(), 5, new Int32Array(0))),
    error: TypeError,
    message: /^train: expected cancel to be an Int32Array of length >= 1 or null$/,
  },
  {
    name: "trainIterations: missing run arguments",
    call: () => raw.trainIterations!(plan()),
    error: TypeError,
    message: /^train: expected learningRate to be a number$/,
  },
  // ------------------------------------------------------------ the other plan exports
  {
    name: "trainIterationsAsync: bad plan throws at call time",
    call: () => raw.trainIterationsAsync!(withKey(plan(), "m", 0), ...runArgs()),
    error: RangeError,
    message: dims("train", "plan\\.m"),
  },
  {
    name: "trainIterationsAsync: count NaN",
    call: () => raw.trainIterationsAsync!(plan(), 0.1, NaN, 0, 1, f64(1), null),
    error: RangeError,
    message: dims("train", "count"),
  },
  {
    name: "gramBegin: plan without the Gram-path buffers",
    call: () => raw.gramBegin!(plan()),
    error: TypeError,
    message: /^gramBegin: plan has no G/,
  },
  {
    name: "gramMaterialize: G of the wrong size",
    call: () => raw.gramMaterialize!(withKey(plan([4, 3, 1], 2, f64, true), "G", f64(5))),
    error: RangeError,
    message: /^train: expected plan\.G to hold \[2, 2\] = 4 values, received 5$/,
  },
  {
    name: "gramBegin: float32 plan with a Float64Array S",
    call: () => raw.gramBegin!(withKey(plan([4, 3, 1], 2, f32, true), "S", f64(6))),
    error: TypeError,
    message: /^train: expected plan\.S to be a Float32Array$/,
  },
  {
    name: "gramMaterialize: a string as the plan",
    call: () => raw.gramMaterialize!("plan"),
    error: TypeError,
    message: /^train: expected a plan object as the first argument$/,
  },
  {
    name: "gramMaterialize: plan.Y for a wider output than dims says",
    call: () => raw.gramMaterialize!(withKey(plan([4, 3, 1], 2, f64, true), "Y", f64(3))),
    error: RangeError,
    message: /^train: expected plan\.Y to hold \[1, 2\] = 2 values, received 3$/,
  },
  // ------------------------------------------------------------ the trainer's kernels
  {
    name: "softmaxForward: Z shaped [2, 3] for a [3, 2] call",
    call: () => raw.softmaxForward!(f64(6), f64(5), 3, 2),
    error: RangeError,
    message: holds("softmaxForward", "Z", 3, 2, 5),
  },
  {
    name: "softmaxForward: cols 0",
    call: () => raw.softmaxForward!(f64(6), f64(6), 3, 0),
    error: RangeError,
    message: dims("softmaxForward", "cols"),
  },
  {
    name: "softmaxCrossEntropyCost: Float32Array Y with Float64Array AL",
    call: () => raw.softmaxCrossEntropyCost!(f64(6), f32(6), 3, 2),
    error: TypeError,
    message: notA("softmaxCrossEntropyCost", "Y", "Float64Array"),
  },
  {
    name: "sumSquares: detached x",
    call: () => raw.sumSquares!(detached64(4), 4),
    error: TypeError,
    message: /^sumSquares: x is detached$/,
  },
  {
    name: "addScaled: NaN c",
    call: () => raw.addScaled!(f64(4), f64(4), NaN, 4),
    error: RangeError,
    message: /^addScaled: expected c to be finite$/,
  },
  {
    name: "momentumUpdate: beta 1",
    call: () => raw.momentumUpdate!(f64(4), f64(4), f64(4), 1, 0.1, 4),
    error: RangeError,
    message: /^momentumUpdate: expected beta to be in \[0, 1\), received 1/,
  },
  {
    name: "momentumUpdate: v one value short",
    call: () => raw.momentumUpdate!(f64(4), f64(3), f64(4), 0.9, 0.1, 4),
    error: RangeError,
    message: holds("momentumUpdate", "v", 4, 1, 3),
  },
  {
    name: "adamUpdate: t 0",
    call: () => raw.adamUpdate!(f64(4), f64(4), f64(4), f64(4), 0, 0.01, 0.9, 0.999, 1e-8, 4),
    error: RangeError,
    message: /^adamUpdate: expected t to be an integer >= 1, received 0/,
  },
  {
    name: "adamUpdate: t 1.5",
    call: () => raw.adamUpdate!(f64(4), f64(4), f64(4), f64(4), 1.5, 0.01, 0.9, 0.999, 1e-8, 4),
    error: RangeError,
    message: /^adamUpdate: expected t to be an integer >= 1, received 1\.5/,
  },
  {
    name: "adamUpdate: beta2 -0.1",
    call: () => raw.adamUpdate!(f64(4), f64(4), f64(4), f64(4), 1, 0.01, 0.9, -0.1, 1e-8, 4),
    error: RangeError,
    message: /^adamUpdate: expected beta2 to be in \[0, 1\)/,
  },
  {
    name: "adamUpdate: epsilon 0",
    call: () => raw.adamUpdate!(f64(4), f64(4), f64(4), f64(4), 1, 0.01, 0.9, 0.999, 0, 4),
    error: RangeError,
    message: /^adamUpdate: expected epsilon to be in \(0, Infinity\)/,
  },
  {
    name: "adamUpdate: Float32Array s in a float64 call",
    call: () => raw.adamUpdate!(f64(4), f64(4), f32(4), f64(4), 1, 0.01, 0.9, 0.999, 1e-8, 4),
    error: TypeError,
    message: notA("adamUpdate", "s", "Float64Array"),
  },
  {
    name: "dropoutApply: keepProb 0",
    call: () => raw.dropoutApply!(f64(4), f64(4), 0, 4),
    error: RangeError,
    message: /^dropoutApply: expected keepProb to be in \(0, 1\], received 0/,
  },
  {
    name: "dropoutApply: keepProb 1.5",
    call: () => raw.dropoutApply!(f64(4), f64(4), 1.5, 4),
    error: RangeError,
    message: /^dropoutApply: expected keepProb to be in \(0, 1\]/,
  },
  {
    name: "gatherColumns: an index past the last column",
    call: () => raw.gatherColumns!(f64(4), f64(6), Int32Array.of(0, 3), 2, 3, 2),
    error: RangeError,
    message: /^gatherColumns: expected idx values in \[0, 3\), received 3 at 1$/,
  },
  {
    name: "gatherColumns: a negative index",
    call: () => raw.gatherColumns!(f64(4), f64(6), Int32Array.of(-1, 0), 2, 3, 2),
    error: RangeError,
    message: /^gatherColumns: expected idx values in \[0, 3\), received -1 at 0$/,
  },
  {
    name: "gatherColumns: idx as a Float64Array",
    call: () => raw.gatherColumns!(f64(4), f64(6), f64(2), 2, 3, 2),
    error: TypeError,
    message: /^gatherColumns: expected idx to be an Int32Array$/,
  },
  {
    name: "gatherColumns: idx shorter than count",
    call: () => raw.gatherColumns!(f64(4), f64(6), Int32Array.of(0), 2, 3, 2),
    error: RangeError,
    message: /^gatherColumns: expected idx to hold 2 values, received 1$/,
  },
  {
    name: "transposeInto: out shorter than X",
    call: () => raw.transposeInto!(f64(5), f64(6), 2, 3),
    error: RangeError,
    message: /^transposeInto: expected out to hold \[3, 2\] = 6 values, received 5$/,
  },
  {
    name: "transposeInto: X in float32",
    call: () => raw.transposeInto!(f64(6), new Float32Array(6), 2, 3),
    error: TypeError,
    message: /^transposeInto: expected X to be a Float64Array/,
  },
  {
    name: "plan with XT of the wrong length",
    call: () => steps({ ...stepsPlan(), X: null, XT: f64(14) }),
    error: RangeError,
    message: /^trainSteps: expected plan\.XT to hold \[15, 1\] = 15 values, received 14$/,
  },
  {
    name: "mtPermutation: out as a Float64Array",
    call: () => raw.mtPermutation!(...STATE(), f64(4)),
    error: TypeError,
    message: /^mtPermutation: expected out to be an Int32Array$/,
  },
  {
    name: "mtPermutation: pos 625",
    call: () => raw.mtPermutation!(STATE()[0], Int32Array.of(625), new Int32Array(4)),
    error: RangeError,
    message: /^mtPermutation: expected pos\[0\] to be in \[0, 624\], received 625$/,
  },
  {
    name: "mtDropoutMask: keepProb NaN",
    call: () => raw.mtDropoutMask!(...STATE(), f64(4), NaN),
    error: RangeError,
    message: /^mtDropoutMask: expected keepProb to be finite$/,
  },
  {
    name: "mtDropoutMask: keepProb 0",
    call: () => raw.mtDropoutMask!(...STATE(), f64(4), 0),
    error: RangeError,
    message: /^mtDropoutMask: expected keepProb to be in \(0, 1\], received 0/,
  },
  {
    name: "mtDropoutMask: D as an Int32Array",
    call: () => raw.mtDropoutMask!(...STATE(), new Int32Array(4), 0.5),
    error: TypeError,
    message: /^mtDropoutMask: expected D to be a Float64Array$/,
  },
];

// ------------------------------------------------------------ calls that must work

/** "" when a and b hold identical values (NaN equal to NaN), else the first difference. */
function sameValues(what: string, a: ArrayLike<number>, b: ArrayLike<number>): string {
  if (a.length !== b.length) return `${what}: length ${a.length} vs ${b.length}`;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return `${what}[${i}]: ${a[i]} vs ${b[i]}`;
  }
  return "";
}

/** Copies `values` into a subarray view at `offset` of a larger buffer filled with junk around it. */
function viewOf<T extends Float64Array | Float32Array>(values: T, offset: number): T {
  const Ctor = values.constructor as new (n: number) => T;
  const big = new Ctor(values.length + offset + 5).fill(12345);
  const view = big.subarray(offset, offset + values.length) as T;
  view.set(values);
  return view;
}

/**
 * Runs `call` on fresh arrays and on subarray views (at offsets 1, 2, 3, ...) holding the same
 * values, and compares every buffer afterwards: the views must see exactly what the fresh ones do.
 */
function viewsMatchFresh(
  seed: number,
  lengths: number[],
  make: (n: number) => Float64Array | Float32Array,
  call: (buffers: (Float64Array | Float32Array)[]) => unknown,
): string {
  const rng = new Rng(seed);
  const fresh = lengths.map((n) => {
    const a = make(n);
    a.set(rng.normals(n));
    return a;
  });
  const views = fresh.map((a, i) => viewOf(a.slice(), i + 1));
  const r1 = call(fresh);
  const r2 = call(views);
  if (!Object.is(r1, r2)) return `results differ: ${String(r1)} vs ${String(r2)}`;
  for (let i = 0; i < fresh.length; i++) {
    const diff = sameValues(`buffer ${i}`, fresh[i]!, views[i]!);
    if (diff !== "") return diff;
  }
  return "";
}

/** A plan with seeded values: labels in {0, 1}, small weights. */
function filledPlan(rng: Rng, dims: number[], m: number, make: Make, gram = false): Record<string, unknown> {
  const p = plan(dims, m, make, gram);
  (p.X as Float64Array).set(rng.normals((dims[0] as number) * m));
  (p.Y as Float64Array).set(Float64Array.from({ length: m }, () => (rng.bool() ? 1 : 0)));
  for (const W of p.W as Float64Array[]) W.set(rng.normals(W.length, 0.5));
  return p;
}

/** The same plan with every buffer copied into a subarray view at an offset. */
function planOfViews(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...p };
  let offset = 1;
  for (const [key, value] of Object.entries(p)) {
    if (Array.isArray(value) && key !== "dims") {
      out[key] = value.map((a: Float64Array) => viewOf(a.slice(), offset++));
    } else if (value instanceof Float64Array || value instanceof Float32Array) {
      out[key] = viewOf(value.slice(), offset++);
    }
  }
  return out;
}

/** "" when every buffer of plan a holds what the same buffer of plan b does. */
function plansMatch(a: Record<string, unknown>, b: Record<string, unknown>): string {
  for (const [key, value] of Object.entries(a)) {
    if (key === "dims") continue;
    const pairs: [string, ArrayLike<number>, ArrayLike<number>][] = Array.isArray(value)
      ? value.map((v: ArrayLike<number>, i) => [`plan.${key}[${i}]`, v, (b[key] as ArrayLike<number>[])[i]!])
      : ArrayBuffer.isView(value)
        ? [[`plan.${key}`, value as unknown as ArrayLike<number>, b[key] as ArrayLike<number>]]
        : [];
    for (const [what, x, y] of pairs) {
      const diff = sameValues(what, x, y);
      if (diff !== "") return diff;
    }
  }
  return "";
}

export const nativeWorkCases: NativeWorkCase[] = [
  {
    name: "linearForward: subarray views at offsets give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(1, [6, 12, 8, 3], f64, ([Z, W, A, b]) => native.linearForward(Z!, W!, A!, b!, 3, 4, 2)),
  },
  {
    name: "linearActivationForward (float32, sigmoid): views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(2, [6, 6, 12, 8, 3], f32, ([A, Z, W, AP, b]) =>
        native.linearActivationForward(A!, Z!, W!, AP!, b!, 3, 4, 2, 1),
      ),
  },
  {
    name: "activationBackward (float32, relu): views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(3, [5, 5, 5], f32, ([dZ, dA, Z]) => native.activationBackward(dZ!, dA!, Z!, 5, 0)),
  },
  {
    name: "linearActivationBackward: views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(4, [8, 12, 3, 6, 6, 6, 8, 12], f64, ([dAP, dW, db, dZ, dA, Z, AP, W]) =>
        native.linearActivationBackward(dAP!, dW!, db!, dZ!, dA!, Z!, AP!, W!, 3, 4, 2, 0),
      ),
  },
  {
    name: "gemm (both transposed): views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(5, [6, 8, 12], f64, ([C, A, B]) =>
        native.gemm(C!, A!, B!, 2, 3, 4, true, true, 0.5, 2),
      ),
  },
  {
    name: "crossEntropyCost: views give the fresh arrays' result",
    call: () => {
      const AL = Float64Array.of(0.2, 0.7, 0.9, 0.4);
      const Y = Float64Array.of(0, 1, 1, 0);
      const a = native.crossEntropyCost(AL, Y, 4);
      const b = native.crossEntropyCost(viewOf(AL.slice(), 3), viewOf(Y.slice(), 1), 4);
      return Object.is(a, b) ? "" : `${a} vs ${b}`;
    },
  },
  {
    name: "sgdUpdate (float32): views give the fresh arrays' result",
    call: () => viewsMatchFresh(6, [7, 7], f32, ([p, g]) => native.sgdUpdate(p!, g!, 0.25, 7)),
  },
  {
    name: "linearBackward: a null dAPrev skips it and leaves dW and db unchanged",
    call: () => {
      const rng = new Rng(7);
      const [dZ, AP, W] = [rng.normals(6), rng.normals(8), rng.normals(12)];
      const full = [f64(8), f64(12), f64(3)] as const;
      const skip = [f64(12), f64(3)] as const;
      native.linearBackward(full[0], full[1], full[2], dZ, AP, W, 3, 4, 2);
      native.linearBackward(null, skip[0], skip[1], dZ, AP, W, 3, 4, 2);
      return sameValues("dW", full[1], skip[0]) || sameValues("db", full[2], skip[1]);
    },
  },
  {
    name: "mtRandomSample: an out view at an offset gets the same draws as a fresh out",
    call: () => {
      const [s1, p1] = STATE();
      const [s2, p2] = STATE();
      const fresh = f64(700);
      const view = viewOf(f64(700), 3);
      native.mtRandomSample(s1, p1, fresh);
      native.mtRandomSample(s2, p2, view);
      return sameValues("out", fresh, view);
    },
  },
  {
    name: "trainIterations: a plan of subarray views trains exactly as a plan of fresh arrays",
    call: () => {
      const fresh = filledPlan(new Rng(8), [5, 4, 3, 1], 6, f64);
      const views = planOfViews(fresh);
      const c1 = f64(20);
      const c2 = viewOf(f64(20), 2);
      native.trainIterations(fresh as never, 0.1, 20, 0, 3, c1, null);
      native.trainIterations(views as never, 0.1, 20, 0, 3, c2, null);
      return sameValues("costs", c1, c2) || plansMatch(fresh, views);
    },
  },
  {
    name: "trainIterations: a float32 Gram-path plan of views trains as fresh arrays",
    call: () => {
      const fresh = filledPlan(new Rng(9), [6, 4, 1], 4, f32, true);
      const views = planOfViews(fresh);
      const c1 = f64(10);
      const c2 = f64(10);
      for (const [p, c] of [
        [fresh, c1],
        [views, c2],
      ] as const) {
        native.gramBegin(p as never);
        native.trainIterations(p as never, 0.1, 10, 0, 1, c, null);
        native.gramMaterialize(p as never);
      }
      return sameValues("costs", c1, c2) || plansMatch(fresh, views);
    },
  },
  {
    name: "trainIterationsAsync: a plan of views resolves to the synchronous fresh result",
    call: async () => {
      const fresh = filledPlan(new Rng(10), [5, 3, 1], 4, f64);
      const views = planOfViews(fresh);
      const c1 = f64(15);
      const c2 = viewOf(f64(15), 1);
      native.trainIterations(fresh as never, 0.05, 15, 5, 5, c1, null);
      const outcome = await native.trainIterationsAsync(
        views as never,
        0.05,
        15,
        5,
        5,
        c2,
        new Int32Array(1),
      );
      if (outcome.status !== 0 || outcome.completed !== 15) return `outcome ${JSON.stringify(outcome)}`;
      return sameValues("costs", c1, c2) || plansMatch(fresh, views);
    },
  },
  {
    name: "adamUpdate (float32): views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(7, [5, 5, 5, 5], f32, ([p, v, s, g]) =>
        native.adamUpdate(p!, v!.map(Math.abs), s!.map(Math.abs), g!, 3, 0.01, 0.9, 0.999, 1e-8, 5),
      ),
  },
  {
    name: "gatherColumns: views give the fresh arrays' result",
    call: () =>
      viewsMatchFresh(8, [6, 9], f64, ([out, X]) =>
        native.gatherColumns(out!, X!, Int32Array.of(2, 0), 3, 3, 2),
      ),
  },
  {
    name: "softmaxForward: in place (A is Z) gives the separate-buffer result",
    call: () => {
      const Z = new Rng(9).normals(6);
      const A = new Float64Array(6);
      native.softmaxForward(A, Z, 2, 3);
      native.softmaxForward(Z, Z, 2, 3);
      return sameValues("A", A, Z);
    },
  },
  {
    name: "trainSteps and trainStepsAsync: the same steps give the same costs and parameters",
    call: async () => {
      for (const softmax of [false, true]) {
        const a = stepsPlan(softmax);
        const b = stepsPlan(softmax);
        const ca = new Float64Array(3);
        const cb = new Float64Array(3);
        const ta = new Float64Array(1);
        const tb = new Float64Array(1);
        const oa = native.trainSteps(a as never, 0, 3, ta, ca, null);
        const ob = await native.trainStepsAsync(b as never, 0, 3, tb, cb, null);
        if (oa.status !== 0 || oa.completed !== 3 || ob.completed !== 3)
          return `outcome ${JSON.stringify(oa)}`;
        if (ta[0] !== 3 || tb[0] !== 3) return `t ${ta[0]} ${tb[0]}`;
        const diff =
          sameValues("costs", ca, cb) ||
          sameValues("W1", (a.W as Float64Array[])[0]!, (b.W as Float64Array[])[0]!) ||
          sameValues("b2", (a.b as Float64Array[])[1]!, (b.b as Float64Array[])[1]!);
        if (diff) return diff;
        if (!ca.every(Number.isFinite)) return `costs ${ca.join(", ")}`;
      }
      return "";
    },
  },
];
