// The roofline contender: the addon's dgemm and sgemm GFLOP/s on the shapes of shapes.ts, in its own process.
// Usage (run.ts spawns it; prints one JSON line): node --import tsx bench/roofline.ts <reps>
import { native } from "../lib/native.js";
import { type GemmTiming, emit, median } from "./result.js";
import { type GemmShape, gemmFlops, rooflineShapes } from "./shapes.js";

/** Each timed sample repeats the call until it lasts at least this long, so small shapes time well. */
const SAMPLE_SECONDS = 0.05;

/** Deterministic values in [-1, 1): no denormals, no zeros, nothing for BLAS to skip. */
function filled(
  Kind: Float64ArrayConstructor | Float32ArrayConstructor,
  n: number,
): Float64Array | Float32Array {
  const out = new Kind(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7919) % 2003) / 1001.5 - 1;
  return out;
}

function timeShape(s: GemmShape, dtype: "float64" | "float32", reps: number): GemmTiming {
  const Kind = dtype === "float64" ? Float64Array : Float32Array;
  const A = filled(Kind, s.M * s.K);
  const B = filled(Kind, s.K * s.N);
  const C = new Kind(s.M * s.N);
  const call = () => native.gemm(C, A, B, s.M, s.N, s.K, false, s.transB, 1, 0, s.onTeam === true);
  // Warm up (threads started, pages touched), then size the batch from one timed call.
  call();
  call();
  let started = performance.now();
  call();
  const once = Math.max((performance.now() - started) / 1000, 1e-7);
  const batch = Math.max(1, Math.ceil(SAMPLE_SECONDS / once));
  const perCall: number[] = [];
  for (let r = 0; r < reps; r++) {
    started = performance.now();
    for (let i = 0; i < batch; i++) call();
    perCall.push((performance.now() - started) / 1000 / batch);
  }
  const seconds = median(perCall);
  return {
    label: s.label,
    dtype,
    M: s.M,
    N: s.N,
    K: s.K,
    transB: s.transB,
    seconds,
    gflops: gemmFlops(s) / seconds / 1e9,
  };
}

const reps = Number(process.argv[2] ?? 7);
if (!Number.isInteger(reps) || reps < 1) {
  process.stderr.write(`roofline: expected reps to be an integer >= 1, received ${process.argv[2]}\n`);
  process.exit(1);
}
const timings: GemmTiming[] = [];
for (const shape of rooflineShapes()) {
  for (const dtype of ["float64", "float32"] as const) timings.push(timeShape(shape, dtype, reps));
}
emit({ kind: "roofline", contender: "blasnet", timings });
