// Checks RandomState against values recorded from numpy's legacy np.random.seed / RandomState.

import test, { type ExecutionContext } from "ava";
import { native } from "../lib/native.js";
import { RandomState } from "../lib/random.js";
import { seedCases as fixture } from "./helpers/fixtures.js";
import { ReferenceRandomState } from "./helpers/random-reference.js";

// Both streams run in C++ with the C library's log, as numpy's do, so every value must be
// bit-identical to numpy's. Only the plain-TS reference (Math.log) is allowed an ulp on normals.
const FEW_ULPS = 1e-15;

/** Passes when every value is bit-identical (Object.is) to expected; on failure names the first mismatch. */
function assertExact(t: ExecutionContext, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  t.is(actual.length, expected.length, "length");
  let mismatches = 0;
  let first = -1;
  for (let i = 0; i < expected.length; i++) {
    if (Object.is(actual[i], expected[i])) continue;
    if (first === -1) first = i;
    mismatches++;
  }
  t.is(
    mismatches,
    0,
    `${mismatches} of ${expected.length} differ; first at index ${first}: got ${actual[first]}, expected ${expected[first]}`,
  );
}

/** Passes when every value is within relTol of expected; on failure names the worst index. */
function assertClose(
  t: ExecutionContext,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  relTol: number,
): void {
  t.is(actual.length, expected.length, "length");
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (a === e) continue;
    const err = Math.abs(a - e) / Math.max(Math.abs(e), Number.MIN_VALUE);
    if (!(err <= worstErr)) {
      worst = i;
      worstErr = err;
    }
  }
  t.true(
    worst === -1 || worstErr <= relTol,
    `worst index ${worst}: got ${actual[worst]}, expected ${expected[worst]}, relative error ${worstErr}`,
  );
}

function assertRelative(
  t: ExecutionContext,
  actual: number,
  expected: number,
  relTol: number,
  what: string,
): void {
  const err = Math.abs(actual - expected) / Math.abs(expected);
  t.true(err <= relTol, `${what}: got ${actual}, expected ${expected}, relative error ${err}`);
}

for (const entry of fixture.rng) {
  for (const [field, value] of Object.entries(entry)) {
    if (field === "seed") continue;
    test(`seed ${entry.seed}: ${field}`, (t) => {
      const expected = value as number[];
      const rng = new RandomState(entry.seed);
      if (field.startsWith("random_sample_")) {
        const m = rng.randomSample(1, expected.length);
        assertExact(t, m.data, expected);
      } else if (field.startsWith("randn_")) {
        const m = rng.randn(1, expected.length);
        assertExact(t, m.data, expected);
      } else {
        t.fail(`no check for fixture field ${field}`);
      }
    });
  }
}

test("matrices are filled row-major from one stream", (t) => {
  const flat = new RandomState(5).randnArray(6);
  const m = new RandomState(5).randn(2, 3);
  t.deepEqual(m.shape, [2, 3]);
  t.deepEqual(Array.from(m.data), Array.from(flat));
  t.deepEqual(
    Array.from(new RandomState(5).randomSample(3, 2).data),
    Array.from(new RandomState(5).randomSampleArray(6)),
  );
});

test("the cached gaussian persists across randn calls", (t) => {
  const rng = new RandomState(1);
  const a = rng.randn(1, 1).data[0];
  const b = rng.randn(1, 1).data[0];
  const both = new RandomState(1).randn(1, 2).data;
  t.is(a, both[0]);
  t.is(b, both[1]);
});

test("the cached gaussian survives an interleaved randomSample, as in numpy", (t) => {
  // np.random.seed(1); randn(); random_sample(); randn() -> the second randn is the cached value,
  // and random_sample continues from the words after the first Box-Muller pair.
  const rng = new RandomState(1);
  const first = rng.randn(1, 1).data[0];
  const u = rng.randomSample(1, 1).data[0];
  const second = rng.randn(1, 1).data[0];
  const pair = new RandomState(1).randn(1, 2).data;
  t.is(first, pair[0]);
  t.is(second, pair[1]);
  t.is(u, new RandomState(1).randomSampleArray(3)[2]);
});

