// OpenBLAS thread control and build information.
import { native } from "./native.js";
import { assertInteger } from "./validate.js";

/**
 * Sets how many threads training uses (also settable with BLASNET_NUM_THREADS at startup).
 * Large products run on OpenBLAS's threads; products OpenBLAS threads poorly (a first layer of a few
 * units over long inputs) are split across as many threads of blasnet's, each calling OpenBLAS
 * single-threaded (at most one per core). The two never run at once, so n threads is n threads.
 * Runs that split their products give the same bits for every n; runs on OpenBLAS's pool, the
 * same bits for the same n. A run in progress follows a lower count from its next iteration, a
 * higher one from its next run (fitAsync: its next chunk of about 25 ms).
 * @param n an integer >= 1
 * @throws {RangeError} for anything else
 * @example setNumThreads(1)
 */
export function setNumThreads(n: number): void {
  assertInteger("setNumThreads", "n", n, 1);
  native.setNumThreads(n);
}

/** How many threads training uses (the last setNumThreads, or OpenBLAS's default). */
export function getNumThreads(): number {
  return native.getNumThreads();
}

/**
 * The OpenBLAS build in use: its config string (version), the core kernel it runs and its threads.
 * @example blasInfo().coreName // "SkylakeX"
 */
export function blasInfo(): { version: string; config: string; coreName: string; threads: number } {
  const info = native.blasInfo();
  const version = /OpenBLAS\s+(\S+)/.exec(info.config)?.[1] ?? "unknown";
  return { version, config: info.config, coreName: info.coreName, threads: info.threads };
}
