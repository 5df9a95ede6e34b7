// The process-wide memory limit: how many bytes of buffers blasnet may hold at once, shared by the
// main thread and every worker thread (they share the process's memory).
import { native } from "./native.js";
import { assertInteger } from "./validate.js";

/**
 * Sets the process-wide memory limit (also settable with BLASNET_MAX_BYTES at startup; the
 * default is half of the smaller of physical memory and the cgroup's limit). Every model, run and
 * returned matrix checks it before allocating, and one that would pass it throws a RangeError
 * naming the bytes it needs, the limit and what is in use. What counts: each Model's parameters
 * (from construction) and gradient buffers (from its first fit) until the model is garbage-
 * collected, and each fit's per-run buffers until the fit ends. Lowering the limit below what is
 * in use frees nothing: later allocations fail until enough is released.
 * @param bytes an integer >= 0 (up to Number.MAX_SAFE_INTEGER)
 * @throws {TypeError} when bytes is not a number
 * @throws {RangeError} when it is not an integer in [0, 2^53 - 1]
 * @example setMemoryLimit(8 * 2 ** 30) // 8 GiB
 */
export function setMemoryLimit(bytes: number): void {
  assertInteger("setMemoryLimit", "bytes", bytes, 0);
  native.setMemoryLimit(bytes);
}

/**
 * The memory limit and the bytes counted against it now (every Model's parameters and gradients,
 * every running fit's buffers, native scratch in use), in bytes.
 * @example const { limit, inUse } = memoryInfo();
 */
export function memoryInfo(): { limit: number; inUse: number } {
  const { limit, inUse } = native.memoryInfo();
  return { limit, inUse };
}
