// Child process of bad-input.test.ts: runs every raw-binding case and prints one JSON line per case,
// {name, kind, errorName, message} for error cases and {name, kind, problem} for calls that must work.
// Running here means a native crash ends this process with a signal instead of ending the test runner.
import { nativeErrorCases, nativeWorkCases } from "../helpers/native-cases.js";

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

for (const c of nativeErrorCases) {
  // Announce first: if the call crashes the process, the parent knows which case did it.
  print({ name: c.name, kind: "start" });
  try {
    let result = c.call();
    let how = "returned";
    if (result instanceof Promise) {
      how = "resolved";
      result = await result;
    }
    print({ name: c.name, kind: "error-case", errorName: null, message: `${how} ${String(result)}` });
  } catch (error) {
    const isError = error instanceof Error;
    print({
      name: c.name,
      kind: "error-case",
      errorName: isError ? error.constructor.name : `non-Error ${typeof error}`,
      message: isError ? error.message : String(error),
    });
  }
}

for (const c of nativeWorkCases) {
  print({ name: c.name, kind: "start" });
  try {
    print({ name: c.name, kind: "work-case", problem: await c.call() });
  } catch (error) {
    print({ name: c.name, kind: "work-case", problem: `threw ${String(error)}` });
  }
}
