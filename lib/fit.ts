// The run loops of both engines, in one shape: a generator that yields chunks (a native call of
// some iterations or steps), receives each chunk's outcome and returns the run's result. fit runs
// the chunks synchronously and fitAsync awaits them on the training thread, whichever engine runs.
// Also the mini-batch engine's side of a run: the options of an epochs run checked into settings
// and the run buffers sized once for the largest batch (lib/budget.ts counts them).
import { bytesPerElement } from "./budget.js";
import type { RunFingerprint, RunState } from "./checkpoint.js";
import type { FitOptions, EpochLog, FitProgress, FitResult } from "./fit-options.js";
import type { GramRun } from "./gram.js";
import { describe, type Matrix } from "./matrix.js";
import {
  ActivationCode,
  type FloatArray,
  type StepPlan,
  type TrainOutcome,
  type TrainPlan,
  TrainStatus,
} from "./native.js";
import { allocate } from "./plan.js";
import { RandomState } from "./random.js";
import {
  assertInRange,
  assertInteger,
  assertKeepProb,
  assertMatrix,
  assertNonNegativeNumber,
  assertOneHot,
  assertOptions,
  assertPositiveNumber,
  assertShape,
  assertWithin,
} from "./validate.js";
import { native } from "./native.js";
import type { DType, Hidden, Output } from "./types.js";
import { assertOneOf } from "./errors.js";

export const OptimizerCode = { gd: 0, momentum: 1, adam: 2 } as const;
const OPTIMIZERS = Object.keys(OptimizerCode) as (keyof typeof OptimizerCode)[];

export interface StepSettings {
  learningRate: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  shuffleSeed: number;
  optimizer: keyof typeof OptimizerCode;
  beta1: number;
  beta2: number;
  epsilon: number;
  l2: number;
  keepProb: number;
  dropoutSeed: number;
  costEvery: number;
  /** Whether the run counts iterations (full-batch steps) rather than epochs, for the error text. */
  iterations: boolean;
  onCost: ((iteration: number, cost: number) => void) | undefined;
  onEpoch: ((epoch: number, log: EpochLog) => void) | undefined;
  validation: { X: Matrix; Y: Matrix } | undefined;
  earlyStopping: { patience: number; minDelta: number; restoreBest: boolean } | undefined;
}

/** Options only the mini-batch engine runs; any of them given sends a run there. */
const STEP_OPTIONS = [
  "epochs",
  "batchSize",
  "shuffle",
  "optimizer",
  "l2",
  "keepProb",
  "validationData",
  "onEpoch",
  "earlyStopping",
] as const;

export function wantsSteps(options: FitOptions): boolean {
  return STEP_OPTIONS.some((key) => options[key] !== undefined);
}

/** Y for a head: sigmoid [1, m] in [0, 1], softmax one-hot [C, m]. */
export function assertTargets(
  fn: string,
  name: string,
  Y: unknown,
  output: Output,
  classes: number,
  m: number,
) {
  assertMatrix(fn, name, Y);
  if (output === "softmax") {
    if (Y.rows !== classes || Y.cols !== m) {
      throw new RangeError(
        `${fn}: expected ${name} to be one-hot [${classes}, ${m}] (one row per class), received [${Y.rows}, ${Y.cols}]`,
      );
    }
    assertOneHot(fn, Y, name);
  } else {
    assertShape(fn, name, Y, 1, m);
    assertWithin(fn, name, Y, 0, 1);
  }
}

