// Child process of bad-input.test.ts: mtRandn on an all-zero MT19937 key. Such a key only ever
// yields 0, so the polar method's rejection loop never ends unless the binding refuses the key.
// Prints ready, then {errorName, message}, and exits 0; the parent kills it if it hangs after ready.
import { native } from "../../lib/native.js";

const raw = native as unknown as Record<string, (...args: unknown[]) => unknown>;
process.stdout.write("ready\n");
try {
  const result = raw.mtRandn!(
    new Uint32Array(624),
    Int32Array.of(624),
    new Float64Array(2),
    new Float64Array(3),
  );
  process.stdout.write(`${JSON.stringify({ errorName: null, message: `returned ${String(result)}` })}\n`);
} catch (error) {
  const isError = error instanceof Error;
  process.stdout.write(
    `${JSON.stringify({ errorName: isError ? error.constructor.name : typeof error, message: isError ? error.message : String(error) })}\n`,
  );
}
