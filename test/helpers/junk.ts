// A seeded generator of junk arguments for the fuzz tests: numbers at the edges, typed arrays of
// every kind (fresh, detached, subarray views, shared, resizable), plain arrays, strings, null,
// undefined, functions, symbols, BigInt, objects with junk fields, proxies and getters that throw.
// Every value is fresh: nothing here detaches or changes a buffer after it has been handed out.
import { Rng } from "./prng.js";

/** What junk getters and proxy traps throw, so the fuzz can tell their errors from the library's. */
export class JunkError extends Error {
  override readonly name = "JunkError";
}

/** Numbers at the edges of every check; none asks native code for more than a few KiB. */
export const EDGE_NUMBERS = [
  -1,
  0,
  1,
  2,
  3,
  7,
  1e9,
  2 ** 31,
  2 ** 31 - 1,
  NaN,
  Infinity,
  -Infinity,
  0.5,
  -0,
  624,
];

type TypedCtor = new (
  lengthOrBuffer: number | ArrayBufferLike,
  byteOffset?: number,
  length?: number,
) => ArrayBufferView & {
  length: number;
  subarray(begin: number, end: number): ArrayBufferView;
};

export const TYPED_ARRAYS: TypedCtor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as unknown as TypedCtor[];

/** Lengths of junk typed arrays: small, the MT key size, and the 4096 cap. */
export const LENGTHS = [0, 1, 2, 3, 4, 5, 6, 8, 9, 12, 16, 36, 624, 4096];

export class Junk {
  readonly rng: Rng;
  readonly numbers: readonly number[];
  readonly #hugeSparse: boolean;

  /**
   * @param numbers the junk numbers to draw from
   * @param hugeSparse whether to include a sparse array claiming 2^32 - 1 elements (the public
   * functions that walk such an array hang; bad-input.test.ts tests that on its own)
   */
  constructor(seed: number, numbers: readonly number[] = EDGE_NUMBERS, hugeSparse = true) {
    this.rng = new Rng(seed);
    this.numbers = numbers;
    this.#hugeSparse = hugeSparse;
  }

  number(): number {
    return this.rng.pick(this.numbers);
  }

