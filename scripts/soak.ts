// Soak / leak check: 10,000 training iterations and 100,000 small API calls with RSS sampled.
// Prints the figures; exits 1 when RSS keeps growing (slope above the bound) after warm-up.
// Run: npx tsx scripts/soak.ts [--quick]
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

/** Least-squares slope of RSS (bytes) against the step index, in bytes per step. */
function slope(samples: number[]): number {
  const n = samples.length;
  const meanX = (n - 1) / 2;
  const meanY = samples.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  samples.forEach((y, x) => {
    num += (x - meanX) * (y - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}

function sampleRss(label: string, steps: number, perStep: number, step: () => void): number {
  const samples: number[] = [];
  for (let s = 0; s < steps; s++) {
    step();
    if (s % Math.max(1, Math.floor(steps / 50)) === 0) {
      globalThis.gc?.();
      samples.push(process.memoryUsage().rss);
    }
  }
  const warm = samples.slice(Math.floor(samples.length / 5));
  const perThousand = (slope(warm) * (samples.length / steps) * 1000) / perStep;
  console.log(
    `${label}: ${steps * perStep} ops, RSS ${(warm[0]! / MB).toFixed(1)} -> ${(warm.at(-1)! / MB).toFixed(1)} MB, ` +
      `slope ${(perThousand / 1024).toFixed(3)} KiB per 1000 ops`,
  );
  return perThousand;
}

const rng = new RandomState(11);
const X = rng.randn(64, 256);
const Y = new Matrix(
  1,
  256,
  Float64Array.from({ length: 256 }, (_, j) => (X.get(0, j) > 0 ? 1 : 0)),
);
const model = new Model([64, 32, 16, 1], { seed: 1 });
const iterations = quick ? 1000 : 10_000;
const trainSlope = sampleRss("training iterations", iterations / 100, 100, () => {
  model.fit(X, Y, { learningRate: 0.01, iterations: 100 });
});

const small = initializeParametersDeep([4, 3, 1], { seed: 2 });
const x = rng.randn(4, 5);
const y = new Matrix(1, 5, Float64Array.of(1, 0, 1, 0, 1));
const calls = quick ? 10_000 : 100_000;
const apiSlope = sampleRss("small API calls", calls / 5, 5, () => {
  const { AL, caches } = lModelForward(x, small);
  computeCost(AL, y);
  const grads = lModelBackward(AL, y, caches);
  updateParameters(small, grads, 0.01);
  try {
    lModelForward(new Matrix(3, 5), small);
  } catch {
    // the error path must not leak either
  }
});

// fitAsync runs: each queues AsyncWorkers and holds references until its promise settles.
const asyncRuns = quick ? 200 : 1000;
const asyncSamples: number[] = [];
for (let r = 0; r < asyncRuns; r++) {
  await model.fitAsync(X, Y, { learningRate: 0.01, iterations: 10 });
  if (r % Math.max(1, Math.floor(asyncRuns / 50)) === 0) {
    globalThis.gc?.();
    asyncSamples.push(process.memoryUsage().rss);
  }
}
const asyncWarm = asyncSamples.slice(Math.floor(asyncSamples.length / 5));
const asyncSlope = (slope(asyncWarm) * (asyncSamples.length / asyncRuns) * 1000) / 1;
console.log(
  `fitAsync runs: ${asyncRuns} runs, RSS ${(asyncWarm[0]! / MB).toFixed(1)} -> ${(asyncWarm.at(-1)! / MB).toFixed(1)} MB, ` +
    `slope ${(asyncSlope / 1024).toFixed(3)} KiB per 1000 runs`,
);

// 4 KiB per 1000 operations would be a leak of a few bytes per call; a flat run measures ~0.
const bound = 4 * 1024;
const ok = trainSlope < bound && apiSlope < bound && asyncSlope < 64 * bound;
console.log(ok ? "soak: RSS is flat" : "soak: RSS keeps growing");
process.exitCode = ok ? 0 : 1;
