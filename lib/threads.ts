// OpenBLAS thread control and build information.
import { native } from "./native.js";
import { assertInteger } from "./validate.js";

/**
 * Sets how many threads OpenBLAS uses (also settable with BLASNET_NUM_THREADS at startup).
 * blasnet never adds a pool of its own on top: one BLAS pool, no oversubscription.
 * @param n an integer >= 1
 * @throws {RangeError} for anything else
 * @example setNumThreads(1)
 */
export function setNumThreads(n: number): void {
  assertInteger("setNumThreads", "n", n, 1);
  native.setNumThreads(n);
}

/** How many threads OpenBLAS uses. */
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
