// The training engine: a Model owns its parameters and every buffer, and trains them in native
// whole-iteration chunks, synchronously or off the event loop.
import { type Reservation, accounted, bytesPerElement, checkAllocation, copyOf, reserve } from "./budget.js";
import { Matrix, describe } from "./matrix.js";
import { claimRun } from "./runs.js";
import { type RunState, assertSameRun, checkpointSettings, fingerprintOf } from "./checkpoint.js";
import {
  ActivationCode,
  type FloatArray,
  type TrainOutcome,
  type TrainPlan,
  TrainStatus,
  native,
  HIDDEN,
  OUTPUTS,
} from "./native.js";
import { type FitAsyncOptions, type FitOptions, type FitResult, type ModelOptions } from "./fit-options.js";
import {
  type EngineRun,
  type RunHost,
  type RunResume,
  type StepTotals,
  assertTargets,
  examplesAsRows,
  gathers,
  iterationLoop,
  runLoop,
  stepBytes,
  stepPlan,
  stepSettings,
  wantsSteps,
} from "./fit.js";
import {
  type LoadOptions,
  type ModelContents,
  contentsOf,
  encodeCheckpoint,
  encodeModel,
  saveCheckpoint,
  saveCheckpointSync,
  readModel,
  readModelBytes,
  saveModel,
} from "./model-file.js";
import { type ModelMetadata, checkMetadata } from "./model-metadata.js";
import { type NpzOptions, exportNpz, readNpz } from "./npz.js";
import { exportOnnx } from "./onnx.js";
import { GramRun, chooseGram, refuseGram } from "./gram.js";
import { assertInit, initializeParametersDeep, parameterCount } from "./params.js";
import { allocate, buildPlan, planBytes, toPrecision } from "./plan.js";
import {
  assertAligned,
  assertFinite,
  assertInteger,
  assertLabels,
  assertLayerDims,
  assertMatrix,
  assertOptions,
  assertParameters,
  assertPositiveNumber,
} from "./validate.js";
import { AbortError, assertOneOf } from "./errors.js";
import type { DType, Hidden, MatrixDict, Output } from "./types.js";

/** The precisions a Model trains in. */
const DTYPES: readonly DType[] = ["float64", "float32"];

/** Module-private option key: fromParameters hands its validated dictionary to the constructor,
 * which then draws no random weights only to overwrite them. */
const GIVEN_PARAMETERS = Symbol("givenParameters");

/** Target duration of one fitAsync chunk: frequent progress, negligible per-chunk overhead. */
const CHUNK_MS = 25;

/** Gives the memory a collected model reserved (its parameters, its gradients) back to the limit. */
const modelMemory = new FinalizationRegistry<Reservation>((memory) => memory.release());

/**
 * Module-private method key: releases a model's reservations at once, for the seed's functions
 * (lib/models.ts) whose model never escapes them. Its buffers are garbage from then on, and the
 * finalizer would release them only once the collector runs, after a synchronous loop of calls.
 */
export const releaseModelMemory = Symbol("releaseModelMemory");

/** A run in progress: what the model releases and settles when it ends. */
interface Run {
  /** The Gram path's state, when the run takes it. */
  gram: GramRun | undefined;
  /** The run's own buffers (A, dZ, Gram, input copies, costs), released when it ends. */
  memory: Reservation;
}

/**
 * A fully-connected network [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID trained by full-batch
 * gradient descent on the cross-entropy cost.
 * @example
 * const model = new Model([12288, 20, 7, 5, 1], { seed: 1 });
 * const { costs } = model.fit(trainX, trainY, { learningRate: 0.0075, iterations: 2500 });
 * const predictions = model.predict(testX);
 */
export class Model {
  readonly layerDims: readonly number[];
  readonly dtype: DType;
  /** The hidden layers' activation. */
  readonly hidden: Hidden;
  /** The output head. */
  readonly output: Output;
  readonly #W: FloatArray[];
  readonly #b: FloatArray[];
  /** Gradient buffers, made by the first fit: a model that only predicts never needs them. */
  #grads: { dW: FloatArray[]; db: FloatArray[] } | undefined;
  #chunkInFlight = false;
  #run: Run | undefined;
  /** The run state of the checkpoint this model was loaded from, until a run consumes it. */
  #runState: RunState | undefined;
  /** fitAsync's checkpoint waiting to be written between chunks. */
  #pendingCheckpoint: Uint8Array | undefined;
  /** What it reserved: its parameters, and its gradients once made. */
  readonly #memory: Reservation[] = [];
  #metadata: ModelMetadata | undefined;

