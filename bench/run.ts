// The benchmark orchestrator: every contender (blasnet and numpy, per workload, plus GEMM rooflines)
// runs in a fresh child process, one after another; this process only spawns, collects and prints.
//
//   npm run bench                                   all workloads, 5 timed runs per contender
//   npm run bench -- --quick                        fewer iterations per run: a smoke run
//   npm run bench -- --workloads cat-deep,mlp-wide --runs 3 --data ../shared/datasets
//   npm run bench -- --workloads mnist-mlp --runs 3      the mini-batch workload (numpy, PyTorch too)
//   npm run bench -- --json bench.json              also write github-action-benchmark entries
//   npm run bench -- --no-numpy                     blasnet only
//   npm run bench -- --compare base.json --fail-above 10%   against a --json baseline; exit 1 past it
// It does not import the addon itself: blasnet sets OPENBLAS_CORETYPE when it loads, which the numpy
// processes spawned from here would otherwise inherit.
import { rmSync, writeFileSync } from "node:fs";
import { catDataAvailable } from "../lib/data.js";
import { compareRuns, comparisonLines, readBaseline } from "./compare.js";
import { type BenchOptions, parseBenchArgs } from "./args.js";
import { writeCatBins } from "./catbin.js";
import { compileContenders, pythonScript, runChild, tsScript } from "./child.js";
import {
  agreementLines,
  benchEntries,
  contenderLine,
  header,
  loadNow,
  ratioLines,
  rooflineLines,
  workloadTitle,
} from "./report.js";
import {
  type ChildResult,
  type ContenderResult,
  type InfoResult,
  type RooflineResult,
  summarize,
} from "./result.js";
import { rooflineShapes } from "./shapes.js";
import { stepsEntries, targetLines } from "./steps-report.js";
import { probeTorch, runSteps } from "./steps-run.js";
import { MNIST_MLP } from "./steps-workload.js";
import type { StepsResult } from "./result.js";
import { WORKLOADS, type Workload, flopsPerIteration } from "./workloads.js";

const NAME_WIDTH = 23;

interface Contender {
  name: string;
  command: [string, string[]];
}

let failures = 0;