  /** A typed array of kind `Ctor` (random by default) and length n, in one of several forms. */
  typed(Ctor: TypedCtor = this.rng.pick(TYPED_ARRAYS), n: number = this.rng.pick(LENGTHS)): ArrayBufferView {
    const bytes = (Ctor as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
    switch (this.rng.int(0, 5)) {
      case 0: {
        const a = new Ctor(n);
        structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
        return a;
      }
      case 1: {
        const offset = this.rng.int(1, 3);
        return new Ctor(n + offset + this.rng.int(0, 2)).subarray(offset, offset + n);
      }
      case 2:
        return new Ctor(new SharedArrayBuffer(n * bytes), 0, n);
      case 3: {
        const buffer = new (
          ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer
        )(n * bytes, { maxByteLength: 2 * n * bytes + bytes });
        return new Ctor(buffer);
      }
      default: {
        const a = new Ctor(n);
        if (a instanceof Float64Array || a instanceof Float32Array) {
          for (let i = 0; i < n; i++) a[i] = this.rng.bool(0.9) ? this.rng.normal() : this.number();
        }
        return a;
      }
    }
  }

  /** Any junk value; `depth` bounds nesting. */
  value(depth = 0): unknown {
    const r = this.rng;
    switch (r.int(0, depth > 1 ? 12 : 17)) {
      case 0:
      case 1:
        return this.number();
      case 2:
      case 3:
        return this.typed();
      case 4:
        return r.pick([null, undefined]);
      case 5:
        return r.pick(["", "relu", "sigmoid", "W1", "0", "3", "float32", "x".repeat(100)]);
      case 6:
        return r.pick([true, false]);
      case 7:
        return r.pick([0n, 1n, -1n, 2n ** 64n]);
      case 8:
        return Symbol("junk");
      case 9:
        return r.pick([() => undefined, (x: unknown) => x, function named() {}, class Junky {}]);
      case 10:
        return Array.from({ length: r.pick([0, 1, 2, 3, 6]) }, () => this.number());
      case 11:
        return r.pick([new ArrayBuffer(16), new DataView(new ArrayBuffer(8)), new Date(0), new Map(), /x/]);
      case 12:
        return r.pick([{}, Object.create(null), []]);
      case 13:
        return Array.from({ length: r.int(0, 4) }, () => this.value(depth + 1));
      case 14:
        return this.object(depth + 1);
      case 15:
        return this.throwing();
      case 16: {
        // A sparse array that claims 2^32 - 1 elements.
        const a: unknown[] = [];
        a.length = this.#hugeSparse ? 2 ** 32 - 1 : 5;
        return a;
      }
      default:
        return this.planLike(depth + 1);
    }
  }

  /** An object with a few junk fields. */
  object(depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keys = ["rows", "cols", "data", "length", "dims", "m", "X", "Y", "W", "b", "0", "valueOf"];
    for (let i = this.rng.int(0, 4); i > 0; i--) out[this.rng.pick(keys)] = this.value(depth + 1);
    return out;
  }

  /** A plan-like object: the engine's keys with junk entries. */
  planLike(depth = 0): Record<string, unknown> {
    const list = () =>
      Array.from({ length: this.rng.int(0, 4) }, () =>
        this.rng.bool() ? this.typed() : this.value(depth + 1),
      );
    return {
      dims: Array.from({ length: this.rng.int(0, 4) }, () => this.number()),
      m: this.number(),
      X: this.typed(),
      Y: this.typed(),
      W: list(),
      b: list(),
      A: list(),
      dZ: list(),
      dW: list(),
      db: list(),
      G: this.rng.bool() ? this.typed() : null,
      S: this.typed(),
      Z1: this.typed(),
    };
  }

  /** A proxy whose traps throw, or an object whose getters throw a JunkError. */
  throwing(): unknown {
    if (this.rng.bool()) {
      return new Proxy(
        {},
        {
          get() {
            throw new JunkError("proxy get");
          },
          has() {
            throw new JunkError("proxy has");
          },
          ownKeys() {
            throw new JunkError("proxy ownKeys");
          },
        },
      );
    }
    const out: Record<string, unknown> = {};
    for (const key of ["dims", "m", "X", "rows", "cols", "data", "W1", "length"]) {
      Object.defineProperty(out, key, {
        enumerable: true,
        get() {
          throw new JunkError(`getter ${key}`);
        },
      });
    }
    return out;
  }

  /**
   * A variant of a valid typed array: another kind, a length off by one, a detached copy, a
   * subarray view (with the same length, so still valid), or junk.
   */
  variant(a: ArrayBufferView): unknown {
    const Ctor = a.constructor as TypedCtor;
    if (!TYPED_ARRAYS.includes(Ctor)) return this.value();
    const length = (a as unknown as { length: number }).length;
    switch (this.rng.int(0, 5)) {
      case 0:
        return this.typed(this.rng.pick(TYPED_ARRAYS), length);
      case 1:
        return this.typed(Ctor, Math.max(0, length + this.rng.pick([-1, 1])));
      case 2: {
        const copy = new Ctor(length);
        structuredClone(copy.buffer, { transfer: [copy.buffer as ArrayBuffer] });
        return copy;
      }
      case 3: {
        const offset = this.rng.int(1, 3);
        return new Ctor(length + offset + 1).subarray(offset, offset + length);
      }
      case 4:
        return Array.from({ length: length }, () => 0);
      default:
        return this.value();
    }
  }

  /** Replaces one part of a valid argument list with junk (or truncates or extends it). */
  mutate(args: unknown[]): unknown[] {
    const r = this.rng;
    const out = [...args];
    const choice = r.int(0, 9);
    if (choice === 0) return out.slice(0, r.int(0, out.length));
    if (choice === 1) return [...out, this.value()];
    const i = r.int(0, Math.max(0, out.length - 1));
    const target = out[i];
    if (ArrayBuffer.isView(target) && r.bool(0.7)) {
      out[i] = this.variant(target);
    } else if (isPlan(target) && r.bool(0.8)) {
      out[i] = this.mutatePlan(target);
    } else {
      out[i] = r.bool(0.5) ? this.number() : this.value();
    }
    return out;
  }

  /** A copy of a plan with one key or one list entry replaced, removed or added. */
  mutatePlan(plan: Record<string, unknown>): Record<string, unknown> {
    const r = this.rng;
    const out: Record<string, unknown> = { ...plan };
    const key = r.pick([...Object.keys(plan), "G", "S", "Z1", "Z", "junk"]);
    // A list an earlier mutation replaced by value()'s sparse 2^32 - 1 array is not copied again:
    // spreading it would exhaust the heap.
    const value = Array.isArray(out[key]) && (out[key] as unknown[]).length > 64 ? undefined : out[key];
    switch (r.int(0, 4)) {
      case 0:
        delete out[key];
        break;
      case 1:
        if (key === "dims" && Array.isArray(value)) {
          const dims = [...value];
          dims[r.int(0, dims.length)] = this.number();
          out.dims = dims;
        } else {
          out[key] = r.bool() ? this.number() : this.value();
        }
        break;
      case 2:
        if (Array.isArray(value) && value.length > 0) {
          const list = [...value];
          const j = r.int(0, list.length - 1);
          list[j] = ArrayBuffer.isView(list[j]) ? this.variant(list[j]) : this.value();
          out[key] = list;
        } else if (ArrayBuffer.isView(value)) {
          out[key] = this.variant(value);
        } else {
          out[key] = this.value();
        }
        break;
      case 3:
        if (Array.isArray(value)) out[key] = r.bool() ? value.slice(0, -1) : [...value, this.typed()];
        else out[key] = this.typed();
        break;
      default:
        out.m = this.number();
        break;
    }
    return out;
  }
}

/** Whether v is a plan built by the fuzz (junk proxies and throwing getters are not). */
export function isPlan(v: unknown): v is Record<string, unknown> {
  try {
    return (
      typeof v === "object" &&
      v !== null &&
      !ArrayBuffer.isView(v) &&
      Array.isArray((v as { W?: unknown }).W) &&
      "dims" in v
    );
  } catch {
    return false;
  }
}

/** How a fuzz run ended, by export and by thrown class. */
export interface FuzzSummary {
  seed: number;
  calls: number;
  returned: number;
  thrown: number;
  resolved: number;
  rejected: number;
  nonErrorThrows: number;
  byClass: Record<string, number>;
  byExport: Record<string, { calls: number; ok: number; errors: number }>;
  /** A few examples of throws whose class was not expected, for the report. */
  unexpected: string[];
}

export function newSummary(seed: number): FuzzSummary {
  return {
    seed,
    calls: 0,
    returned: 0,
    thrown: 0,
    resolved: 0,
    rejected: 0,
    nonErrorThrows: 0,
    byClass: {},
    byExport: {},
    unexpected: [],
  };
}

/** Records one thrown or rejected value; classes outside `expected` are kept as examples. */
export function recordThrow(
  summary: FuzzSummary,
  name: string,
  error: unknown,
  expected: readonly string[],
): void {
  const cls = error instanceof Error ? error.constructor.name : `non-Error ${typeof error}`;
  if (!(error instanceof Error)) summary.nonErrorThrows++;
  summary.byClass[cls] = (summary.byClass[cls] ?? 0) + 1;
  summary.byExport[name]!.errors++;
  if (!expected.includes(cls) && summary.unexpected.length < 10) {
    summary.unexpected.push(`${name}: ${cls}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** At most this many junk async calls are in flight at once. */
const MAX_IN_FLIGHT = 8;

/**
 * Makes one fuzz call and records how it ended: returned, thrown, or (for a promise) resolved or
 * rejected later, keeping at most MAX_IN_FLIGHT promises pending. `after` runs once the call
 * returns or throws (e.g. to restore global state the call may have changed).
 */
export async function fuzzCall(
  summary: FuzzSummary,
  name: string,
  call: () => unknown,
  expected: readonly string[],
  inFlight: Set<Promise<void>>,
  after: () => void = () => undefined,
): Promise<void> {
  summary.calls++;
  summary.byExport[name]!.calls++;
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    summary.thrown++;
    recordThrow(summary, name, error, expected);
    return;
  } finally {
    after();
  }
  if (!(result instanceof Promise)) {
    summary.returned++;
    summary.byExport[name]!.ok++;
    return;
  }
  const settled: Promise<void> = result.then(
    () => {
      summary.resolved++;
      summary.byExport[name]!.ok++;
    },
    (error: unknown) => {
      summary.rejected++;
      recordThrow(summary, name, error, expected);
    },
  );
  const tracked = settled.finally(() => inFlight.delete(tracked));
  inFlight.add(tracked);
  if (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
}
