// Loads the native addon once and types every export. Also picks OpenBLAS's kernel before it loads.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { cpuFlags, missingFeatures, preferredKernel, runnableKernels } from "./cpu-kernels.js";
import type { Activation, Hidden, Output } from "./types.js";

/** A float buffer the kernels accept: float64 models use Float64Array, float32 models Float32Array. */
export type FloatArray = Float64Array | Float32Array;

/** What the TypeScript side knows of one activation. */
interface ActivationEntry {
  /** Its code in native/activations.h. */
  code: number;
  /** Whether it is an output head (else a hidden-layer activation). */
  head: boolean;
  /** Whether the seed's linearActivationForward/Backward take it by name. */
  seed: boolean;
  /** The ONNX op that computes it, or null when lib/onnx.ts composes it. */
  onnx: string | null;
}

/**
 * The activation table: every activation and output head by name, with its native code (as in
 * native/activations.h) and its role. The name lists below (and their order, which messages show)
 * come from it. softmax works per column: only the linear steps and softmaxForward take it, never
 * the elementwise kernels.
 */
export const ACTIVATIONS = {
  relu: { code: 0, head: false, seed: true, onnx: "Relu" },
  sigmoid: { code: 1, head: true, seed: true, onnx: "Sigmoid" },
  tanh: { code: 2, head: false, seed: false, onnx: "Tanh" },
  leakyRelu: { code: 3, head: false, seed: false, onnx: null },
  softmax: { code: 4, head: true, seed: false, onnx: "Softmax" },
} as const satisfies { [K in Hidden]: ActivationEntry & { head: false } } & {
  [K in Output]: ActivationEntry & { head: true };
} & { [K in Activation]: { seed: true } };

type ActivationName = keyof typeof ACTIVATIONS;
const activationNames = Object.keys(ACTIVATIONS) as ActivationName[];

/** The hidden-layer activations, in the table's order. */
export const HIDDEN = activationNames.filter((n) => !ACTIVATIONS[n].head) as readonly Hidden[];
/** The output heads, in the table's order. */
export const OUTPUTS = activationNames.filter((n) => ACTIVATIONS[n].head) as readonly Output[];
/** The seed's activations, which linearActivationForward/Backward take by name. */
export const SEED_ACTIVATIONS = activationNames.filter((n) => ACTIVATIONS[n].seed) as readonly Activation[];

/** Each name's native code: `ActivationCode.tanh` is 2. */
export const ActivationCode = Object.fromEntries(activationNames.map((n) => [n, ACTIVATIONS[n].code])) as {
  readonly [K in ActivationName]: (typeof ACTIVATIONS)[K]["code"];
};
export type ActivationCode = (typeof ACTIVATIONS)[ActivationName]["code"];

/** Runs one chunk of count full-batch iterations from firstIteration (native/train.h train_iterations). */
type TrainIterations = (
  plan: TrainPlan,
  learningRate: number,
  count: number,
  firstIteration: number,
  costEvery: number,
  costs: Float64Array,
  cancel: Int32Array | null,
  settle?: boolean,
) => TrainOutcome;

/**
 * Runs batches firstBatch .. firstBatch + count - 1 of an epoch of the mini-batch engine; costs[i]
 * gets batch i's cost and t[0] counts optimizer steps (advanced per update).
 */
type TrainSteps = (
  plan: StepPlan,
  firstBatch: number,
  count: number,
  t: Float64Array,
  costs: Float64Array,
  cancel: Int32Array | null,
) => TrainOutcome;

/** The Promise-returning variant of a run export: the same arguments, the outcome when it settles. */
type Async<F extends (...args: never[]) => unknown> = (...args: Parameters<F>) => Promise<ReturnType<F>>;