test("long stream: initialize_parameters_deep for the cat app (seed 1, 12288-20-7-5-1)", (t) => {
  const { seed, args: dims, expected_checksums: expected } = fixture.initialize_parameters_deep_cat_app;
  const rng = new RandomState(seed);
  for (let l = 1; l < dims.length; l++) {
    const rows = dims[l] as number;
    const cols = dims[l - 1] as number;
    const W = rng.randn(rows, cols);
    const scale = Math.sqrt(cols);
    let sum = 0;
    let sumAbs = 0;
    for (let i = 0; i < W.data.length; i++) {
      const v = (W.data[i] as number) / scale;
      W.data[i] = v;
      sum += v;
      sumAbs += Math.abs(v);
    }
    const e = expected[`W${l}`];
    if (e === undefined) {
      t.fail(`fixture has no checksum for W${l}`);
      return;
    }
    // numpy sums pairwise and we sum in order, so the totals agree only to rounding.
    assertRelative(t, sum, e.sum, 1e-12, `W${l} sum`);
    assertRelative(t, sumAbs, e.sum_abs, 1e-12, `W${l} sum_abs`);
    // randn / sqrt(fan_in): both steps are correctly rounded or bit-exact, so the values are exact.
    assertExact(t, W.data.subarray(0, 5), e.first5);
    assertExact(t, W.data.subarray(W.data.length - 5), e.last5);
  }
});

test("bad seeds throw", (t) => {
  const message = /^RandomState: expected seed to be an integer in \[0, 2\^32 - 1\], received /;
  for (const seed of [-1, 1.5, 2 ** 32, NaN, Infinity, -Infinity]) {
    t.throws(() => new RandomState(seed), { instanceOf: RangeError, message }, `seed ${seed}`);
  }
  t.throws(() => new RandomState(-1), { message: /received -1$/ });
  for (const seed of ["1", undefined, null, 1n, {}]) {
    t.throws(() => new RandomState(seed as unknown as number), { instanceOf: TypeError, message });
  }
  t.notThrows(() => new RandomState(0));
  t.notThrows(() => new RandomState(2 ** 32 - 1));
});

test("bad dims throw RangeError without consuming the stream", (t) => {
  const rng = new RandomState(1);
  const bad: [unknown, unknown][] = [
    [0, 1],
    [1, 0],
    [-1, 3],
    [1.5, 2],
    [NaN, 1],
    [Infinity, 1],
    [2 ** 31, 2],
  ];
  t.throws(() => rng.randn("2" as unknown as number, 2), {
    instanceOf: TypeError,
    message: /^RandomState\.randn: /,
  });
  for (const [rows, cols] of bad) {
    t.throws(() => rng.randn(rows as number, cols as number), {
      instanceOf: RangeError,
      message: /^RandomState\.randn: /,
    });
    t.throws(() => rng.randomSample(rows as number, cols as number), {
      instanceOf: RangeError,
      message: /^RandomState\.randomSample: /,
    });
  }
  for (const n of [-1, 0.5, NaN]) {
    t.throws(() => rng.randnArray(n), { instanceOf: RangeError });
    t.throws(() => rng.randomSampleArray(n), { instanceOf: RangeError });
  }
  t.throws(() => rng.randnArray("3" as unknown as number), { instanceOf: TypeError });
  t.is(rng.randomSampleArray(0).length, 0);
  t.is(rng.randn(1, 1).data[0], new RandomState(1).randn(1, 1).data[0]);
});

test("native kernels match the plain-TS reference over long streams", (t) => {
  // 10k values cross many key regenerations (every 312 doubles); odd lengths exercise the cache.
  for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
    const uniform = new ReferenceRandomState(seed);
    const expectedUniform = Float64Array.from({ length: 10_000 }, () => uniform.double());
    assertExact(t, new RandomState(seed).randomSampleArray(10_000), expectedUniform);

    const normal = new ReferenceRandomState(seed);
    const expectedNormal = Float64Array.from({ length: 10_001 }, () => normal.gaussian());
    const rng = new RandomState(seed);
    const chunks = [rng.randnArray(3), rng.randnArray(4_998), rng.randnArray(5_000)];
    const actual = new Float64Array(10_001);
    let at = 0;
    for (const chunk of chunks) {
      actual.set(chunk, at);
      at += chunk.length;
    }
    // The reference uses V8's Math.log, so it may be an ulp away from glibc's on a few percent.
    assertClose(t, actual, expectedNormal, FEW_ULPS);
  }
});