/** Checks the options of a mini-batch engine run (X and Y are checked by the caller). */
export function stepSettings(
  fn: string,
  options: FitOptions,
  m: number,
  check: { inputs: number; output: Output; classes: number },
): StepSettings {
  const { epochs, iterations } = options;
  if ((epochs === undefined) === (iterations === undefined)) {
    throw new TypeError(
      `${fn}: expected either epochs or iterations (not both, not neither), received ${
        epochs === undefined ? "neither" : "both"
      }`,
    );
  }
  const count = epochs ?? iterations;
  assertInteger(fn, epochs === undefined ? "iterations" : "epochs", count, 0);
  assertPositiveNumber(fn, "learningRate", options.learningRate);
  const batchSize = options.batchSize ?? m;
  assertInteger(fn, "batchSize", batchSize, 1);
  if (iterations !== undefined && batchSize !== m) {
    throw new RangeError(
      `${fn}: expected no batchSize with iterations (full-batch steps; give epochs for mini-batches), received ${batchSize}`,
    );
  }
  const capacity = Math.min(batchSize, m);
  const shuffle = options.shuffle ?? capacity < m;
  if (typeof shuffle !== "boolean") {
    throw new TypeError(`${fn}: expected shuffle to be a boolean, received ${describe(shuffle)}`);
  }
  const shuffleSeed = options.shuffleSeed ?? 0;
  assertInteger(fn, "shuffleSeed", shuffleSeed, 0);
  const dropoutSeed = options.dropoutSeed ?? 1;
  assertInteger(fn, "dropoutSeed", dropoutSeed, 0);
  if (shuffleSeed + count > 2 ** 32 || dropoutSeed >= 2 ** 32) {
    throw new RangeError(`${fn}: expected shuffleSeed + epochs and dropoutSeed to stay below 2^32`);
  }
  const l2 = options.l2 ?? 0;
  assertNonNegativeNumber(fn, "l2", l2);
  const keepProb = options.keepProb ?? 1;
  assertKeepProb(fn, keepProb);
  const raw = options.optimizer ?? "gd";
  const spec = typeof raw === "string" ? { name: raw } : raw;
  if (typeof spec !== "object" || spec === null) {
    throw new TypeError(
      `${fn}: expected optimizer "gd", "momentum", "adam" or { name, ... }, received ${describe(raw)}`,
    );
  }
  const name = (spec as { name?: unknown }).name;
  assertOneOf(fn, "optimizer", name, OPTIMIZERS);
  const s = spec as { beta?: unknown; beta1?: unknown; beta2?: unknown; epsilon?: unknown };
  let beta1 = 0.9;
  let beta2 = 0.999;
  let epsilon = 1e-8;
  if (name === "momentum") {
    beta1 = (s.beta ?? 0.9) as number;
    assertInRange(fn, "optimizer.beta", beta1, 0, 1);
  } else if (name === "adam") {
    beta1 = (s.beta1 ?? 0.9) as number;
    beta2 = (s.beta2 ?? 0.999) as number;
    epsilon = (s.epsilon ?? 1e-8) as number;
    assertInRange(fn, "optimizer.beta1", beta1, 0, 1);
    assertInRange(fn, "optimizer.beta2", beta2, 0, 1);
    assertPositiveNumber(fn, "optimizer.epsilon", epsilon);
  }
  const costEvery = options.costEvery ?? (iterations === undefined ? 1 : 100);
  assertInteger(fn, "costEvery", costEvery, 1);
  for (const key of ["onCost", "onEpoch"] as const) {
    if (options[key] !== undefined && typeof options[key] !== "function") {
      throw new TypeError(`${fn}: expected ${key} to be a function, received ${describe(options[key])}`);
    }
  }
  let validation: StepSettings["validation"];
  if (options.validationData !== undefined) {
    const v = options.validationData as { X?: unknown; Y?: unknown };
    if (typeof v !== "object" || v === null) {
      throw new TypeError(`${fn}: expected validationData to be { X, Y }, received ${describe(v)}`);
    }
    assertMatrix(fn, "validationData.X", v.X);
    if (v.X.rows !== check.inputs) {
      throw new RangeError(
        `${fn}: expected validationData.X to have ${check.inputs} rows (the input size), received [${v.X.rows}, ${v.X.cols}]`,
      );
    }
    assertTargets(fn, "validationData.Y", v.Y, check.output, check.classes, v.X.cols);
    validation = { X: v.X, Y: v.Y as Matrix };
  }
  let earlyStopping: StepSettings["earlyStopping"];
  if (options.earlyStopping !== undefined) {
    const e = options.earlyStopping;
    assertOptions(fn, e);
    if (e === null)
      throw new TypeError(`${fn}: expected earlyStopping to be { patience, ... }, received null`);
    assertInteger(fn, "earlyStopping.patience", e.patience, 1);
    const minDelta = e.minDelta ?? 0;
    assertNonNegativeNumber(fn, "earlyStopping.minDelta", minDelta);
    const restoreBest = e.restoreBest ?? true;
    if (typeof restoreBest !== "boolean") {
      throw new TypeError(
        `${fn}: expected earlyStopping.restoreBest to be a boolean, received ${describe(restoreBest)}`,
      );
    }
    earlyStopping = { patience: e.patience, minDelta, restoreBest };
  }
  return {
    learningRate: options.learningRate,
    epochs: count as number,
    batchSize: capacity,
    shuffle,
    shuffleSeed,
    optimizer: name,
    beta1,
    beta2,
    epsilon,
    l2,
    keepProb,
    dropoutSeed,
    costEvery,
    iterations: iterations !== undefined,
    onCost: options.onCost,
    onEpoch: options.onEpoch,
    validation,
    earlyStopping,
  };
}