  /**
   * @param layerDims `[n_0, ..., n_L]` with n_L = 1 (binary output)
   * @param options init (default "fan-in"), seed (default 1), dtype (default "float64")
   * @throws {TypeError} for a wrong kind of argument
   * @throws {RangeError} for bad dims, an unknown init or dtype, or parameters that would pass the
   * memory limit (checked before anything is allocated; see setMemoryLimit)
   */
  constructor(layerDims: readonly number[], options: ModelOptions = {}) {
    const fn = "Model";
    assertOptions(fn, options);
    assertLayerDims(fn, layerDims);
    const hidden = options.hidden ?? "relu";
    const output = options.output ?? "sigmoid";
    assertOneOf(fn, "hidden", hidden, HIDDEN);
    assertOneOf(fn, "output", output, OUTPUTS);
    const units = layerDims[layerDims.length - 1]!;
    if (output === "sigmoid" && units !== 1) {
      throw new RangeError(
        `${fn}: expected the last layer to have 1 unit (binary output), received [${layerDims.join(", ")}]`,
      );
    }
    if (output === "softmax" && units < 2) {
      throw new RangeError(
        `${fn}: expected the last layer to have at least 2 units (a softmax over classes), received [${layerDims.join(", ")}]`,
      );
    }
    const dtype = options.dtype ?? "float64";
    assertOneOf(fn, "dtype", dtype, DTYPES);
    const init = options.init ?? "fan-in";
    assertInit(fn, init);
    this.layerDims = Object.freeze([...layerDims]);
    this.dtype = dtype;
    this.hidden = hidden;
    this.output = output;
    const given = (options as { [GIVEN_PARAMETERS]?: MatrixDict })[GIVEN_PARAMETERS];
    const values = parameterCount(layerDims);
    // Reserved before anything is allocated, so a model too large for the limit touches no memory.
    const memory = reserve(fn, values * bytesPerElement(dtype), "its parameters");
    try {
      // float32 weights are drawn in float64 first, then converted.
      if (given === undefined && dtype === "float32") {
        checkAllocation(fn, values * 8, "drawing its initial weights in float64");
      }
      const buffers = accounted(fn, () => {
        const initial = given ?? initializeParametersDeep([...layerDims], { seed: options.seed ?? 1, init });
        const layers = Array.from({ length: layerDims.length - 1 }, (_, i) => i + 1);
        // Given parameters are the caller's: copy them, so training never writes into their arrays.
        const copy = given !== undefined;
        const take = (key: string) => toPrecision(dtype, initial[key]!, copy, fn, key);
        return { W: layers.map((l) => take(`W${l}`)), b: layers.map((l) => take(`b${l}`)) };
      });
      this.#W = buffers.W;
      this.#b = buffers.b;
    } catch (error) {
      memory.release();
      throw error;
    }
    this.#keep(memory);
  }

  /**
   * A model that starts from given parameters (copied), e.g. from initializeParameters.
   * @throws {TypeError} / {RangeError} when the dictionary is malformed or its output is not 1 unit
   * @example Model.fromParameters(initializeParameters(12288, 7, 1))
   */
  static fromParameters(
    parameters: MatrixDict,
    options: { dtype?: DType; hidden?: Hidden; output?: Output } = {},
  ): Model {
    assertOptions("Model.fromParameters", options);
    const L = assertParameters("Model.fromParameters", parameters);
    const dims = [parameters.W1!.cols];
    for (let l = 1; l <= L; l++) dims.push(parameters[`W${l}`]!.rows);
    return new Model(dims, {
      dtype: options.dtype ?? "float64",
      hidden: options.hidden,
      output: options.output,
      [GIVEN_PARAMETERS]: parameters,
    } as ModelOptions);
  }

