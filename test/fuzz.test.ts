// Junk-call fuzzing in child processes: every export of the raw binding, then every public
// function, called thousands of times with seeded junk (test/helpers/junk.ts). A pass means no
// signal and no abort, every call returned or threw an Error of an expected class, and every
// export was reached often enough and also succeeded at least once (so the deep checks ran).

import test from "ava";
import { native } from "../lib/native.js";
import { describeExit, jsonLines, runTsChild } from "./helpers/child.js";
import type { FuzzSummary } from "./helpers/junk.js";

const NATIVE_SEEDS = [1, 2];
const NATIVE_CALLS = 25_000;
const PUBLIC_CALLS = 5_000;
/** Exports that take no arguments, so no junk makes them throw. */
// Exports that take no arguments have nothing to reject.
const NEVER_THROW = ["getNumThreads", "blasInfo", "memoryInfo", "beginRun", "endRun", "runInfo"];

async function fuzz(
  script: string,
  seed: number,
  calls: number,
): Promise<{ summary?: FuzzSummary; exit: string; ok: boolean }> {
  const result = await runTsChild(new URL(`./children/${script}`, import.meta.url), [
    String(seed),
    String(calls),
  ]);
  const [summary] = jsonLines<FuzzSummary>(result.stdout);
  return { summary, exit: describeExit(result), ok: result.code === 0 && result.signal === null };
}

for (const seed of NATIVE_SEEDS) {
  test(`every raw-binding export survives ${NATIVE_CALLS} junk calls (seed ${seed})`, async (t) => {
    const { summary, exit, ok } = await fuzz("fuzz-native.ts", seed, NATIVE_CALLS);
    t.true(ok, `the fuzz child ended with ${exit}`);
    if (summary === undefined) return;
    t.log(
      `${summary.calls} calls: ${summary.returned} returned, ${summary.resolved} resolved, ` +
        `${summary.thrown} threw, ${summary.rejected} rejected; ${JSON.stringify(summary.byClass)}`,
    );
    t.true(summary.calls >= 10_000);
    t.is(summary.nonErrorThrows, 0);
    t.deepEqual(summary.unexpected, [], "only TypeError, RangeError and the junk's own JunkError");
    t.deepEqual(Object.keys(summary.byExport).sort(), Object.keys(native).sort(), "every export was called");
    for (const [name, counts] of Object.entries(summary.byExport)) {
      t.true(counts.calls >= 500, `${name}: ${counts.calls} calls`);
      t.true(counts.ok > 0, `${name} never succeeded, so the fuzz never got past its checks`);
      t.true(counts.errors > 0 || NEVER_THROW.includes(name), `${name} never threw`);
    }
  });
}

test(`every public function survives ${PUBLIC_CALLS} junk calls`, async (t) => {
  const { summary, exit, ok } = await fuzz("fuzz-public.ts", 7, PUBLIC_CALLS);
  t.true(ok, `the fuzz child ended with ${exit}`);
  if (summary === undefined) return;
  t.log(
    `${summary.calls} calls: ${summary.returned} returned, ${summary.resolved} resolved, ` +
      `${summary.thrown} threw, ${summary.rejected} rejected; ${JSON.stringify(summary.byClass)}`,
  );
  t.true(summary.calls >= PUBLIC_CALLS);
  t.is(summary.nonErrorThrows, 0);
  t.deepEqual(summary.unexpected, [], "only TypeError, RangeError, Error, AbortError and JunkError");
  for (const [name, counts] of Object.entries(summary.byExport)) {
    t.true(counts.ok > 0, `${name} never succeeded, so the fuzz never got past its checks`);
  }
});