/** Values of every W_l and b_l. */
function parameterValues(dims: readonly number[]): number {
  let n = 0;
  for (let l = 1; l < dims.length; l++) n += (dims[l] as number) * ((dims[l - 1] as number) + 1);
  return n;
}

/** Whether the batches are gathered (anything but the whole set in order). */
export function gathers(s: StepSettings, m: number): boolean {
  return s.batchSize < m || s.shuffle;
}

/**
 * Bytes of the buffers stepPlan allocates: Z, A, dZ (and D) per layer for the largest batch, the
 * gathered batch, the optimizer state, the order and the dropout stream, the per-epoch costs, and
 * the best parameters earlyStopping keeps.
 */
export function stepBytes(dtype: DType, dims: readonly number[], m: number, s: StepSettings): number {
  const cap = s.batchSize;
  const L = dims.length - 1;
  let values = 0;
  for (let l = 1; l <= L; l++) values += (s.keepProb < 1 && l < L ? 4 : 3) * (dims[l] as number) * cap;
  // A gathering run also keeps X^T (examplesAsRows), counted here as its own buffer.
  if (gathers(s, m)) values += ((dims[0] as number) + (dims[L] as number)) * cap + (dims[0] as number) * m;
  const params = parameterValues(dims);
  values += params * (s.optimizer === "adam" ? 2 : s.optimizer === "momentum" ? 1 : 0);
  if (s.earlyStopping?.restoreBest) values += params;
  const batches = Math.ceil(m / cap);
  return values * bytesPerElement(dtype) + m * 4 * 2 + 625 * 4 + (batches + 1) * 8;
}

/**
 * X^T `[m, n_0]` in the model's precision. A shuffled batch picks columns of X, and each column of
 * a row-major `[n_0, m]` X lies on n_0 different cache lines, of which the gather uses one value
 * each: on mnist-mlp at batch 64 that took a quarter of every step. Rows of X^T are contiguous.
 * Made once per run, on the calling thread (as fitAsync's copy of X is).
 */
export function examplesAsRows(fn: string, dtype: DType, X: Matrix): FloatArray {
  const out = allocate(
    dtype,
    X.data.length,
    fn,
    `its copy of X with examples as rows, [${X.cols}, ${X.rows}]`,
  );
  native.transposeInto(out, X.data, X.rows, X.cols);
  return out;
}

/**
 * The run's buffers, each allocated once; `fn` names the caller in memory errors. A gathering run
 * passes X^T (examplesAsRows) and no X; any other passes X and no X^T.
 */
