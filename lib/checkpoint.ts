// Checkpoints of epochs runs: the run state a checkpoint file carries next to the parameters (in
// its __metadata__ "run_state" and the extra tensors vW1.., vb1.., sW1.., sb1.., bestW1.., bestb1..),
// the options check, and the comparison of a resumed run's settings with the checkpoint's.
import type { EpochLog } from "./fit-options.js";
import type { StepSettings } from "./fit.js";
import { describe } from "./matrix.js";
import { ModelFormatError } from "./model-format-error.js";
import type { FloatArray } from "./native.js";
import { assertInteger } from "./validate.js";

/** Everything about a run that must match for a resumed run to continue it bit for bit. */
export interface RunFingerprint {
  layerDims: number[];
  m: number;
  n0: number;
  batchSize: number;
  shuffle: boolean;
  shuffleSeed: number;
  optimizer: string;
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  l2: number;
  keepProb: number;
  dropoutSeed: number;
  epochs: number;
  earlyStopping: { patience: number; minDelta: number; restoreBest: boolean } | null;
  /** Examples in validationData (null without it): the early-stopping state was kept on them. */
  validationM: number | null;
}

/** The state of a run after `epochsCompleted` epochs. */
export interface RunState {
  fingerprint: RunFingerprint;
  epochsCompleted: number;
  /** The Adam step counter. */
  t: number;
  /** The dropout MT19937 stream: 624 words and the position. */
  key: Uint32Array;
  pos: number;
  history: EpochLog[];
  best: number;
  bestEpoch: number;
  wait: number;
  stoppedEarly: boolean;
  vW: FloatArray[];
  vb: FloatArray[];
  sW: FloatArray[];
  sb: FloatArray[];
  /** earlyStopping's best parameters, W1..WL then b1..bL, when restoreBest keeps them. */
  bestParameters: FloatArray[] | undefined;
}

export interface CheckpointSettings {
  path: string;
  everyEpochs: number;
}

/** Checks the checkpoint and resume options (the caller checks that the run is an epochs run). */
export function checkpointSettings(
  fn: string,
  options: { checkpoint?: unknown; resume?: unknown },
): { checkpoint: CheckpointSettings | undefined; resume: boolean } {
  const { checkpoint, resume } = options;
  if (resume !== undefined && typeof resume !== "boolean") {
    throw new TypeError(`${fn}: expected resume to be a boolean, received ${describe(resume)}`);
  }
  let settings: CheckpointSettings | undefined;
  if (checkpoint !== undefined) {
    if (typeof checkpoint !== "object" || checkpoint === null) {
      throw new TypeError(
        `${fn}: expected checkpoint to be { path, everyEpochs? }, received ${describe(checkpoint)}`,
      );
    }
    const { path, everyEpochs = 1 } = checkpoint as { path?: unknown; everyEpochs?: unknown };
    if (typeof path !== "string" || path === "") {
      throw new TypeError(
        `${fn}: expected checkpoint.path to be a non-empty string, received ${describe(path)}`,
      );
    }
    assertInteger(fn, "checkpoint.everyEpochs", everyEpochs, 1);
    settings = { path, everyEpochs: everyEpochs as number };
  }
  return { checkpoint: settings, resume: resume === true };
}

export function fingerprintOf(layerDims: readonly number[], m: number, s: StepSettings): RunFingerprint {
  return {
    layerDims: [...layerDims],
    m,
    n0: layerDims[0]!,
    batchSize: s.batchSize,
    shuffle: s.shuffle,
    shuffleSeed: s.shuffleSeed,
    optimizer: s.optimizer,
    beta1: s.beta1,
    beta2: s.beta2,
    epsilon: s.epsilon,
    learningRate: s.learningRate,
    l2: s.l2,
    keepProb: s.keepProb,
    dropoutSeed: s.dropoutSeed,
    epochs: s.epochs,
    earlyStopping: s.earlyStopping ? { ...s.earlyStopping } : null,
    validationM: s.validation?.X.cols ?? null,
  };
}

const NAMES: Record<keyof RunFingerprint, string> = {
  layerDims: "layer dims",
  m: "m (examples in X)",
  n0: "n_0 (rows of X)",
  batchSize: "batchSize",
  shuffle: "shuffle",
  shuffleSeed: "shuffleSeed",
  optimizer: "optimizer",
  beta1: "optimizer beta1 (beta for momentum)",
  beta2: "optimizer beta2",
  epsilon: "optimizer epsilon",
  learningRate: "learningRate",
  l2: "l2",
  keepProb: "keepProb",
  dropoutSeed: "dropoutSeed",
  epochs: "epochs",
  earlyStopping: "earlyStopping",
  validationM: "validationData examples",
};

/** @throws {RangeError} naming the first setting of this run that differs from the checkpoint's */
export function assertSameRun(fn: string, saved: RunFingerprint, now: RunFingerprint): void {
  for (const key of Object.keys(NAMES) as (keyof RunFingerprint)[]) {
    const a = JSON.stringify(saved[key]);
    const b = JSON.stringify(now[key]);
    if (a !== b) {
      throw new RangeError(
        `${fn}: resume: the checkpoint's run has ${NAMES[key]} ${a}, but this run has ${b}; resume with the options and data of the run that wrote it`,
      );
    }
  }
}

