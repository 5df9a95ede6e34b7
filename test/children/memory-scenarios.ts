// Child process of memory.test.ts: memory-limit scenarios that need a process of their own (the
// garbage collector, worker threads, the import-time environment variable). Prints one JSON line
// and exits 0; a crash ends it with a signal instead.
// Usage: memory-scenarios.ts <limit|collected|worker>
import { Model, memoryInfo, setMemoryLimit } from "../../lib/index.js";
import { native } from "../../lib/native.js";
import { errorOf, printJson as print, startTsWorker } from "../helpers/child.js";

const which = process.argv[2];
const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

/** [1000, 200, 1] in float64: (1000 * 200 + 200 + 200 + 1) * 8 = 1,603,208 bytes of parameters. */
const DIMS = [1000, 200, 1];

if (which === "limit") {
  // What BLASNET_MAX_BYTES made of the limit (and the default, from the raw binding).
  print(native.memoryInfo());
} else if (which === "collected") {
  // Run with --expose-gc. Two models each over half the limit: the second is refused until the
  // first has been collected.
  setMemoryLimit(3_000_000);
  let first: Model | undefined = new Model(DIMS);
  const held = memoryInfo().inUse;
  const second = errorOf(() => new Model(DIMS));
  first = undefined;
  for (let i = 0; i < 50 && memoryInfo().inUse > 0; i++) {
    (globalThis as { gc?: () => void }).gc!();
    await tick();
  }
  const afterCollection = memoryInfo().inUse;
  const third = errorOf(() => new Model(DIMS));
  print({ held, second, afterCollection, third, inUse: memoryInfo().inUse, first: first ?? null });
} else if (which === "worker") {
  // BLASNET_MAX_BYTES is set: the main thread sets another limit, then a worker imports blasnet,
  // which must not reset it; the worker's models count in the same ledger; terminating the worker
  // releases them, though they were never collected.
  setMemoryLimit(50_000_000);
  const worker = startTsWorker(new URL("./memory-worker.ts", import.meta.url));
  const seen = await new Promise<{ limit: number; inUse: number }>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  const whileAlive = memoryInfo().inUse;
  await worker.terminate();
  for (let i = 0; i < 50 && memoryInfo().inUse > 0; i++) await tick();
  print({ seen, whileAlive, afterTerminate: memoryInfo().inUse, limit: memoryInfo().limit });
} else {
  throw new Error(`unknown scenario ${which}`);
}
