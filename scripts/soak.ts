// Soak / leak check: 20,000 training iterations, 200,000 small API calls, 6,000 fitAsync runs and
// 4,000 runs of a model whose products blasnet splits on its own thread team,
// with RSS and the live JS heap sampled (after a GC) over the second half of each. The first half
// is warm-up: the heap and the allocator's arenas grow to a plateau (~35 MB here) before RSS
// settles. Prints the figures; exits 1 when memory keeps growing: the median of the last fifth of
// the samples above that of the first fifth by more than a bound, for RSS in a window and in the
// window that confirms it, or for the live JS heap.
// Run: npm run soak, or MALLOC_MMAP_THRESHOLD_=131072 node --expose-gc --min-semi-space-size=16
// --max-semi-space-size=16 --import tsx scripts/soak.ts [--quick].
// The fixed mmap threshold matters: glibc's dynamic one lets freed large buffers (the X every
// fitAsync copies) settle into arenas, and the thread-team phase then stepped RSS by up to 18 MB,
// up or down, at random moments, without growing (24,000 runs sampled); with it, and a 512 KB X,
// that phase stayed within 0.2 MB over five runs. The fixed semi-space matters too: V8 otherwise
// grows its young generation once, at a random moment, and RSS steps by 8 MB with the live heap
// flat (800,000 small calls: heapUsed 8.45 -> 8.52 MB, heapTotal 18.3 -> 26.3 MB at call 120,000).
// A step that the fixes above do not remove does not repeat; a leak grows in every window, so an
// RSS growth over the bound counts only when the next window of the same length grows too.
import {
  Matrix,
  Model,
  RandomState,
  computeCost,
  lModelBackward,
  lModelForward,
  initializeParametersDeep,
  updateParameters,
} from "../lib/index.js";

const quick = process.argv.includes("--quick");
const MB = 1024 * 1024;
const SAMPLES = 50;
// RSS moves by a few hundred KB with heap growth and the allocator; a per-call leak of even tens
// of bytes adds megabytes over these counts.
const BOUND_MB = 2;
// The live heap after a GC moves by tens of KB (70 KB over 800,000 small calls); a leaked object
// per call adds megabytes.
const HEAP_BOUND_MB = 1;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Growth in MB from the median of the first fifth of `samples` to that of the last fifth. */
function growth(samples: number[]): { early: number; late: number; grown: number } {
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const early = median(samples.slice(0, fifth));
  const late = median(samples.slice(-fifth));
  return { early, late, grown: late - early };
}

const kib = (mb: number) => `${mb >= 0 ? "+" : ""}${(mb * 1024).toFixed(0)} KiB`;

/** Runs `step` `count` times, sampling RSS and the live heap after a GC about SAMPLES times. */
async function sampleWindow(count: number, step: () => unknown): Promise<{ rss: number[]; heap: number[] }> {
  const rss: number[] = [];
  const heap: number[] = [];
  const every = Math.max(1, Math.floor(count / SAMPLES));
  for (let s = 0; s < count; s++) {
    await step();
    if (s % every === 0) {
      globalThis.gc?.();
      const usage = process.memoryUsage();
      rss.push(usage.rss / MB);
      heap.push(usage.heapUsed / MB);
    }
  }
  return { rss, heap };
}

/**
 * Runs `step` `steps` times (the first half warms up, the second is measured) and, when RSS grew
 * past the bound, as many times again as it measured, to confirm it. Returns whether memory stayed
 * flat.
 */
async function soak(label: string, steps: number, opsPerStep: number, step: () => unknown): Promise<boolean> {
  const warmUp = Math.floor(steps / 2);
  const measuredSteps = steps - warmUp;
  for (let s = 0; s < warmUp; s++) await step();
  const measured = await sampleWindow(measuredSteps, step);
  const rss = growth(measured.rss);
  const heap = growth(measured.heap);
  let line =
    `${label}: ${steps * opsPerStep} ops, RSS median ${rss.early.toFixed(1)} -> ${rss.late.toFixed(1)} MB ` +
    `(${kib(rss.grown)}), live heap ${kib(heap.grown)}`;
  let rssFlat = rss.grown < BOUND_MB;
  if (!rssFlat) {
    const confirm = growth((await sampleWindow(measuredSteps, step)).rss);
    rssFlat = confirm.grown < BOUND_MB;
    line += `; RSS over the next ${measuredSteps * opsPerStep} ops ${kib(confirm.grown)}`;
  }
  console.log(line);
  return rssFlat && heap.grown < HEAP_BOUND_MB;
}

const rng = new RandomState(11);
const X = rng.randn(64, 256);
const Y = new Matrix(
  1,
  256,
  Float64Array.from({ length: 256 }, (_, j) => (X.get(0, j) > 0 ? 1 : 0)),
);
const model = new Model([64, 32, 16, 1], { seed: 1 });
const scale = quick ? 10 : 1;

// Few units over long inputs, like the cat model: every run splits its layer-1 products on the
// thread team (both just pass the 4 MFLOP split threshold, on a 512 KB X that fitAsync copies).
const wide = rng.randn(2048, 32);
const wideY = new Matrix(
  1,
  32,
  Float64Array.from({ length: 32 }, (_, j) => (wide.get(0, j) > 0 ? 1 : 0)),
);
const split = new Model([2048, 32, 1], { seed: 1 });
const splitOptions = { learningRate: 0.01, iterations: 2, gram: false };

const small = initializeParametersDeep([4, 3, 1], { seed: 2 });
const x = rng.randn(4, 5);
const y = new Matrix(1, 5, Float64Array.of(1, 0, 1, 0, 1));

const flat = [
  await soak("training iterations", 20_000 / 100 / scale, 100, () =>
    model.fit(X, Y, { learningRate: 0.01, iterations: 100 }),
  ),
  await soak("small API calls", 200_000 / 5 / scale, 5, () => {
    const { AL, caches } = lModelForward(x, small);
    computeCost(AL, y);
    updateParameters(small, lModelBackward(AL, y, caches), 0.01);
    try {
      lModelForward(new Matrix(3, 5), small);
    } catch {
      // the error path must not leak either
    }
  }),
  // Each run queues training-thread jobs that hold references until its promise settles.
  await soak("fitAsync runs", 6_000 / scale, 1, () =>
    model.fitAsync(X, Y, { learningRate: 0.01, iterations: 10 }),
  ),
  await soak("thread-team runs (fit, fitAsync)", 2_000 / scale, 2, async () => {
    split.fit(wide, wideY, splitOptions);
    await split.fitAsync(wide, wideY, splitOptions);
  }),
];

const ok = flat.every(Boolean);
console.log(
  ok
    ? `soak: memory is flat (RSS growth < ${BOUND_MB} MB or not confirmed, live heap < ${HEAP_BOUND_MB} MB)`
    : "soak: memory keeps growing",
);
process.exitCode = ok ? 0 : 1;