  /**
   * Writes the model to `path` as a safetensors file (see the README's "Saving and exporting"),
   * atomically and durably: a crash at any moment leaves the old file or the new one.
   * @throws {Error} with `code` (e.g. "ENOENT" when the folder does not exist) when it cannot write
   * @example await model.save("model.safetensors")
   */
  async save(path: string): Promise<void> {
    await saveModel("save", this, path);
  }

  /**
   * The model file's bytes (what save writes).
   * @example const bytes = model.toBuffer()
   */
  toBuffer(): Uint8Array {
    return encodeModel(contentsOf(this));
  }

  /**
   * Reads a model that save wrote; it predicts with bit-identical results.
   * @param options allowNonFinite (default false): accept NaN and Infinity in the weights
   * @throws {ModelFormatError} when the file is malformed, saying what is wrong; Node's I/O errors
   * @example const model = await Model.load("model.safetensors")
   */
  static async load(path: string, options: LoadOptions = {}): Promise<Model> {
    return Model.#fromContents(await readModel("Model.load", path, options));
  }

  /**
   * A model from the bytes toBuffer made (or a file's bytes).
   * @throws {ModelFormatError} when the bytes are malformed, saying what is wrong
   * @example Model.fromBuffer(model.toBuffer())
   */
  static fromBuffer(buffer: Uint8Array, options: LoadOptions = {}): Model {
    return Model.#fromContents(readModelBytes("Model.fromBuffer", buffer, options));
  }

  /**
   * Writes W1, b1, ... to an .npz archive that numpy's np.load reads as `[n_l, n_(l-1)]` and
   * `[n_l, 1]` arrays in the model's dtype, bit-exact (atomic, like save).
   * @throws {Error} with `code` (e.g. "ENOENT" when the folder does not exist) when it cannot write
   * @example await model.exportNpz("model.npz")
   */
  async exportNpz(path: string): Promise<void> {
    await exportNpz("exportNpz", this, path);
  }

  /**
   * Writes the model as an ONNX graph (Gemm and activation nodes, the model's dtype: DOUBLE for
   * float64, FLOAT for float32) taking X as `[batch, n_0]`, examples as rows, and giving the
   * output probabilities `[batch, n_L]`, the transpose of predictProba's (atomic, like save).
   * @throws {Error} with `code` (e.g. "ENOENT" when the folder does not exist) when it cannot write
   * @example await model.exportOnnx("model.onnx")
   */
  async exportOnnx(path: string): Promise<void> {
    await exportOnnx("exportOnnx", this, path);
  }

  /**
   * A model from an .npz archive numpy wrote (np.savez(path, W1=..., b1=..., ...)), in the arrays'
   * dtype (float64 or float32); for a network trained in numpy or PyTorch.
   * @param options hidden (default "relu") and output (default "sigmoid"): the activations it was trained with
   * @throws {ModelFormatError} when the archive or an array is malformed, not 2-D, not float64/float32
   * @example const model = await Model.fromNpz("weights.npz", { hidden: "relu", output: "sigmoid" })
   */
  static async fromNpz(path: string, options: NpzOptions = {}): Promise<Model> {
    const { parameters, dtype } = await readNpz("Model.fromNpz", path, options);
    const { hidden, output } = options;
    return Model.fromParameters(parameters, { dtype, hidden, output });
  }

