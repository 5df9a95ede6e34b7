// blasnet's own kernel for a mini-batch step's products (native/strip_gemm.h): dW1 = (1/b) dZ1 X_b
// with depth b, Z1 = W1 X_b 784 deep at batches up to 64. Within a block of depth it sums each value
// in k order by FMAs, then adds it, scaled, to C, as OpenBLAS's Haswell and Zen dgemm kernels do,
// with their blocks of depth: the same bits as dgemm under those kernels, and sums as accurate as
// dgemm's under any other.
import test from "ava";
import { blasInfo, getNumThreads, setNumThreads } from "../lib/index.js";
import { cpuFlags } from "../lib/cpu-kernels.js";
import { native } from "../lib/native.js";
import { describeExit, jsonLines, runTsChild } from "./helpers/child.js";
import { Rng } from "./helpers/prng.js";
import * as ref from "./helpers/reference.js";

const sameBitsAsDgemm = ["Haswell", "Zen"].includes(blasInfo().coreName);

// Every row count of a tile (6 rows) and its remainders, strips of 8 columns and the masked edges,
// depths within one block, in two (257 to 511: two near-halves, 520: 256 + 132 + 132) and more
// (770: 256 + 256 + 132 + 126; 784: Z1 = W1 X_b), products past the width limit (dgemm then),
// whole dW1 and Z1 products of a batch.
const shapes = [
  ...[1, 5, 6, 7, 13].flatMap((M) => [1, 3, 4, 5, 8, 9, 23].map((N) => ({ M, N, K: 7 }))),
  ...[1, 2, 63, 64, 200, 256, 257, 300, 511, 512, 513, 520, 770, 1024].map((K) => ({ M: 11, N: 17, K })),
  { M: 7, N: 64, K: 515 },
  { M: 6, N: 65, K: 300 },
  { M: 128, N: 784, K: 64 },
  { M: 64, N: 64, K: 128 },
  { M: 10, N: 1024, K: 64 },
  { M: 128, N: 784, K: 256 },
  { M: 128, N: 64, K: 784 },
];

// The product as a mini-batch step runs it (onTeam), and as one single-threaded dgemm call (on
// OpenBLAS's threads a row may land in an edge kernel of another order).
function both(
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Float64Array,
  B: Float64Array,
  transB = false,
) {
  const onTeam = new Float64Array(M * N).fill(NaN);
  const dgemm = new Float64Array(M * N).fill(NaN);
  native.gemm(onTeam, A, B, M, N, K, false, transB, alpha, 0, true);
  const threads = getNumThreads();
  setNumThreads(1);
  try {
    native.gemm(dgemm, A, B, M, N, K, false, transB, alpha, 0, false);
  } finally {
    setNumThreads(threads);
  }
  return { onTeam, dgemm };
}

test(`products on the step's kernel match dgemm${sameBitsAsDgemm ? " to the bit" : ""}`, (t) => {
  const rng = new Rng(41);
  for (const { M, N, K } of shapes) {
    for (const [alpha, transB] of [
      [1, false],
      [1 / K, true],
      [-0.5, false],
    ] as const) {
      const A = rng.normalsIn("float64", M * K) as Float64Array;
      const B = rng.normalsIn("float64", K * N) as Float64Array;
      const { onTeam, dgemm } = both(M, N, K, alpha, A, B, transB);
      const what = `${M}x${N}x${K} alpha ${alpha} transB ${transB} (${blasInfo().coreName})`;
      if (sameBitsAsDgemm) {
        t.deepEqual(onTeam, dgemm, what);
      } else {
        const expected = ref.gemm(false, transB, M, N, K, alpha, A, B, 0, new Float64Array(M * N));
        const d = ref.worstDifference(onTeam, expected, 1e-12 * K);
        t.true(d.ok, `${what}: C[${d.index}] is ${d.actual}, reference ${d.expected}`);
      }
    }
  }
});

test("in float32 every value is summed k by k, as closely as sgemm sums it", (t) => {
  const rng = new Rng(42);
  for (const { M, N, K } of shapes) {
    const A = rng.normalsIn("float32", M * K) as Float32Array;
    const B = rng.normalsIn("float32", K * N) as Float32Array;
    for (const transB of [false, true]) {
      const C = new Float32Array(M * N).fill(NaN);
      native.gemm(C, A, B, M, N, K, false, transB, 1 / K, 0, true);
      const expected = ref.gemm(false, transB, M, N, K, 1 / K, A, B, 0, new Float64Array(M * N));
      const d = ref.worstDifference(C, expected, 2e-6 * Math.sqrt(K));
      t.true(d.ok, `${M}x${N}x${K} transB ${transB}: C[${d.index}] is ${d.actual}, reference ${d.expected}`);
    }
  }
});

test("the kernel writes +0 where a scaled sum underflows, and carries infinities and NaN", (t) => {
  // alpha * (-5e-324) rounds to -0; dgemm adds that to the +0 it zeroed C with, so +0.
  const M = 8,
    N = 9,
    K = 3;
  const A = new Float64Array(M * K).fill(-5e-324);
  const B = new Float64Array(K * N).fill(1);
  A[K] = Infinity; // row 1: Infinity, then Infinity * 0 = NaN in column 2
  A[2 * K + 1] = NaN; // row 2: NaN
  B[2] = 0;
  const { onTeam, dgemm } = both(M, N, K, 1 / 64, A, B);
  t.true(Object.is(onTeam[0], 0), "row 0 is +0");
  t.is(onTeam[N], Infinity);
  t.true(Number.isNaN(onTeam[N + 2]!));
  t.true(Number.isNaN(onTeam[2 * N]!));
  const signed = (C: Float64Array) => Array.from(C, (v) => (Object.is(v, -0) ? "-0" : String(v)));
  t.deepEqual(signed(onTeam), signed(dgemm));
});

const flags = cpuFlags();
const withFma = flags !== undefined && flags.has("avx2") && flags.has("fma") ? test : test.skip;
const stripProducts = new URL("./children/strip-products.ts", import.meta.url);

withFma("the step's products are blasnet's kernel's under every OpenBLAS kernel", async (t) => {
  // Sandybridge's dgemm multiplies and adds without FMAs, so its bits differ from Haswell's; the
  // step's products keep the same bits under both, so they are not dgemm's.
  const runs: { coreName: string; team: string; dgemm: string }[] = [];
  for (const kernel of ["Haswell", "Sandybridge"]) {
    const child = await runTsChild(stripProducts, [], { env: { OPENBLAS_CORETYPE: kernel } });
    t.is(child.code, 0, describeExit(child));
    runs.push(jsonLines<{ coreName: string; team: string; dgemm: string }>(child.stdout)[0]!);
  }
  const [haswell, sandybridge] = runs;
  t.deepEqual([haswell!.coreName, sandybridge!.coreName], ["Haswell", "Sandybridge"]);
  t.is(haswell!.team, haswell!.dgemm, "under Haswell the kernel gives dgemm's bits");
  t.not(sandybridge!.dgemm, haswell!.dgemm, "Sandybridge's dgemm sums otherwise");
  t.is(sandybridge!.team, haswell!.team, "the step's products do not follow OpenBLAS's kernel");
});
