// The Gram path of the full-batch engine (native/gram.cc), in one place: when a run takes it, the
// buffers it adds, its setup, and settling W1. It trains layer 1 through G = X^T X when there are
// fewer examples than input features, so no iteration multiplies by W1 [n_1, n_0]; W1 itself is
// settled from W1_start - S X^T (the same bits however often), which the engine does at the end of
// a chunk when asked and this module does before a read between chunks and at the end of a run.
import { allocate, bytesPerElement } from "./budget.js";
import type { FitOptions } from "./fit-options.js";
import { describe } from "./matrix.js";
import { type FloatArray, type TrainPlan, native } from "./native.js";
import type { DType, Hidden, Output } from "./types.js";

/** Why a run of the mini-batch engine cannot take the Gram path, for the gram: true RangeError. */
function refusal(options: FitOptions, model: { hidden: Hidden; output: Output }): string {
  const optimizer = options.optimizer;
  const plainOptimizer =
    optimizer === undefined ||
    optimizer === "gd" ||
    (typeof optimizer === "object" && optimizer?.name === "gd");
  if (!plainOptimizer) return "an optimizer other than gd";
  if ((options.keepProb ?? 1) < 1) return "dropout (keepProb < 1)";
  if ((options.l2 ?? 0) > 0) return "l2";
  if (model.hidden !== "relu" || model.output !== "sigmoid")
    return `a ${model.hidden}/${model.output} model (only relu/sigmoid)`;
  if (options.batchSize !== undefined || options.shuffle) return "mini-batches or shuffling";
  return "an epochs run (give iterations for full-batch gd)";
}

function assertGramOption(fn: string, option: unknown): asserts option is boolean | "auto" | undefined {
  if (option !== undefined && option !== "auto" && typeof option !== "boolean") {
    throw new TypeError(`${fn}: expected gram to be true, false or "auto", received ${describe(option)}`);
  }
}

/**
 * For a run the mini-batch engine takes (which has no Gram path): gram "auto" and false mean the
 * generic path; gram: true is a RangeError naming why it cannot apply.
 */
export function refuseGram(fn: string, options: FitOptions, model: { hidden: Hidden; output: Output }): void {
  if (options.gram === true) {
    throw new RangeError(
      `${fn}: expected gram: true only on a full-batch gd run of iterations without dropout or l2 on a relu/sigmoid model, received ${refusal(options, model)}`,
    );
  }
  assertGramOption(fn, options.gram);
}

/**
 * Whether a run of the full-batch engine (relu/sigmoid, gd, iterations) takes the Gram path: as
 * asked, or under "auto" (the default) for float64 models with fewer examples than inputs.
 */
export function chooseGram(fn: string, option: unknown, dtype: DType, inputs: number, m: number): boolean {
  assertGramOption(fn, option);
  // float32 keeps the generic path by default: Z1 carried across thousands of Gram updates
  // drifts visibly in single precision, where float64 stays within 1e-13 of recomputing it.
  return option === undefined || option === "auto" ? dtype === "float64" && m < inputs : option;
}

/** Bytes of the Gram buffers G [m, m], S and Z1 [n_1, m]. */
export function gramBytes(dtype: DType, dims: readonly number[], m: number): number {
  return (m * m + 2 * (dims[1] as number) * m) * bytesPerElement(dtype);
}

/** The Gram buffers of a plan, each allocated once per run; `fn` names the caller in memory errors. */
export function gramBuffers(
  dtype: DType,
  dims: readonly number[],
  m: number,
  fn: string,
): { G: FloatArray; S: FloatArray; Z1: FloatArray } {
  const n1 = dims[1] as number;
  return {
    G: allocate(fn, dtype, m * m, `the Gram matrix G, [${m}, ${m}]`),
    S: allocate(fn, dtype, n1 * m, `S, [${n1}, ${m}]`),
    Z1: allocate(fn, dtype, n1 * m, `Z1, [${n1}, ${m}]`),
  };
}

/**
 * A Gram run's W1 between chunks. Settling costs a W1-sized product, as much as dozens of Gram
 * iterations, so a chunk settles only when it must: the run's last chunk, and every chunk of a
 * synchronous run with onCost, whose callback may transfer the caller's X that settling reads.
 * fitAsync owns its copy of X, so there W1 is settled when something reads the model between
 * chunks (`settle`, from the parameters getter and the other reads): a progress bar that never
 * reads the parameters pays nothing. The run's end settles whatever is left the same way.
 */
export class GramRun {
  /** The most threads one of the Gram path's own products had (FitResult.splitThreads). */
  splitThreads: number;
  #stale = false;
  readonly #plan: TrainPlan;
  readonly #everyChunk: boolean;

  /**
   * Sets the path up: G = X^T X, S = 0, Z1 = W1 X + b1 (and W1_start kept in dW1). `everyChunk`:
   * a synchronous run with callbacks, whose chunks all settle.
   */
  constructor(plan: TrainPlan, everyChunk: boolean) {
    this.#plan = plan;
    this.#everyChunk = everyChunk;
    this.splitThreads = native.gramBegin(plan);
  }

  /** Whether a chunk asks the engine to settle W1 at its end. */
  settles(lastChunk: boolean): boolean {
    return lastChunk || this.#everyChunk;
  }

  /** Records a chunk's outcome: whether it left W1 current (settle asked, or it stopped early). */
  afterChunk(settled: boolean, completed: number): void {
    if (settled) this.#stale = false;
    else if (completed > 0) this.#stale = true;
  }

  /** Settles W1 if a chunk left it stale: before a read between chunks, and as the run's last act. */
  settle(): void {
    if (!this.#stale) return;
    this.splitThreads = Math.max(this.splitThreads, native.gramMaterialize(this.#plan));
    this.#stale = false;
  }
}