/** Every export of build/Release/blasnet.node. Buffers come first (outputs, then inputs), then sizes. */
export interface NativeBinding {
  /**
   * C = alpha op(A) op(B) + beta C; split across threads as a full-batch run would split it, or with
   * onTeam as the mini-batch engine splits every product (blocks on the thread team) and runs
   * those with A not transposed and beta 0, at most 256 deep or at most 64 wide, on blasnet's own
   * kernel (native/strip_gemm.h).
   * Returns how many threads shared its blocks (0 when it was not split into blocks).
   */
  gemm(
    C: FloatArray,
    A: FloatArray,
    B: FloatArray,
    M: number,
    N: number,
    K: number,
    transA: boolean,
    transB: boolean,
    alpha: number,
    beta: number,
    onTeam?: boolean,
  ): number;
  linearForward(
    Z: FloatArray,
    W: FloatArray,
    APrev: FloatArray,
    b: FloatArray,
    nOut: number,
    nIn: number,
    m: number,
  ): void;
  linearActivationForward(
    A: FloatArray,
    Z: FloatArray,
    W: FloatArray,
    APrev: FloatArray,
    b: FloatArray,
    nOut: number,
    nIn: number,
    m: number,
    act: ActivationCode,
  ): void;
  activationForward(A: FloatArray, Z: FloatArray, n: number, act: ActivationCode): void;
  activationBackward(dZ: FloatArray, dA: FloatArray, Z: FloatArray, n: number, act: ActivationCode): void;
  linearBackward(
    dAPrev: FloatArray | null,
    dW: FloatArray,
    db: FloatArray,
    dZ: FloatArray,
    APrev: FloatArray,
    W: FloatArray,
    nOut: number,
    nIn: number,
    m: number,
  ): void;
  linearActivationBackward(
    dAPrev: FloatArray | null,
    dW: FloatArray,
    db: FloatArray,
    dZ: FloatArray,
    dA: FloatArray,
    Z: FloatArray,
    APrev: FloatArray,
    W: FloatArray,
    nOut: number,
    nIn: number,
    m: number,
    act: ActivationCode,
  ): void;
  crossEntropyCost(AL: FloatArray, Y: FloatArray, m: number): number;
  sgdUpdate(param: FloatArray, grad: FloatArray, learningRate: number, n: number): void;
  trainIterations: TrainIterations;
  /** As trainIterations, on blasnet's training thread (never libuv's pool); settles on this thread. */
  trainIterationsAsync: Async<TrainIterations>;
  trainSteps: TrainSteps;
  /** As trainSteps, on blasnet's training thread (never libuv's pool); settles on this thread. */
  trainStepsAsync: Async<TrainSteps>;
  /** Counts a run (fit or fitAsync) for the process-wide limit; false when the limit is reached. */
  beginRun(): boolean;
  endRun(): void;
  /** The most runs at once, 0 for no limit. */
  setRunLimit(n: number): void;
  /** The run limit (0: none), runs in progress in the process, and chunks waiting for the training thread. */
  runInfo(): { limit: number; inProgress: number; queued: number };
  /**
   * Gram-path setup and settling W1 (lib/gram.ts); each returns the most threads one of its split
   * products had. trainIterations settles at the end of a chunk itself when `settle` is set.
   */
  gramBegin(plan: TrainPlan): number;
  gramMaterialize(plan: TrainPlan): number;
  /** MT19937 seeding (init_genrand) into state: Uint32Array(624) key + Int32Array position holder. */
  mtSeed(state: Uint32Array, pos: Int32Array, seed: number): void;
  /** Fills out with numpy random_sample doubles; pos is an Int32Array(1) holding the MT position. */
  mtRandomSample(state: Uint32Array, pos: Int32Array, out: Float64Array): void;
  /** Fills out with numpy legacy gauss values; gauss is Float64Array(2): [hasGauss, cachedGauss]. */
  mtRandn(state: Uint32Array, pos: Int32Array, gauss: Float64Array, out: Float64Array): void;
  /** out = numpy's legacy permutation(out.length) from the stream in state/pos. */
  mtPermutation(state: Uint32Array, pos: Int32Array, out: Int32Array): void;
  /** D[i] = random_sample() < keepProb ? 1 : 0, D.length draws from the stream. */
  mtDropoutMask(state: Uint32Array, pos: Int32Array, D: FloatArray, keepProb: number): void;
  /** Column-wise softmax of Z [rows, cols] into A (may be Z). */
  softmaxForward(A: FloatArray, Z: FloatArray, rows: number, cols: number): void;
  /** -(1/m) sum(Y log AL) over [C, m], zero labels skipped. */
  softmaxCrossEntropyCost(AL: FloatArray, Y: FloatArray, C: number, m: number): number;
  /** sum(x * x), accumulated in double. */
  sumSquares(x: FloatArray, n: number): number;
  /** out = out + c * x. */
  addScaled(out: FloatArray, x: FloatArray, c: number, n: number): void;
  /** v = beta v + (1 - beta) grad; param = param - learningRate v; in place. */
  momentumUpdate(
    param: FloatArray,
    v: FloatArray,
    grad: FloatArray,
    beta: number,
    learningRate: number,
    n: number,
  ): void;
  /** One Adam step in place, bias-corrected with 1 - beta^t (C pow). */
  adamUpdate(
    param: FloatArray,
    v: FloatArray,
    s: FloatArray,
    grad: FloatArray,
    t: number,
    learningRate: number,
    beta1: number,
    beta2: number,
    epsilon: number,
    n: number,
  ): void;
  /** A = (A * D) / keepProb in place. */
  dropoutApply(A: FloatArray, D: FloatArray, keepProb: number, n: number): void;
  /** out [rows, count] = X [rows, cols] at columns idx. */
  gatherColumns(
    out: FloatArray,
    X: FloatArray,
    idx: Int32Array,
    rows: number,
    cols: number,
    count: number,
  ): void;
  /** out [cols, rows] = X^T, X a float64 [rows, cols], out float64 or float32. */
  transposeInto(out: FloatArray, X: Float64Array, rows: number, cols: number): void;
  /** Records the thread count; applied at once, or by a running run at its next iteration. */
  setNumThreads(n: number): void;
  /** The count set last (never the single-threaded count OpenBLAS has while a run splits a product). */
  getNumThreads(): number;
  blasInfo(): { config: string; coreName: string; threads: number; parallel: number };
  /** Counts `bytes` in the process-wide ledger if they fit under the limit; false (nothing counted) otherwise. */
  memoryReserve(bytes: number): boolean;
  /** Stops counting bytes this environment reserved; more than it holds is a RangeError. */
  memoryRelease(bytes: number): void;
  /** Whether `bytes` more would fit under the limit now, counting nothing. */
  memoryFits(bytes: number): boolean;
  setMemoryLimit(bytes: number): void;
  /** Sets the limit unless one was set already in this process; returns whether it did. */
  initMemoryLimit(bytes: number): boolean;
  memoryInfo(): { limit: number; inUse: number; defaultLimit: number };
}

