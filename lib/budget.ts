// The process-wide memory budget as the TypeScript side applies it (native/memory.h keeps the
// ledger): every buffer sized from user input is checked against the limit, or reserved in it,
// before it is made, and an ArrayBuffer the system refuses becomes a RangeError naming its bytes.
// Its messages are built here rather than in validate.ts, which sits above matrix.ts, and
// matrix.ts allocates through this file.
import { type FloatArray, native } from "./native.js";

/** An element precision: float64 (8 bytes) or float32 (4). */
export type Precision = "float64" | "float32";

/** Bytes per element of a precision. */
export function bytesPerElement(dtype: Precision): number {
  return dtype === "float64" ? 8 : 4;
}

const UNITS = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];

/** `17179869184 bytes (16.0 GiB)`, the way every memory message writes an amount. */
export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes (${bytes} B)`;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${bytes} bytes (${value.toFixed(1)} ${UNITS[unit]})`;
}

/** `fn: needs ... for what, over the memory limit of ..., ... in use; raise it with ...` */
function overLimit(fn: string, bytes: number, what: string): RangeError {
  const { limit, inUse } = native.memoryInfo();
  return new RangeError(
    `${fn}: needs ${describeBytes(bytes)} for ${what}, over the memory limit of ${describeBytes(limit)}, ` +
      `${describeBytes(inUse)} in use; raise it with setMemoryLimit(bytes) or BLASNET_MAX_BYTES`,
  );
}

/** `fn: could not allocate ... for what: the system refused it (...)`, for an ArrayBuffer V8 could not make. */
function refused(fn: string, bytes: number, what: string, error: unknown): RangeError {
  const { limit, inUse } = native.memoryInfo();
  const reason = error instanceof Error ? error.message : String(error);
  return new RangeError(
    `${fn}: could not allocate ${describeBytes(bytes)} for ${what}: the system refused it (${reason}); ` +
      `memory limit ${describeBytes(limit)}, ${describeBytes(inUse)} in use`,
    { cause: error },
  );
}

/** The function running `accounted` (outermost), while it runs: checkAllocation then passes. */
let accountedBy: string | undefined;

/**
 * Runs `allocateAll` with the per-allocation checks off, because its caller `fn` has already
 * reserved or checked, in one go, everything it allocates: a Model reserves its parameters and
 * then draws them through initializeParametersDeep, whose own checks would count them a second
 * time. A refused ArrayBuffer inside still becomes a RangeError, named after `fn`.
 */
export function accounted<T>(fn: string, allocateAll: () => T): T {
  const outer = accountedBy;
  accountedBy ??= fn;
  try {
    return allocateAll();
  } finally {
    accountedBy = outer;
  }
}

/**
 * Throws the memory limit's RangeError unless `bytes` more fit under the limit now (limit minus
 * what is in use). Counts nothing: for buffers that live as long as the caller keeps them (every
 * Matrix the functional API returns), which the ledger cannot see being collected.
 */
export function checkAllocation(fn: string, bytes: number, what: string): void {
  if (accountedBy !== undefined) return;
  if (!(bytes <= Number.MAX_SAFE_INTEGER && native.memoryFits(bytes))) throw overLimit(fn, bytes, what);
}

/**
 * Bytes counted in the process-wide ledger until released: a model's parameters and gradients
 * (released when it is collected), a run's buffers (released when it ends).
 */
export class Reservation {
  #bytes = 0;

  /** What it holds now. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Counts `bytes` more; throws the memory limit's RangeError, counting nothing, when they do not fit. */
  add(fn: string, bytes: number, what: string): void {
    if (!(bytes <= Number.MAX_SAFE_INTEGER && native.memoryReserve(bytes))) throw overLimit(fn, bytes, what);
    this.#bytes += bytes;
  }

  /** Stops counting everything it holds (idempotent). */
  release(): void {
    const bytes = this.#bytes;
    this.#bytes = 0;
    if (bytes > 0) native.memoryRelease(bytes);
  }
}

/**
 * Reserves `bytes` for `what`, before anything is allocated.
 * @throws {RangeError} naming fn, the bytes, the limit and what is in use, when they do not fit
 */
export function reserve(fn: string, bytes: number, what: string): Reservation {
  const reservation = new Reservation();
  reservation.add(fn, bytes, what);
  return reservation;
}

/** Makes a buffer, turning a refused ArrayBuffer (V8's RangeError) into one that names its bytes. */
function make<A>(fn: string, bytes: number, what: string, create: () => A): A {
  try {
    return create();
  } catch (error) {
    throw refused(accountedBy ?? fn, bytes, what, error);
  }
}

/**
 * A zeroed buffer of `length` elements, checked against the limit first: the one way lib/ makes
 * a buffer whose size comes from its caller.
 * @throws {RangeError} over the limit, or when the system refuses the memory
 */
export function allocate(fn: string, dtype: Precision, length: number, what: string): FloatArray {
  const bytes = length * bytesPerElement(dtype);
  checkAllocation(fn, bytes, what);
  return make(fn, bytes, what, () =>
    dtype === "float64" ? new Float64Array(length) : new Float32Array(length),
  );
}

/** A zeroed Float64Array of `length` elements, as allocate. */
export function allocateFloat64(fn: string, length: number, what: string): Float64Array {
  return allocate(fn, "float64", length, what) as Float64Array;
}

/**
 * A copy of `source` in `dtype` (float32 values rounded to nearest, as Float32Array.from does),
 * checked against the limit first.
 */
export function copyOf(fn: string, dtype: Precision, source: FloatArray, what: string): FloatArray {
  const out = allocate(fn, dtype, source.length, what);
  out.set(source);
  return out;
}
