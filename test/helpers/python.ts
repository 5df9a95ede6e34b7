// Runs python3 with numpy for the tests that check files against numpy, and says so visibly when
// this machine has no numpy (CI installs python3-numpy; a developer machine may not).
import { spawnSync } from "node:child_process";

/** Whether `python3 -c "import numpy"` works here. */
export const hasNumpy = spawnSync("python3", ["-c", "import numpy"], { stdio: "ignore" }).status === 0;

/** Why the numpy tests are skipped, printed once by each file that skips them. */
export const noNumpyNotice =
  "python3 with numpy is not installed: the numpy interoperability tests are skipped";

/** Runs a Python program with arguments and returns its stdout; throws with its stderr on failure. */
export function runPython(program: string, args: string[] = []): string {
  const result = spawnSync("python3", ["-c", program, ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`python3 failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}