test("the native exports re-check their arguments and throw instead of crashing", (t) => {
  const key = new Uint32Array(624);
  const pos = new Int32Array(1);
  const gauss = new Float64Array(2);
  native.mtSeed(key, pos, 1);
  t.is(pos[0], 624);
  const out = new Float64Array(4);

  t.throws(() => native.mtSeed(new Uint32Array(623), pos, 1), {
    instanceOf: RangeError,
    message: /^mtSeed: expected state to be a Uint32Array of length 624/,
  });
  t.throws(() => native.mtSeed(new Int32Array(624) as unknown as Uint32Array, pos, 1), {
    instanceOf: TypeError,
    message: /^mtSeed: expected state to be a Uint32Array of length 624/,
  });
  for (const seed of [-1, 1.5, 2 ** 32, NaN, Infinity]) {
    t.throws(() => native.mtSeed(key, pos, seed), {
      instanceOf: RangeError,
      message: /^mtSeed: expected seed/,
    });
  }
  t.throws(() => native.mtSeed(key, pos, "1" as unknown as number), { instanceOf: TypeError });
  t.throws(() => native.mtRandomSample(key, new Int32Array(2), out), {
    instanceOf: RangeError,
    message: /^mtRandomSample: expected pos to be an Int32Array of length 1/,
  });
  t.throws(() => native.mtRandomSample(key, new Uint32Array(1) as unknown as Int32Array, out), {
    instanceOf: TypeError,
  });
  for (const bad of [-1, 625, 2 ** 31 - 1]) {
    t.throws(() => native.mtRandomSample(key, Int32Array.of(bad), out), {
      instanceOf: RangeError,
      message: /^mtRandomSample: expected pos\[0\] to be in \[0, 624\]/,
    });
  }
  t.throws(() => native.mtRandomSample(key, pos, new Float32Array(4) as unknown as Float64Array), {
    instanceOf: TypeError,
    message: /^mtRandomSample: expected out to be a Float64Array/,
  });
  t.throws(() => native.mtRandn(key, pos, new Float64Array(3), out), {
    instanceOf: RangeError,
    message: /^mtRandn: expected gauss to be a Float64Array of length 2/,
  });
  t.throws(() => native.mtRandn(key, pos, gauss, [0, 0] as unknown as Float64Array), {
    instanceOf: TypeError,
  });
  t.throws(() => (native.mtRandn as (...args: unknown[]) => void)(key, pos, gauss), {
    instanceOf: TypeError,
  });

  const detached = new Float64Array(4);
  structuredClone(detached.buffer, { transfer: [detached.buffer] });
  t.throws(() => native.mtRandomSample(key, pos, detached), { instanceOf: TypeError, message: /detached/ });

  // Failed calls consumed nothing; an empty out is a no-op.
  native.mtRandomSample(key, pos, new Float64Array(0));
  native.mtRandn(key, pos, gauss, new Float64Array(0));
  t.is(pos[0], 624);
  native.mtRandomSample(key, pos, out);
  t.deepEqual(Array.from(out), Array.from(new RandomState(1).randomSampleArray(4)));

  // out aliasing the state cannot move the key index out of bounds.
  const shared = new ArrayBuffer(624 * 4 + 8);
  const aliasKey = new Uint32Array(shared, 0, 624);
  const aliasPos = new Int32Array(shared, 624 * 4, 1);
  native.mtSeed(aliasKey, aliasPos, 3);
  t.notThrows(() => native.mtRandn(aliasKey, aliasPos, gauss, new Float64Array(shared)));
  t.true(aliasPos[0]! >= 0 && aliasPos[0]! <= 624);
});