/**
 * The buffers of one network for m examples, as the native engine reads them: arrays indexed by
 * layer - 1. G, S and Z1 are present only on the Gram path.
 */
export interface TrainPlan {
  dims: number[];
  m: number;
  X: FloatArray;
  Y: FloatArray;
  W: FloatArray[];
  b: FloatArray[];
  A: FloatArray[];
  dZ: FloatArray[];
  dW: FloatArray[];
  db: FloatArray[];
  G?: FloatArray | null;
  S?: FloatArray | null;
  Z1?: FloatArray | null;
}

/** Status codes of native/train.h TrainStatus. */
export const TrainStatus = { ok: 0, cancelled: 1, nonFiniteGradient: 2, nonFiniteCost: 3 } as const;

/**
 * The mini-batch engine's run buffers (native/steps.h): per-layer lists count from layer 1 at index
 * 0; Z, A, dZ and D hold `capacity` columns; Xb/Yb are null when every batch is the whole set in order.
 */
export interface StepPlan {
  dims: number[];
  m: number;
  capacity: number;
  /** [n_0, m], or null when XT holds X (the engine then gathers every batch from XT). */
  X: FloatArray | null;
  /** [m, n_0]: X^T, examples as rows, so a shuffled batch reads contiguous memory. */
  XT: FloatArray | null;
  Y: FloatArray;
  /** [n_0, capacity], or [capacity, n_0] (examples as rows) when the batches come from XT. */
  Xb: FloatArray | null;
  Yb: FloatArray | null;
  order: Int32Array;
  W: FloatArray[];
  b: FloatArray[];
  dW: FloatArray[];
  db: FloatArray[];
  Z: FloatArray[];
  A: FloatArray[];
  dZ: FloatArray[];
  D: FloatArray[];
  vW: FloatArray[];
  vb: FloatArray[];
  sW: FloatArray[];
  sb: FloatArray[];
  key: Uint32Array;
  pos: Int32Array;
  hidden: number;
  output: number;
  optimizer: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  l2: number;
  keepProb: number;
}