/** The JSON of a run state's scalars (its arrays go to tensors). */
export function runStateJson(state: RunState): string {
  return JSON.stringify({
    version: 1,
    fingerprint: state.fingerprint,
    epochsCompleted: state.epochsCompleted,
    t: state.t,
    key: Array.from(state.key),
    pos: state.pos,
    history: state.history,
    best: Number.isFinite(state.best) ? state.best : null,
    bestEpoch: state.bestEpoch,
    wait: state.wait,
    stoppedEarly: state.stoppedEarly,
    restoreBest: state.bestParameters !== undefined,
  });
}

/** The prefixes of the extra tensors a run state has (one tensor per layer each). */
export function runTensorKinds(optimizer: string, restoreBest: boolean): string[] {
  const kinds: string[] = [];
  if (optimizer === "momentum" || optimizer === "adam") kinds.push("vW", "vb");
  if (optimizer === "adam") kinds.push("sW", "sb");
  if (restoreBest) kinds.push("bestW", "bestb");
  return kinds;
}

const bad = (what: string) => new ModelFormatError(`"__metadata__.run_state" ${what}`);
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/**
 * Parses and checks a run state's JSON; `tensor(name, like)` reads one of the extra tensors,
 * checked to have the dtype and shape of the parameter `like`.
 * @throws {ModelFormatError}
 */
export function parseRunState(
  text: string,
  layerDims: readonly number[],
  tensor: (name: string, like: string) => FloatArray,
): { state: RunState; tensors: string[] } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ModelFormatError(`"__metadata__.run_state" is not JSON`, { cause: error });
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw bad("is not an object");
  if (raw.version !== 1) throw bad(`has version ${describe(raw.version)}; this blasnet reads 1`);
  const f = raw.fingerprint as Record<string, unknown> | null;
  if (typeof f !== "object" || f === null) throw bad("has no fingerprint");
  if (JSON.stringify(f.layerDims) !== JSON.stringify(layerDims)) throw bad("is for other layer dims");
  for (const k of ["m", "n0", "batchSize", "shuffleSeed", "dropoutSeed", "epochs"] as const)
    if (!isCount(f[k])) throw bad(`has a bad fingerprint.${k}`);
  for (const k of ["beta1", "beta2", "epsilon", "learningRate", "l2", "keepProb"] as const)
    if (!isNumber(f[k])) throw bad(`has a bad fingerprint.${k}`);
  if (typeof f.shuffle !== "boolean") throw bad("has a bad fingerprint.shuffle");
  if (f.validationM !== null && !isCount(f.validationM)) throw bad("has a bad fingerprint.validationM");
  if (f.optimizer !== "gd" && f.optimizer !== "momentum" && f.optimizer !== "adam")
    throw bad("has a bad fingerprint.optimizer");
  const es = f.earlyStopping as Record<string, unknown> | null;
  if (
    es !== null &&
    (typeof es !== "object" ||
      !isCount(es.patience) ||
      !isNumber(es.minDelta) ||
      typeof es.restoreBest !== "boolean")
  )
    throw bad("has a bad fingerprint.earlyStopping");
  const { epochsCompleted, t, key, pos, history, best, bestEpoch, wait, stoppedEarly, restoreBest } = raw;
  if (!isCount(epochsCompleted) || epochsCompleted > (f.epochs as number))
    throw bad("has a bad epochsCompleted");
  if (!isCount(t)) throw bad("has a bad t");
  if (!Array.isArray(key) || key.length !== 624 || !key.every((w) => isCount(w) && w < 2 ** 32))
    throw bad("has a bad dropout key (624 words)");
  if (!isCount(pos) || pos > 624) throw bad("has a bad dropout position");
  if (
    !Array.isArray(history) ||
    history.length !== epochsCompleted ||
    !history.every(
      (h) =>
        typeof h === "object" &&
        h !== null &&
        isNumber((h as EpochLog).cost) &&
        Object.entries(h as object).every(
          ([k, v]) => ["cost", "validationCost", "validationAccuracy"].includes(k) && isNumber(v),
        ),
    )
  )
    throw bad("has a bad history");
  if (best !== null && !isNumber(best)) throw bad("has a bad best");
  if (!Number.isSafeInteger(bestEpoch) || (bestEpoch as number) < -1) throw bad("has a bad bestEpoch");
  if (!isCount(wait)) throw bad("has a bad wait");
  if (typeof stoppedEarly !== "boolean" || typeof restoreBest !== "boolean") throw bad("has bad flags");
  const L = layerDims.length - 1;
  const kinds = runTensorKinds(f.optimizer, restoreBest);
  const read = (kind: string) =>
    kinds.includes(kind)
      ? Array.from({ length: L }, (_, i) =>
          tensor(`${kind}${i + 1}`, `${kind.endsWith("W") ? "W" : "b"}${i + 1}`),
        )
      : [];
  const state: RunState = {
    fingerprint: {
      ...(f as unknown as RunFingerprint),
      layerDims: [...layerDims],
      earlyStopping:
        es === null ? null : { ...(es as unknown as NonNullable<RunFingerprint["earlyStopping"]>) },
    },
    epochsCompleted,
    t,
    key: Uint32Array.from(key as number[]),
    pos,
    history: (history as EpochLog[]).map((h) => ({ ...h })),
    best: best === null ? Infinity : (best as number),
    bestEpoch: bestEpoch as number,
    wait,
    stoppedEarly,
    vW: read("vW"),
    vb: read("vb"),
    sW: read("sW"),
    sb: read("sb"),
    bestParameters: restoreBest ? [...read("bestW"), ...read("bestb")] : undefined,
  };
  const names = kinds.flatMap((kind) => Array.from({ length: L }, (_, i) => `${kind}${i + 1}`));
  return { state, tensors: names };
}