export function stepPlan(
  dtype: DType,
  dims: readonly number[],
  weights: { W: FloatArray[]; b: FloatArray[]; dW: FloatArray[]; db: FloatArray[] },
  inputs: { X: FloatArray | null; XT: FloatArray | null },
  Y: FloatArray,
  m: number,
  s: StepSettings,
  model: { hidden: Hidden; output: Output },
  fn: string,
): StepPlan {
  const cap = s.batchSize;
  const L = dims.length - 1;
  const layers = dims.slice(1);
  const perLayer = (name: string, count = L) =>
    layers.slice(0, count).map((n, i) => allocate(dtype, n * cap, fn, `${name}${i + 1}, [${n}, ${cap}]`));
  const like = (list: FloatArray[], name: string) =>
    list.map((w, i) => allocate(dtype, w.length, fn, `${name}${i + 1}`));
  const moments = s.optimizer !== "gd";
  const adam = s.optimizer === "adam";
  const gather = gathers(s, m);
  const order = new Int32Array(m);
  for (let j = 0; j < m; j++) order[j] = j;
  const key = new Uint32Array(624);
  const pos = new Int32Array(1);
  native.mtSeed(key, pos, s.dropoutSeed);
  return {
    dims: [...dims],
    m,
    capacity: cap,
    X: inputs.X,
    XT: inputs.XT,
    Y,
    Xb: gather
      ? allocate(dtype, (dims[0] as number) * cap, fn, `the batch of X, [${dims[0]}, ${cap}]`)
      : null,
    Yb: gather
      ? allocate(dtype, (dims[L] as number) * cap, fn, `the batch of Y, [${dims[L]}, ${cap}]`)
      : null,
    order,
    W: weights.W,
    b: weights.b,
    dW: weights.dW,
    db: weights.db,
    Z: perLayer("Z"),
    A: perLayer("A"),
    dZ: perLayer("dZ"),
    D: s.keepProb < 1 ? perLayer("D", L - 1) : [],
    vW: moments ? like(weights.W, "vW") : [],
    vb: moments ? like(weights.b, "vb") : [],
    sW: adam ? like(weights.W, "sW") : [],
    sb: adam ? like(weights.b, "sb") : [],
    key,
    pos,
    hidden: ActivationCode[model.hidden],
    output: ActivationCode[model.output],
    optimizer: OptimizerCode[s.optimizer],
    learningRate: s.learningRate,
    beta1: s.beta1,
    beta2: s.beta2,
    epsilon: s.epsilon,
    l2: s.l2,
    keepProb: s.keepProb,
  };
}

/** A chunk a run loop asks its driver to run: at most `remaining` iterations or steps. */
export interface Chunk {
  remaining: number;
  /** Runs `count` of them synchronously. */
  run(count: number): TrainOutcome;
  /** Runs `count` of them on the training thread, stopping when `cancel[0]` is raised. */
  runAsync(count: number, cancel: Int32Array): Promise<TrainOutcome>;
}

/** What fit and fitAsync drive, whichever engine: the loop and what it reports between chunks. */
export interface EngineRun {
  /** Yields chunks, receives their outcomes; returns the result, or undefined once cancelled. */
  loop: Generator<Chunk, FitResult, TrainOutcome>;
  /** Kept current by the loop, for onProgress. */
  progress: FitProgress;
  /** What an abort message counts. */
  unit: "iterations" | "steps";
}

/** The full-batch engine's settings (Model checks them). */
export interface IterationSettings {
  learningRate: number;
  iterations: number;
  costEvery: number;
  onCost: ((iteration: number, cost: number) => void) | undefined;
}

/**
 * The full-batch engine's run loop (native/train.cc): chunks end on cost iterations, so every
 * recorded cost reaches onCost between chunks. A cost or gradient that stops being finite throws.
 */