export interface TrainOutcome {
  status: number;
  completed: number;
  /** Wall time of the native run and the part of it spent inside BLAS. */
  seconds: number;
  blasSeconds: number;
  /** Mini-batch runs only (absent from the full-batch engine's outcome). */
  gatherSeconds?: number;
  optimizerSeconds?: number;
  /** The most threads that shared one product split into blocks (0: none was split). */
  splitThreads: number;
  /** Of `seconds`, the part spent settling W1 at the chunk's end (the Gram path; lib/gram.ts). */
  settleSeconds?: number;
}

const addonPath =
  process.env.BLASNET_ADDON_PATH ?? fileURLToPath(new URL("../build/Release/blasnet.node", import.meta.url));

function load(): NativeBinding {
  const flags = cpuFlags();
  // OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads, so the kernel is named first.
  const preferred = flags === undefined ? undefined : preferredKernel(flags);
  if (process.env.OPENBLAS_CORETYPE === undefined && isMainThread && preferred !== undefined) {
    process.env.OPENBLAS_CORETYPE = preferred;
  }
  let binding: NativeBinding;
  try {
    binding = createRequire(import.meta.url)(addonPath) as NativeBinding;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `blasnet: could not load the native addon at ${addonPath} (${reason}). ` +
        "Build it with `npm run build:native`; it needs OpenBLAS: `apt-get install libopenblas-dev`.",
    );
  }
  if (flags !== undefined) assertKernelRuns(binding.blasInfo().coreName, flags);
  const threads = Number(process.env.BLASNET_NUM_THREADS);
  if (Number.isInteger(threads) && threads >= 1) binding.setNumThreads(threads);
  // Once per process: a worker importing blasnet later must not undo a setMemoryLimit made since.
  const maxBytes = parseByteCount(process.env.BLASNET_MAX_BYTES);
  if (maxBytes !== undefined) binding.initMemoryLimit(maxBytes);
  return binding;
}

/** A kernel forced by OPENBLAS_CORETYPE onto a CPU without its instructions is an error, not a SIGILL. */
function assertKernelRuns(kernel: string, flags: ReadonlySet<string>): void {
  const missing = missingFeatures(kernel, flags);
  if (missing.length === 0) return;
  throw new Error(
    `blasnet: OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE ?? ""} makes OpenBLAS run its ${kernel} ` +
      `kernel, which needs ${missing.join(", ")}; this CPU lacks them and would die of SIGILL. ` +
      `Unset OPENBLAS_CORETYPE or name one of ${runnableKernels(flags).join(", ")}.`,
  );
}

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/**
 * BLASNET_MAX_BYTES: a whole number of bytes, optionally with a K, M, G or T suffix (powers of
 * 1024, "8G", "512MiB"). Unset or empty means the default. Anything else throws at import: a
 * memory limit that was meant but silently not applied is worse than a clear startup error.
 */
function parseByteCount(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const match = /^\s*(\d+)\s*(?:([kmgt])(?:i?b)?)?\s*$/i.exec(text);
  const bytes = match === null ? NaN : Number(match[1]) * UNITS[(match[2] ?? "").toLowerCase()]!;
  if (!Number.isSafeInteger(bytes)) {
    throw new RangeError(
      "blasnet: expected BLASNET_MAX_BYTES to be a whole number of bytes up to 2^53 - 1, optionally " +
        `with a K, M, G or T suffix (powers of 1024, e.g. 8G), received ${JSON.stringify(text)}`,
    );
  }
  return bytes;
}

/** The loaded addon, shared by every module of this package. */
export const native: NativeBinding = load();
