// Atomic saves: a child that saves again and again is killed with SIGKILL at random moments, and
// the file it leaves is always one of the two complete models, never a torn one.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { Model } from "../lib/index.js";
import { killAfterReady } from "./helpers/child.js";
import { Rng } from "./helpers/prng.js";

const KILLS = 24;
const PARALLEL = 2;
const script = new URL("./children/save-loop.ts", import.meta.url);

test(`a save killed with SIGKILL at ${KILLS} random moments leaves the old or the new file, never a torn one`, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "blasnet-crash-"));
  try {
    const versions = [1, 2].map((seed) => Buffer.from(new Model([300, 64, 1], { seed }).toBuffer()));
    const rng = new Rng(10);
    const seen = new Set<number>();
    const run = async (worker: number) => {
      for (let k = worker; k < KILLS; k += PARALLEL) {
        const path = join(dir, `model-${k}.safetensors`);
        await writeFile(path, versions[1]!);
        const { signal } = await killAfterReady(script, [path], rng.next() * 150);
        t.is(signal, "SIGKILL", `kill ${k}: the child ended on its own`);
        const left = await readFile(path);
        const which = versions.findIndex((v) => v.equals(left));
        t.not(which, -1, `kill ${k}: the file is neither version (${left.length} bytes)`);
        seen.add(which);
        t.notThrows(() => Model.fromBuffer(left));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, (_, w) => run(w)));
    t.log(`versions left behind: ${[...seen].sort().join(", ")}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