export function* iterationLoop(
  fn: string,
  plan: TrainPlan,
  s: IterationSettings,
  gram: GramRun | undefined,
  progress: FitProgress,
): Generator<Chunk, FitResult, TrainOutcome> {
  const costBuffer = new Float64Array(s.costEvery);
  const recorded: number[] = [];
  let completed = 0;
  let seconds = 0;
  let blasSeconds = 0;
  let splitThreads = gram?.splitThreads ?? 0;
  while (completed < s.iterations) {
    const first = completed;
    let settle = false;
    const args = (count: number) => {
      settle = gram?.settles(first + count === s.iterations) ?? false;
      return [plan, s.learningRate, count, first, s.costEvery, costBuffer.subarray(0, count)] as const;
    };
    const outcome: TrainOutcome = yield {
      remaining: Math.min(s.costEvery - (first % s.costEvery), s.iterations - first),
      run: (count) => {
        const a = args(count);
        return native.trainIterations(...a, null, settle);
      },
      runAsync: (count, cancel) => {
        const a = args(count);
        return native.trainIterationsAsync(...a, cancel, settle);
      },
    };
    const newCosts: [number, number][] = [];
    for (let i = 0; i < outcome.completed; i++) {
      const cost = costBuffer[i] as number;
      if (!Number.isNaN(cost)) {
        recorded.push(cost);
        progress.cost = cost;
        newCosts.push([first + i, cost]);
      }
    }
    completed += outcome.completed;
    progress.iteration = completed;
    seconds += outcome.seconds;
    blasSeconds += outcome.blasSeconds;
    splitThreads = Math.max(splitThreads, outcome.splitThreads);
    // A chunk asked to settle, or one that stopped early, leaves W1 current (lib/gram.ts).
    gram?.afterChunk(settle || outcome.status !== TrainStatus.ok, outcome.completed);
    if (s.onCost !== undefined) for (const [iteration, cost] of newCosts) s.onCost(iteration, cost);
    if (outcome.status === TrainStatus.cancelled) return undefined as never;
    if (outcome.status === TrainStatus.nonFiniteCost || outcome.status === TrainStatus.nonFiniteGradient) {
      const what =
        outcome.status === TrainStatus.nonFiniteCost
          ? `the cost became ${costBuffer[outcome.completed]}`
          : "the gradients stopped being finite";
      throw new Error(
        `${fn}: ${what} at iteration ${completed}; the learning rate is probably too large or the sigmoid ` +
          `saturated (inputs not scaled to about [0, 1]?). The model keeps the finite parameters it had before that iteration.`,
      );
    }
  }
  return {
    costs: recorded,
    gram: gram !== undefined,
    seconds,
    blasSeconds,
    gatherSeconds: 0,
    optimizerSeconds: 0,
    splitThreads,
    history: [],
    stoppedEarly: false,
    bestEpoch: -1,
  };
}

/** What the loop needs of the model between chunks. */
export interface RunHost {
  /** The monitored validation metrics of the current parameters. */
  evaluate(X: Matrix, Y: Matrix): { cost: number; accuracy: number };
  /** Copies the parameters out (save) or back in (restore), for earlyStopping's restoreBest. */
  snapshot(into: FloatArray[]): void;
  restore(from: FloatArray[]): void;
  allocateSnapshot(): FloatArray[];
}

/** Where the loop starts from and where it writes checkpoints. */
export interface RunResume {
  /** The state to continue from (resume: true). */
  from?: RunState;
  /** Writes a checkpoint after every `everyEpochs` epochs and at the end. */
  checkpoint?: { everyEpochs: number; fingerprint: RunFingerprint; write(state: RunState): void };
}

export interface StepTotals {
  seconds: number;
  blasSeconds: number;
  steps: number;
  gatherSeconds: number;
  optimizerSeconds: number;
  /** The most threads that shared one split product so far. */
  splitThreads: number;
}

/**
 * The mini-batch engine's run loop over epochs and batches: yields chunks, receives each chunk's
 * outcome, and returns the run's result. A driver that stops early (an abort) calls `return` on it.
 */
