// A small seeded generator for tests: mulberry32, plus the draws the property and fuzz tests need.

/** mulberry32: a 32-bit state, full period, good enough to pick test inputs reproducibly. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Seeded draws over mulberry32. */
export class Rng {
  readonly #next: () => number;

  constructor(seed: number) {
    this.#next = mulberry32(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.#next();
  }

  /** An integer in [lo, hi], both ends included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.#next() * (hi - lo + 1));
  }

  /** True with probability p. */
  bool(p = 0.5): boolean {
    return this.#next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#next() * items.length)] as T;
  }

  /** A standard normal (Box-Muller; reproducible, not numpy's stream). */
  normal(): number {
    const u = 1 - this.#next();
    const v = this.#next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** n standard normals times scale. */
  normals(n: number, scale = 1): Float64Array {
    return Float64Array.from({ length: n }, () => this.normal() * scale);
  }

  /** As normals, in the given precision: the float32 values are the rounded float64 ones. */
  normalsIn(precision: "float64" | "float32", n: number, scale = 1): Float64Array | Float32Array {
    const values = this.normals(n, scale);
    return precision === "float64" ? values : Float32Array.from(values);
  }

  /** n uniforms in [lo, hi). */
  uniforms(n: number, lo: number, hi: number): Float64Array {
    return Float64Array.from({ length: n }, () => lo + (hi - lo) * this.#next());
  }
}