  // hidden and output are checked by lib/model-file.ts to be activations this Model runs.
  static #fromContents(contents: ModelContents): Model {
    const { parameters, dtype, hidden, output } = contents;
    const model = Model.fromParameters(parameters, {
      dtype,
      hidden: hidden as Hidden,
      output: output as Output,
    });
    model.#runState = contents.runState;
    model.#metadata = contents.metadata;
    return model;
  }

  /**
   * The model's data description (feature names, target, class names, feature scaling), which
   * save and toBuffer write into the model file and load and fromBuffer read back; undefined when
   * it has none. Setting it checks it against the model's input size and head and keeps a frozen copy.
   * @throws {TypeError} / {RangeError} when set to malformed metadata (see ModelMetadata)
   * @example model.metadata = { features: ["x", "y"], classes: ["no", "yes"] }
   */
  get metadata(): ModelMetadata | undefined {
    return this.#metadata;
  }

  set metadata(value: ModelMetadata | undefined) {
    this.#metadata =
      value === undefined ? undefined : checkMetadata("Model.metadata", value, this.layerDims, this.output);
  }

  /** Releases what the model reserved; it must not be used afterwards (see releaseModelMemory). */
  [releaseModelMemory](): void {
    modelMemory.unregister(this);
    for (const memory of this.#memory) memory.release();
  }

  /** True while fit or fitAsync runs. */
  get training(): boolean {
    return this.#run !== undefined;
  }

  /**
   * A float64 copy of `{W1, b1, ..., WL, bL}`. Readable between chunks of a run (in onCost and
   * onProgress) and after it; throws while native code is writing them.
   */
  get parameters(): MatrixDict {
    const fn = "parameters";
    this.#assertNotWriting(fn);
    checkAllocation(fn, parameterCount(this.layerDims) * 8, "a float64 copy of the parameters");
    const copy = (source: FloatArray, key: string) => copyOf(fn, "float64", source, key) as Float64Array;
    const out: MatrixDict = {};
    this.#W.forEach((w, i) => {
      out[`W${i + 1}`] = new Matrix(this.layerDims[i + 1]!, this.layerDims[i]!, copy(w, `W${i + 1}`));
      out[`b${i + 1}`] = new Matrix(this.layerDims[i + 1]!, 1, copy(this.#b[i]!, `b${i + 1}`));
    });
    return out;
  }

  /**
   * Trains synchronously (blocks the event loop; prefer fitAsync in a server).
   * @param X [n_0, m]
   * @param Y [1, m], labels in [0, 1]
   * @returns the recorded costs
   * @throws {TypeError} / {RangeError} for bad input; {Error} when the model is already training or
   * the cost or gradients stop being finite (the parameters are then those of the last finite iteration)
   * @example model.fit(X, Y, { learningRate: 0.0075, iterations: 2500, onCost: (i, c) => log(i, c) })
   */
  fit(X: Matrix, Y: Matrix, options: FitOptions): FitResult {
    const fn = "fit";
    const { engine } = this.#start(fn, X, Y, options, false, options?.onCost !== undefined);
    const { loop } = engine;
    try {
      let next = loop.next();
      while (!next.done) {
        const chunk = next.value;
        this.#chunkInFlight = true;
        let outcome;
        try {
          outcome = chunk.run(chunk.remaining);
        } finally {
          this.#chunkInFlight = false;
        }
        next = loop.next(outcome);
      }
      return next.value;
    } finally {
      loop.return(undefined as never);
      this.#end();
    }
  }

  /**
   * Trains off the main thread: each chunk of iterations (about 25 ms of work) runs in native code
   * on blasnet's own training thread, never on libuv's pool, so a server's fs, dns, crypto and
   * zlib calls never wait behind training. Chunks of concurrent runs take turns in the order they
   * were queued. X and Y are copied at call time, so the caller may reuse or transfer them at once.
   * @returns a promise of the recorded costs
   * @throws rejects with an AbortError when `signal` aborts, with Error when already training, with
   * RangeError when setMaxConcurrentRuns's limit of runs is already training
   * @example await model.fitAsync(X, Y, { learningRate: 0.0075, iterations: 2500, signal, onProgress })
   */
  async fitAsync(X: Matrix, Y: Matrix, options: FitAsyncOptions): Promise<FitResult> {
    const fn = "fitAsync";
    const { signal, onProgress } = options ?? {};
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw new TypeError(`${fn}: expected signal to be an AbortSignal, received ${describe(signal)}`);
    }
    if (onProgress !== undefined && typeof onProgress !== "function") {
      throw new TypeError(`${fn}: expected onProgress to be a function, received ${describe(onProgress)}`);
    }
    const listening = options?.onCost !== undefined || onProgress !== undefined;
    const { engine, checkpointPath } = this.#start(fn, X, Y, options, true, listening);
    const { loop, progress, unit } = engine;
    const flush = async () => {
      const bytes = this.#pendingCheckpoint;
      if (bytes === undefined || checkpointPath === undefined) return;
      this.#pendingCheckpoint = undefined;
      await saveCheckpoint(fn, checkpointPath, bytes);
    };
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const onAbort = () => Atomics.store(cancel, 0, 1);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      if (signal?.aborted) throw abortError(signal, 0, unit);
      // Chunks are sized to take about CHUNK_MS, so progress stays smooth whatever a step costs.
      let cap = 1;
      let next = loop.next();
      if (this.#pendingCheckpoint !== undefined) await flush();
      while (!next.done) {
        const chunk = next.value;
        const count = Math.min(cap, chunk.remaining);
        this.#chunkInFlight = true;
        let outcome;
        try {
          outcome = await chunk.runAsync(count, cancel);
        } finally {
          this.#chunkInFlight = false;
        }
        // Sized by the chunk's own training time, not its wall time: with other runs queued for the
        // training thread, waiting would otherwise shrink every chunk to one iteration.
        cap = Math.max(1, nextChunk(count, outcome));
        next = loop.next(outcome);
        if (this.#pendingCheckpoint !== undefined) await flush();
        if (outcome.status === TrainStatus.cancelled || signal?.aborted)
          throw abortError(signal, progress.iteration, unit);
        onProgress?.({ ...progress });
      }
      return next.value;
    } finally {
      loop.return(undefined as never);
      signal?.removeEventListener("abort", onAbort);
      this.#end();
    }
  }

  /**
   * The output probabilities AL for X.
   * @param X [n_0, m]
   * @returns [1, m]
   */
  predictProba(X: Matrix): Matrix {
    const fn = "predictProba";
    assertMatrix(fn, "X", X);
    this.#assertInputRows(fn, X);
    this.#assertNotWriting(fn);
    const L = this.layerDims.length - 1;
    const m = X.cols;
    // Every layer's Z and A (collected when the garbage collector gets to them), X in float32, AL.
    let values = 0;
    for (let l = 1; l <= L; l++) values += 2 * this.layerDims[l]! * m;
    const input = this.dtype === "float32" ? X.data.length * 4 : 0;
    checkAllocation(
      fn,
      values * bytesPerElement(this.dtype) + input + m * 8,
      `a forward pass over ${m} examples`,
    );
    let APrev: FloatArray = toPrecision(this.dtype, X, false, fn, "X in float32");
    for (let l = 1; l <= L; l++) {
      const n = this.layerDims[l]!;
      const Z = allocate(this.dtype, n * m, fn, `Z${l}, [${n}, ${m}]`);
      const A = allocate(this.dtype, n * m, fn, `A${l}, [${n}, ${m}]`);
      native.linearActivationForward(
        A,
        Z,
        this.#W[l - 1]!,
        APrev,
        this.#b[l - 1]!,
        n,
        this.layerDims[l - 1]!,
        m,
        ActivationCode[l === L ? this.output : this.hidden],
      );
      APrev = A;
    }
    const nL = this.layerDims[L]!;
    return new Matrix(nL, m, copyOf(fn, "float64", APrev, `AL, [${nL}, ${m}]`) as Float64Array);
  }

  /**
   * 0/1 predictions: 1 where the probability is > 0.5, as the seed's predict.
   * @param X [n_0, m]
   * @returns [1, m] of 0 and 1
   */
  predict(X: Matrix): Matrix {
    const probabilities = this.predictProba(X);
    if (this.output === "softmax") return argmaxColumns(probabilities);
    const p = probabilities.data;
    for (let i = 0; i < p.length; i++) p[i] = (p[i] as number) > 0.5 ? 1 : 0;
    return probabilities;
  }

  /**
   * The cross-entropy cost of the current parameters on (X, Y).
   * @returns a number (Infinity when a probability saturates at exactly 0 or 1 against its label)
   */
  cost(X: Matrix, Y: Matrix): number {
    const AL = this.predictProba(X);
    if (this.output === "softmax") {
      assertTargets("cost", "Y", Y, "softmax", AL.rows, X.cols);
      return native.softmaxCrossEntropyCost(AL.data, Y.data, AL.rows, X.cols);
    }
    assertLabels("cost", Y, X.cols);
    return native.crossEntropyCost(AL.data, Y.data, X.cols);
  }

  /** Holds `memory` until the model is collected (or released). */
  #keep(memory: Reservation): void {
    this.#memory.push(memory);
    modelMemory.register(this, memory, this);
  }

  #assertInputRows(fn: string, X: Matrix): void {
    assertAligned(fn, "W1", { rows: this.layerDims[1]!, cols: this.layerDims[0]! }, "X", X);
  }

  #gradients(fn: string): { dW: FloatArray[]; db: FloatArray[] } {
    if (this.#grads === undefined) {
      const bytes = parameterCount(this.layerDims) * bytesPerElement(this.dtype);
      const memory = reserve(fn, bytes, "the model's gradient buffers");
      try {
        this.#grads = accounted(fn, () => ({
          dW: this.#W.map((w, i) => allocate(this.dtype, w.length, fn, `dW${i + 1}`)),
          db: this.#b.map((b, i) => allocate(this.dtype, b.length, fn, `db${i + 1}`)),
        }));
      } catch (error) {
        memory.release();
        throw error;
      }
      this.#keep(memory);
    }
    return this.#grads;
  }

  #begin(fn: string, X: Matrix, Y: Matrix, options: FitOptions, copyInputs: boolean, listening: boolean) {
    if (this.#run !== undefined)
      throw new Error(`${fn}: this model is already training; await the running fit first`);
    assertOptions(fn, options);
    if (options === undefined) throw new TypeError(`${fn}: expected options { learningRate, iterations }`);
    assertMatrix(fn, "X", X);
    this.#assertInputRows(fn, X);
    assertFinite(fn, "X", X);
    assertLabels(fn, Y, X.cols);
    assertPositiveNumber(fn, "learningRate", options.learningRate);
    assertInteger(fn, "iterations", options.iterations, 0);
    const costEvery = options.costEvery ?? 100;
    assertInteger(fn, "costEvery", costEvery, 1);
    if (options.onCost !== undefined && typeof options.onCost !== "function") {
      throw new TypeError(`${fn}: expected onCost to be a function, received ${describe(options.onCost)}`);
    }
    const m = X.cols;
    const gram = chooseGram(fn, options.gram, this.dtype, this.layerDims[0]!, m);
    const weights = { W: this.#W, b: this.#b, ...this.#gradients(fn) };
    claimRun(fn);
    let memory: Reservation | undefined;
    let plan: TrainPlan;
    let gramRun: GramRun | undefined;
    try {
      memory = reserve(
        fn,
        this.#runBytes(m, gram, copyInputs, costEvery),
        `the buffers of a run over ${m} examples`,
      );
      plan = accounted(fn, () => {
        const own = (M: Matrix, name: string) =>
          toPrecision(this.dtype, M, copyInputs, fn, `its copy of ${name}`);
        return buildPlan(this.dtype, this.layerDims, weights, own(X, "X"), own(Y, "Y"), m, gram, fn);
      });
      gramRun = gram ? new GramRun(plan, listening && !copyInputs) : undefined;
    } catch (error) {
      memory?.release();
      native.endRun();
      throw error;
    }
    this.#run = { gram: gramRun, memory: memory! };
    const settings = {
      learningRate: options.learningRate,
      iterations: options.iterations,
      costEvery,
      onCost: options.onCost,
    };
    const progress = { iteration: 0, iterations: settings.iterations, cost: undefined };
    const engine: EngineRun = {
      loop: iterationLoop(fn, plan, settings, gramRun, progress),
      progress,
      unit: "iterations",
    };
    return { engine, checkpointPath: undefined };
  }

  /**
   * Bytes a run allocates: the plan's per-run buffers, the float32 or copied X and Y, and the
   * cost buffer of costEvery doubles fit and fitAsync make.
   */
  #runBytes(m: number, gram: boolean, copyInputs: boolean, costEvery: number): number {
    const inputs = copyInputs || this.dtype === "float32" ? (this.layerDims[0]! + 1) * m : 0;
    return (
      planBytes(this.dtype, this.layerDims, m, gram) + inputs * bytesPerElement(this.dtype) + costEvery * 8
    );
  }

  /**
   * Checks a run and sets up its state and its engine's loop: the mini-batch engine for an epochs
   * run, any of its options, or a model the full-batch engine cannot train (another hidden
   * activation or head); today's full-batch engine exactly for everything else.
   */
  #start(fn: string, X: Matrix, Y: Matrix, options: FitOptions, copyInputs: boolean, listening: boolean) {
    return this.#usesSteps(fn, options)
      ? this.#beginSteps(fn, X, Y, options, copyInputs)
      : this.#begin(fn, X, Y, options, copyInputs, listening);
  }

  /**
   * Whether a run goes to the mini-batch engine: an epochs run, any of its options, or a model the
   * full-batch engine cannot train (another hidden activation or head). Everything else keeps
   * today's full-batch engine exactly. An explicit gram: true is refused where it cannot apply.
   */
  #usesSteps(fn: string, options: FitOptions): boolean {
    assertOptions(fn, options);
    if (options === undefined) throw new TypeError(`${fn}: expected options { learningRate, iterations }`);
    if ((options.checkpoint !== undefined || options.resume !== undefined) && options.epochs === undefined) {
      throw new RangeError(
        `${fn}: expected checkpoint and resume only on an epochs run (give epochs, not iterations)`,
      );
    }
    const steps =
      wantsSteps(options) ||
      this.hidden !== "relu" ||
      this.output !== "sigmoid" ||
      options.iterations === undefined;
    if (steps) refuseGram(fn, options, this);
    return steps;
  }

  /** Checks a mini-batch run and sets up its state: the run's buffers, counted, and the loop. */
  #beginSteps(fn: string, X: Matrix, Y: Matrix, options: FitOptions, copyInputs: boolean) {
    if (this.#run !== undefined)
      throw new Error(`${fn}: this model is already training; await the running fit first`);
    assertMatrix(fn, "X", X);
    this.#assertInputRows(fn, X);
    assertFinite(fn, "X", X);
    const L = this.layerDims.length - 1;
    const classes = this.layerDims[L]!;
    assertTargets(fn, "Y", Y, this.output, classes, X.cols);
    const m = X.cols;
    const settings = stepSettings(fn, options, m, {
      inputs: this.layerDims[0]!,
      output: this.output,
      classes,
    });
    const { checkpoint, resume } = checkpointSettings(fn, options);
    const fingerprint = fingerprintOf(this.layerDims, m, settings);
    const from = resume ? this.#runState : undefined;
    if (resume) {
      if (from === undefined) {
        throw new RangeError(
          `${fn}: resume: this model has no run state; load a checkpoint with Model.load(path) to resume`,
        );
      }
      assertSameRun(fn, from.fingerprint, fingerprint);
    }
    const weights = { W: this.#W, b: this.#b, ...this.#gradients(fn) };
    claimRun(fn);
    let memory: Reservation | undefined;
    try {
      // stepBytes counts X^T when the run gathers; a copy of X is made only when it does not.
      const copies = copyInputs || this.dtype === "float32";
      const gather = gathers(settings, m);
      const inputs = copies ? (gather ? 0 : this.layerDims[0]! * m) + classes * m : 0;
      memory = reserve(
        fn,
        stepBytes(this.dtype, this.layerDims, m, settings) + inputs * bytesPerElement(this.dtype),
        `the buffers of a run over ${m} examples in batches of ${settings.batchSize}`,
      );
      const plan = accounted(fn, () => {
        const own = (M: Matrix, name: string) =>
          toPrecision(this.dtype, M, copyInputs, fn, `its copy of ${name}`);
        const xs = gather ? { X: null, XT: examplesAsRows(fn, this.dtype, X) } : { X: own(X, "X"), XT: null };
        return stepPlan(this.dtype, this.layerDims, weights, xs, own(Y, "Y"), m, settings, this, fn);
      });
      this.#run = { gram: undefined, memory };
      if (from !== undefined) {
        from.vW.forEach((v, i) => plan.vW[i]!.set(v));
        from.vb.forEach((v, i) => plan.vb[i]!.set(v));
        from.sW.forEach((v, i) => plan.sW[i]!.set(v));
        from.sb.forEach((v, i) => plan.sb[i]!.set(v));
        plan.key.set(from.key);
        plan.pos[0] = from.pos;
      }
      this.#runState = undefined;
      this.#pendingCheckpoint = undefined;
      const totals: StepTotals = {
        seconds: 0,
        blasSeconds: 0,
        steps: 0,
        gatherSeconds: 0,
        optimizerSeconds: 0,
        splitThreads: 0,
      };
      const run: RunResume = { from };
      if (checkpoint !== undefined) {
        const contents = {
          layerDims: this.layerDims,
          dtype: this.dtype,
          hidden: this.hidden,
          output: this.output,
        };
        run.checkpoint = {
          everyEpochs: checkpoint.everyEpochs,
          fingerprint,
          write: (state) => {
            const c = { ...contents, W: this.#W, b: this.#b, state };
            // The sync fit writes at once; fitAsync encodes now (a snapshot) and writes between chunks.
            if (copyInputs) this.#pendingCheckpoint = encodeCheckpoint(c);
            else saveCheckpointSync(fn, checkpoint.path, c);
          },
        };
      }
      const done = from?.epochsCompleted ?? 0;
      const steps = (settings.epochs - done) * Math.ceil(m / settings.batchSize);
      const progress = { iteration: 0, iterations: steps, cost: undefined };
      const engine: EngineRun = {
        loop: runLoop(fn, plan, settings, this.#host(fn), totals, run, progress),
        progress,
        unit: "steps",
      };
      return { engine, checkpointPath: checkpoint?.path };
    } catch (error) {
      memory?.release();
      native.endRun();
      throw error;
    }
  }

  /** What the run loop reads and writes of the model between chunks. */
  #host(fn: string): RunHost {
    return {
      evaluate: (X, Y) => {
        const AL = this.predictProba(X);
        const m = X.cols;
        if (this.output === "softmax") {
          const cost = native.softmaxCrossEntropyCost(AL.data, Y.data, AL.rows, m);
          const predicted = argmaxColumns(AL).data;
          const truth = argmaxColumns(Y).data;
          let right = 0;
          for (let j = 0; j < m; j++) if (predicted[j] === truth[j]) right++;
          return { cost, accuracy: right / m };
        }
        const cost = native.crossEntropyCost(AL.data, Y.data, m);
        let right = 0;
        for (let j = 0; j < m; j++) if (((AL.data[j] as number) > 0.5 ? 1 : 0) === Y.data[j]) right++;
        return { cost, accuracy: right / m };
      },
      allocateSnapshot: () =>
        [...this.#W, ...this.#b].map((w, i) =>
          allocate(this.dtype, w.length, fn, `the best parameters (${i})`),
        ),
      snapshot: (into) => [...this.#W, ...this.#b].forEach((w, i) => into[i]!.set(w)),
      restore: (from) => [...this.#W, ...this.#b].forEach((w, i) => w.set(from[i]!)),
    };
  }

  /**
   * Reading the parameters is refused while a chunk writes them. Between fitAsync's chunks on the
   * Gram path, the first read settles W1 (one W1-sized product, lib/gram.ts); otherwise a plain read.
   */
  #assertNotWriting(fn: string): void {
    if (this.#chunkInFlight) {
      throw new Error(`${fn}: the model is training; read it in onProgress or after fitAsync settles`);
    }
    this.#run?.gram?.settle();
  }

  #end(): void {
    try {
      // A run that ends early (an error, an abort) may leave W1 unsettled.
      this.#run?.gram?.settle();
    } finally {
      this.#run?.memory.release();
      this.#run = undefined;
      native.endRun();
    }
  }
}

/**
 * How many iterations or steps the next fitAsync chunk runs, from this chunk's own training time:
 * about CHUNK_MS of work, and at least 20 times a Gram chunk's settling of W1, so settling stays
 * under 5% of the run.
 */
function nextChunk(count: number, outcome: TrainOutcome): number {
  const settle = (outcome.settleSeconds ?? 0) * 1000;
  const perUnit = Math.max(outcome.seconds * 1000 - settle, 0.01) / count;
  return Math.round(Math.max(CHUNK_MS, 20 * settle) / perUnit);
}

function abortError(signal: AbortSignal | undefined, completed: number, unit: string): AbortError {
  return new AbortError(`fitAsync was aborted after ${completed} ${unit}`, { cause: signal?.reason });
}

/** [1, m] of each column's index of its largest value (the first, on ties): softmax class predictions. */
export function argmaxColumns(P: Matrix): Matrix {
  const out = new Matrix(1, P.cols);
  for (let j = 0; j < P.cols; j++) {
    let best = 0;
    for (let i = 1; i < P.rows; i++)
      if ((P.data[i * P.cols + j] as number) > (P.data[best * P.cols + j] as number)) best = i;
    out.data[j] = best;
  }
  return out;
}