export function* runLoop(
  fn: string,
  plan: StepPlan,
  s: StepSettings,
  host: RunHost,
  totals: StepTotals,
  run: RunResume = {},
  progress: FitProgress = { iteration: 0, iterations: 0, cost: undefined },
): Generator<Chunk, FitResult, TrainOutcome> {
  const m = plan.m;
  const batches = Math.ceil(m / s.batchSize);
  const costs = new Float64Array(batches);
  const t = new Float64Array(1);
  const history: EpochLog[] = [];
  const recorded: number[] = [];
  let best = Infinity;
  let bestEpoch = -1;
  let wait = 0;
  let stoppedEarly = false;
  let start = 0;
  const snapshot = s.earlyStopping?.restoreBest ? host.allocateSnapshot() : undefined;
  const from = run.from;
  if (from !== undefined) {
    // The optimizer moments and the dropout stream are restored into the plan by the caller.
    start = from.epochsCompleted;
    t[0] = from.t;
    from.history.forEach((log, e) => {
      history.push({ ...log });
      if (e % s.costEvery === 0) recorded.push(log.cost);
    });
    best = from.best;
    bestEpoch = from.bestEpoch;
    wait = from.wait;
    stoppedEarly = from.stoppedEarly;
    if (snapshot !== undefined && from.bestParameters !== undefined)
      snapshot.forEach((w, i) => w.set(from.bestParameters![i]!));
  }
  const writer = run.checkpoint;
  let written = -1;
  const checkpoint = (completed: number) => {
    if (writer === undefined) return;
    written = completed;
    writer.write({
      fingerprint: writer.fingerprint,
      epochsCompleted: completed,
      t: t[0]!,
      key: plan.key,
      pos: plan.pos[0]!,
      history,
      best,
      bestEpoch,
      wait,
      stoppedEarly,
      vW: plan.vW,
      vb: plan.vb,
      sW: plan.sW,
      sb: plan.sb,
      bestParameters: snapshot,
    });
  };
  // A checkpoint of a run that stopped early is finished: its parameters are already the best ones.
  for (let e = start; e < s.epochs && !stoppedEarly; e++) {
    if (s.shuffle) plan.order.set(new RandomState(s.shuffleSeed + e).permutation(m));
    let done = 0;
    while (done < batches) {
      const firstBatch = done;
      const outcome: TrainOutcome = yield {
        remaining: batches - done,
        run: (count) =>
          native.trainSteps(plan, firstBatch, count, t, costs.subarray(firstBatch, firstBatch + count), null),
        runAsync: (count, cancel) =>
          native.trainStepsAsync(
            plan,
            firstBatch,
            count,
            t,
            costs.subarray(firstBatch, firstBatch + count),
            cancel,
          ),
      };
      totals.seconds += outcome.seconds;
      totals.blasSeconds += outcome.blasSeconds;
      totals.splitThreads = Math.max(totals.splitThreads, outcome.splitThreads);
      totals.gatherSeconds += outcome.gatherSeconds ?? 0;
      totals.optimizerSeconds += outcome.optimizerSeconds ?? 0;
      totals.steps += outcome.completed;
      done += outcome.completed;
      progress.iteration = totals.steps;
      if (outcome.completed > 0) progress.cost = costs[done - 1];
      if (outcome.status === TrainStatus.nonFiniteCost || outcome.status === TrainStatus.nonFiniteGradient) {
        const what =
          outcome.status === TrainStatus.nonFiniteCost
            ? `the cost became ${costs[done]}`
            : "the gradients stopped being finite";
        const where = s.iterations ? `iteration ${e}` : `epoch ${e}, step ${done}`;
        throw new Error(
          `${fn}: ${what} at ${where}; the learning rate is probably too large or the sigmoid ` +
            `saturated (inputs not scaled to about [0, 1]?). The model keeps the finite parameters it had before that ${
              s.iterations ? "iteration" : "step"
            }.`,
        );
      }
      if (outcome.status === TrainStatus.cancelled) return undefined as never;
    }
    let total = 0;
    for (let k = 0; k < batches; k++)
      total += Math.min(s.batchSize, m - k * s.batchSize) * (costs[k] as number);
    const log: EpochLog = { cost: total / m };
    if (s.validation !== undefined) {
      const { cost, accuracy } = host.evaluate(s.validation.X, s.validation.Y);
      log.validationCost = cost;
      log.validationAccuracy = accuracy;
    }
    history.push(log);
    if (e % s.costEvery === 0) {
      recorded.push(log.cost);
      s.onCost?.(e, log.cost);
    }
    s.onEpoch?.(e, { ...log });
    const monitored = log.validationCost ?? log.cost;
    if (monitored < best - (s.earlyStopping?.minDelta ?? 0)) {
      best = monitored;
      bestEpoch = e;
      wait = 0;
      if (snapshot !== undefined) host.snapshot(snapshot);
    } else if (s.earlyStopping !== undefined && ++wait >= s.earlyStopping.patience) {
      stoppedEarly = true;
      if (snapshot !== undefined) host.restore(snapshot);
      checkpoint(e + 1);
      break;
    }
    if ((e + 1) % (writer?.everyEpochs ?? 1) === 0 || e + 1 === s.epochs) checkpoint(e + 1);
  }
  if (written < 0 && from === undefined) checkpoint(start);
  return {
    costs: recorded,
    gram: false,
    seconds: totals.seconds,
    blasSeconds: totals.blasSeconds,
    gatherSeconds: totals.gatherSeconds,
    optimizerSeconds: totals.optimizerSeconds,
    splitThreads: totals.splitThreads,
    history,
    stoppedEarly,
    bestEpoch,
  };
}
