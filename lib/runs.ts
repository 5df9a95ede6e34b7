// How many training runs the process admits at once: a server's bound on queued work.
import { native } from "./native.js";
import { assertInteger } from "./validate.js";

/**
 * Sets the most training runs (fit and fitAsync, in every thread of the process) that may be in
 * progress at once; one more throws a RangeError at once instead of queueing. fitAsync chunks
 * take turns on blasnet's one training thread, so each of N runs trains at about 1/N of the speed
 * of one, and each holds its own copy of X and Y. Default: no limit (Infinity).
 * @param n an integer >= 1, or Infinity
 * @throws {RangeError} for anything else
 * @example setMaxConcurrentRuns(4)
 */
export function setMaxConcurrentRuns(n: number): void {
  if (n !== Infinity) assertInteger("setMaxConcurrentRuns", "n", n, 1);
  native.setRunLimit(n === Infinity ? 0 : n);
}

/**
 * Counts one more run in progress (release it with native.endRun), or throws when
 * setMaxConcurrentRuns's limit is already training.
 * @throws {RangeError} naming the limit
 */
export function claimRun(fn: string): void {
  if (native.beginRun()) return;
  throw new RangeError(
    `${fn}: ${native.runInfo().limit} runs are already training in this process, the most setMaxConcurrentRuns ` +
      "allows; await one of them or raise the limit",
  );
}

/** What the process is training: runs in progress, their limit, and chunks waiting for the training thread. */
export interface TrainingRuns {
  inProgress: number;
  limit: number;
  queuedChunks: number;
}

/**
 * The runs in progress in the whole process and their limit (Infinity when none is set).
 * @example trainingRuns() // { inProgress: 2, limit: Infinity, queuedChunks: 1 }
 */
export function trainingRuns(): TrainingRuns {
  const info = native.runInfo();
  return {
    inProgress: info.inProgress,
    limit: info.limit === 0 ? Infinity : info.limit,
    queuedChunks: info.queued,
  };
}
