// bench --compare: changes are normalised by the same run's GEMM roofline (the workload's own
// layer-1 shapes, else the square product), judged against the runs' own noise, and only a
// slowdown past both the noise and --fail-above is a regression.
import test from "ava";
import { compareRuns, comparisonLines } from "../bench/compare.js";
import type { BenchEntry } from "../bench/report.js";

const square64 = "roofline blasnet float64 square 2048 2048x2048x2048";
const square32 = "roofline blasnet float32 square 2048 2048x2048x2048";

function run(gemm64: number, gemm32: number, workloads: Record<string, [number, number]>): BenchEntry[] {
  return [
    ...Object.entries(workloads).map(([name, [ms, spread]]) => ({
      name,
      unit: "ms/it" as const,
      value: ms,
      range: `±${spread}%`,
    })),
    { name: square64, unit: "s" as const, value: gemm64 },
    { name: square32, unit: "s" as const, value: gemm32 },
  ];
}

test("a machine twice as slow everywhere shows no change", (t) => {
  const before = run(0.1, 0.05, { "cat-deep blasnet float64 generic": [4, 2] });
  const after = run(0.2, 0.1, { "cat-deep blasnet float64 generic": [8, 2] });
  const [c] = compareRuns(after, before, 0.1);
  t.is(c!.verdict, "within noise");
  t.true(Math.abs(c!.change) < 1e-12);
});

test("each precision is normalised by its own GEMM", (t) => {
  const before = run(0.1, 0.05, { "mlp-wide blasnet float32 generic": [60, 1] });
  // sgemm unchanged, dgemm twice as slow: a float32 workload 20 % slower is 20 % slower.
  const after = run(0.2, 0.05, { "mlp-wide blasnet float32 generic": [72, 1] });
  const [c] = compareRuns(after, before, 0.1);
  t.true(Math.abs(c!.change - 0.2) < 1e-12);
  t.is(c!.verdict, "REGRESSION");
});

test("changes inside the runs' own spread are noise, and small slowdowns only slower", (t) => {
  const before = run(0.1, 0.05, { a: [10, 5], b: [10, 1], c: [10, 1] });
  const after = run(0.1, 0.05, { a: [11.5, 3], b: [10.5, 1], c: [9, 1] });
  const verdicts = Object.fromEntries(compareRuns(after, before, 0.1).map((c) => [c.name, c.verdict]));
  t.deepEqual(verdicts, { a: "REGRESSION", b: "slower", c: "faster" });
  const noisy = compareRuns(run(0.1, 0.05, { a: [11.5, 12] }), before, 0.1);
  t.is(noisy[0]!.verdict, "within noise");
});

test("a workload is normalised by its own layer-1 products when the run timed them", (t) => {
  const own = (s: number): BenchEntry[] => [
    { name: "cat-two roofline-free", unit: "ms/it", value: 1 },
    { name: "roofline blasnet float64 cat-two W1*X 7x209x12288", unit: "s", value: s },
    { name: "roofline blasnet float64 cat-two dZ1*X^T 7x12288x209", unit: "s", value: s },
  ];
  const before = [...run(0.1, 0.05, { "cat-two blasnet float64 generic": [3, 1] }), ...own(0.001)];
  // The square GEMM got faster, the cat-two products did not: the workload's own shapes decide.
  const after = [...run(0.05, 0.05, { "cat-two blasnet float64 generic": [3, 1] }), ...own(0.001)];
  t.is(compareRuns(after, before, 0.1)[0]!.verdict, "within noise");
});

test("workloads missing on either side are left out, and the report says when none compare", (t) => {
  const before = run(0.1, 0.05, { old: [1, 1] });
  const after = run(0.1, 0.05, { fresh: [1, 1] });
  t.deepEqual(compareRuns(after, before, 0.1), []);
  t.deepEqual(comparisonLines([], "base.json", 0.1), ["compare: no workload of this run is in base.json"]);
});