/** Runs a child; a failure is printed and counted (the bench exits 1 at the end) but does not stop the rest. */
async function attempt<K extends ChildResult["kind"]>(
  name: string,
  kind: K,
  command: [string, string[]],
): Promise<Extract<ChildResult, { kind: K }> | undefined> {
  try {
    const result = await runChild(command);
    if (result.kind !== kind) throw new Error(`expected a ${kind} record, received ${result.kind}`);
    return result as Extract<ChildResult, { kind: K }>;
  } catch (error) {
    failures++;
    console.log(
      `  ${name.padEnd(NAME_WIDTH)} FAILED: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  }
}

/** About 5% of a run, untimed, after validation (which already ran the code paths once). */
function warmupFor(iterations: number): number {
  return Math.max(1, Math.round(iterations / 20));
}

function contenders(
  w: Workload,
  options: BenchOptions,
  binDir: string | undefined,
  numpy: boolean,
  { generic, gram }: { generic: number; gram: number },
): Contender[] {
  const { runs } = options;
  // Cat workloads only run when main() wrote the bins; mlp-wide builds its own data.
  const source = binDir !== undefined ? ["--bin", binDir] : [];
  const ours = (dtype: string, kind: "generic" | "gram", n: number): Contender => ({
    name: `blasnet ${dtype} ${kind}`,
    command: tsScript("contender.ts", [w.name, dtype, kind, n, runs, warmupFor(n), ...source]),
  });
  const theirs = (variant: string, n: number): Contender => {
    const spec = JSON.stringify(w);
    const args = ["run", spec, variant, n, runs, warmupFor(n), ...(binDir ? [binDir] : [])];
    return { name: `numpy ${variant}`, command: pythonScript(args) };
  };
  const list = [ours("float64", "generic", generic)];
  if (w.gram) list.push(ours("float64", "gram", gram));
  list.push(ours("float32", "generic", generic));
  if (numpy) {
    list.push(theirs("notebook", generic), theirs("no-dA0", generic));
    if (w.gram) list.push(theirs("gram", gram));
  }
  return list;
}

function iterationsPerRun(w: Workload, quick: boolean): { generic: number; gram: number } {
  const it = w.iterations;
  return quick ? { generic: it.quickGeneric, gram: it.quickGram } : { generic: it.generic, gram: it.gram };
}

async function runWorkload(w: Workload, options: BenchOptions, binDir: string | undefined, numpy: boolean) {
  if (w.catData && binDir === undefined) {
    console.log(`\n${w.name}: skipped, the cat dataset is not in ${options.dataDir} (use --data DIR)`);
    return [];
  }
  const { generic, gram } = iterationsPerRun(w, options.quick);
  console.log(workloadTitle(w, generic, gram));
  const results: ContenderResult[] = [];
  for (const c of contenders(w, options, binDir, numpy, { generic, gram })) {
    const r = await attempt(c.name, "contender", c.command);
    if (r === undefined) continue;
    results.push(r);
    console.log(contenderLine(w, r, NAME_WIDTH));
  }
  const agreement = agreementLines(results, NAME_WIDTH);
  for (const line of [...agreement, ...ratioLines(results, NAME_WIDTH)]) console.log(line);
  if (agreement.some((l) => l.endsWith("MISMATCH"))) failures++;
  return results;
}

/** numpy's version and BLAS, or undefined when python3 or numpy is missing. */
async function probeNumpy(): Promise<InfoResult | undefined> {
  try {
    const info = await runChild(pythonScript(["info"]));
    return info.kind === "info" ? info : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const argv = process.argv.slice(2);
  const options = parseBenchArgs(argv);
  const command = `npm run bench${argv.length > 0 ? ` -- ${argv.join(" ")}` : ""}`;
  // Read first: a bad baseline fails at once, not after minutes of benchmarks.
  const baseline = options.compareFile === undefined ? undefined : readBaseline(options.compareFile);
  compileContenders();

  const blasnetInfo = await attempt("blasnet info", "info", tsScript("contender.ts", ["info"]));
  const numpyInfo = options.numpy ? await probeNumpy() : undefined;
  console.log(header(command, blasnetInfo, numpyInfo));
  const numpy = numpyInfo !== undefined;
  if (options.numpy && !numpy) console.log("numpy contenders skipped: `python3 -c 'import numpy'` failed");
  const torch = options.numpy && options.stepsWorkloads.length > 0 ? await probeTorch() : undefined;
  if (torch)
    console.log(`PyTorch  ${torch.info.runtime} (${torch.python}), ${torch.info.blas.threads} threads`);
  else if (options.numpy && options.stepsWorkloads.length > 0)
    console.log(
      "PyTorch contenders skipped: no python3 imports torch (Debian: apt-get install python3-torch)",
    );

  const workloads = options.workloads.map((name) => WORKLOADS[name]);
  const needBins = workloads.some((w) => w.catData) && catDataAvailable(options.dataDir);
  const binDir = needBins ? await writeCatBins(options.dataDir) : undefined;
  const cleanUp = () => binDir && rmSync(binDir, { recursive: true, force: true });
  process.once("SIGINT", () => {
    cleanUp();
    process.exit(130);
  });
  try {
    const results: ContenderResult[] = [];
    for (const w of workloads) results.push(...(await runWorkload(w, options, binDir, numpy)));
    let steps: StepsResult[] = [];
    if (options.stepsWorkloads.includes("mnist-mlp")) {
      const outcome = await runSteps(options, numpy, torch, attempt);
      steps = outcome.results;
      if (!outcome.ok) failures++;
    }
    if (binDir !== undefined && options.workloads.includes("cat-deep")) {
      const iterations = options.quick ? 50 : 500;
      const args = ["cat-deep", iterations, "--bin", binDir];
      const loop = await attempt("event loop", "eventloop", tsScript("eventloop.ts", args));
      if (loop) {
        console.log(
          `event loop while fitAsync trains cat-deep (float64, generic path, ${loop.itPerSec.toFixed(0)} it/s): ` +
            `p50 ${loop.p50Ms.toFixed(2)} ms, p99 ${loop.p99Ms.toFixed(2)} ms, max ${loop.maxMs.toFixed(2)} ms\n`,
        );
      }
    }

    const neighbour = await attempt(
      "neighbour",
      "neighbour",
      tsScript("neighbour.ts", [options.quick ? 10 : 20]),
    );
    for (const p of neighbour?.points ?? []) {
      console.log(
        `readFile beside ${p.runs} fitAsync runs ([2000, 64, 32, 1], m = 500): median ` +
          `${p.readFileMedianMs.toFixed(2)} ms, p90 ${p.readFileP90Ms.toFixed(2)} ms; event-loop p99 ${p.loopP99Ms.toFixed(2)} ms`,
      );
    }
    if (neighbour) console.log("");

    const reps = options.quick ? 3 : 7;
    const rooflines: RooflineResult[] = [];
    const ours = await attempt("blasnet roofline", "roofline", tsScript("roofline.ts", [reps]));
    if (ours) rooflines.push(ours);
    if (numpy) {
      const shapes = JSON.stringify(rooflineShapes());
      const theirs = await attempt("numpy roofline", "roofline", pythonScript(["roofline", reps, shapes]));
      if (theirs) rooflines.push(theirs);
    }
    for (const line of rooflineLines(rooflines)) console.log(line);

    if (steps.length > 0 || results.some((r) => r.workload === "mlp-wide")) {
      const wide = WORKLOADS["mlp-wide"];
      const gflopsOf = (dtype: string) => {
        const r = results.find(
          (x) => x.workload === "mlp-wide" && x.contender === `blasnet ${dtype} generic`,
        );
        return r && (flopsPerIteration(wide.dims, wide.m) * summarize(r.itPerSec).median) / 1e9;
      };
      const mlpWide = { float64: gflopsOf("float64"), float32: gflopsOf("float32") };
      for (const line of targetLines(MNIST_MLP, steps, rooflines, mlpWide)) console.log(line);
    }

    const entries = [...benchEntries(results, rooflines), ...stepsEntries(steps)];
    if (options.jsonFile !== undefined) {
      writeFileSync(options.jsonFile, `${JSON.stringify(entries, null, 2)}\n`);
      console.log(`\nwrote ${options.jsonFile}`);
    }
    if (baseline !== undefined) {
      const comparisons = compareRuns(entries, baseline, options.failAbove);
      console.log(`\n${comparisonLines(comparisons, options.compareFile!, options.failAbove).join("\n")}`);
      failures += comparisons.filter((c) => c.verdict === "REGRESSION").length;
    }
  } finally {
    cleanUp();
  }
  const minutes = (performance.now() - started) / 60000;
  const failed = failures > 0 ? `, ${failures} FAILED` : "";
  console.log(`\ndone in ${minutes.toFixed(1)} min, load average ${loadNow()}${failed}`);
  if (failures > 0) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  // Bad options and setup failures: the message, not a stack trace.
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 2;
}
