// A plain-TypeScript reference of numpy's legacy RandomState (MT19937, random_sample, legacy_gauss): the test oracle for the native kernels.

// MT19937 parameters (Matsumoto & Nishimura 1998), as in numpy's randomkit/mt19937.c.
const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/**
 * One value at a time, written to read like numpy's C source rather than to be fast. Uniform draws
 * are integer arithmetic plus one exact division, so they equal numpy's exactly; normals go through
 * `Math.log`, which may differ from glibc's `log` by an ulp, so compare them with a tolerance.
 */
export class ReferenceRandomState {
  readonly #mt = new Uint32Array(N);
  #pos = N;
  #hasGauss = false;
  #gauss = 0;

  /** init_genrand(seed), like np.random.seed(seed); seed must be an integer in [0, 2^32 - 1]. */
  constructor(seed: number) {
    const mt = this.#mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] as number;
      // Math.imul keeps the product in 32 bits; a float multiply would lose the low bits.
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
  }

  /** random_interval(max): masked 32-bit draws until one is <= max. */
  interval(max: number): number {
    if (max === 0) return 0;
    let mask = max;
    for (const shift of [1, 2, 4, 8, 16]) mask = (mask | (mask >>> shift)) >>> 0;
    for (;;) {
      const value = (this.uint32() & mask) >>> 0;
      if (value <= max) return value;
    }
  }

  /** permutation(n): legacy shuffle of 0..n-1, Fisher-Yates from the end. */
  permutation(n: number): number[] {
    const out = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i >= 1; i--) {
      const j = this.interval(i);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  }

  /** legacy_double: 27 + 26 high bits of two words, so every double is exact. */
  double(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** legacy_gauss: returns f*x2 and keeps f*x1 for the next call. */
  gaussian(): number {
    if (this.#hasGauss) {
      this.#hasGauss = false;
      return this.#gauss;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.double() - 1;
      x2 = 2 * this.double() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.#gauss = f * x1;
    this.#hasGauss = true;
    return f * x2;
  }

  /** genrand_int32 with tempering. */
  uint32(): number {
    if (this.#pos >= N) this.#twist();
    let y = this.#mt[this.#pos++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** Regenerates all N words at once; the Uint32Array store truncates the signed XOR results. */
  #twist(): void {
    const mt = this.#mt;
    for (let kk = 0; kk < N; kk++) {
      const y = ((mt[kk] as number) & UPPER_MASK) | ((mt[(kk + 1) % N] as number) & LOWER_MASK);
      mt[kk] = (mt[(kk + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.#pos = 0;
  }
}
