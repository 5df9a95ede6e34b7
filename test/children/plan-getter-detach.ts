// Child process of bad-input.test.ts (run with --expose-gc): a plan whose "db" getter, read after
// plan.W[0] was checked, transfers W[0]'s buffer away and collects it. A binding that keeps the
// pointer it checked earlier then reads or writes freed memory (a crash); one that reads every
// plan entry first and checks them afterwards throws. Prints {errorName, message} and exits 0.
// Usage: plan-getter-detach.ts <trainIterations|trainIterationsAsync|gramBegin|gramMaterialize>
import { native } from "../../lib/native.js";
import { buildPlan } from "../../lib/plan.js";

declare const gc: () => void;

const entry = process.argv[2] ?? "trainIterations";
const raw = native as unknown as Record<string, (...args: unknown[]) => unknown>;

// W[0] is [64, 2048], 1 MiB, so the allocator returns it to the system when it is freed.
const dims = [2048, 64, 1];
const m = 4;
const f = (n: number) => new Float64Array(n);
const gram = entry.startsWith("gram");
const weights = {
  W: [f(64 * 2048), f(64)],
  b: [f(64), f(1)],
  dW: [f(64 * 2048), f(64)],
  db: [f(64), f(1)],
};
const plan: Record<string, unknown> = { ...buildPlan("float64", dims, weights, f(2048 * m), f(m), m, gram) };
let detached = false;
Object.defineProperty(plan, "db", {
  enumerable: true,
  get: () => {
    if (!detached) {
      detached = true;
      const buffer = weights.W[0]!.buffer;
      structuredClone(buffer, { transfer: [buffer] });
      gc();
      gc();
      // Give V8's array-buffer sweeper a moment to free the backing store.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    return weights.db;
  },
});

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

try {
  let result: unknown;
  if (entry === "trainIterations" || entry === "trainIterationsAsync") {
    result = raw[entry]!(plan, 0.1, 3, 0, 1, f(3), null);
  } else {
    result = raw[entry]!(plan);
  }
  if (result instanceof Promise) result = await result;
  print({ errorName: null, message: `returned ${JSON.stringify(result)}` });
} catch (error) {
  print({
    errorName: error instanceof Error ? error.constructor.name : typeof error,
    message: error instanceof Error ? error.message : String(error),
  });
}
