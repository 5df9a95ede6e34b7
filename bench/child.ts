// Runs one contender process and reads the single JSON line it prints; its stderr passes through.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ChildResult } from "./result.js";

const benchDir = fileURLToPath(new URL(".", import.meta.url));
const root = fileURLToPath(new URL("..", import.meta.url));
/** Where compileContenders puts the JavaScript the blasnet contenders run as. */
const compiledBench = `${root}build/bench-js/bench/`;

/**
 * Compiles lib/ and bench/ to plain JavaScript once per bench run. Contenders then run under plain
 * node, as a user's process would: tsx alone adds ~30 MB of RSS and its own start-up to each one.
 */
export function compileContenders(): void {
  const tsc = fileURLToPath(new URL("../node_modules/typescript/bin/tsc", import.meta.url));
  const result = spawnSync(process.execPath, [tsc, "-p", `${root}tsconfig.bench.json`], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`compiling the bench failed:\n${result.stdout}${result.stderr}`);
}

/** A command line: the blasnet scripts run compiled under this Node, numpy_ref.py under python3. */
export function tsScript(script: string, args: readonly (string | number)[]): [string, string[]] {
  // --expose-gc: contenders collect the previous run's model between timed runs (untimed), so the
  // peak RSS is one training's, not the harness's accumulated garbage.
  const file = `${compiledBench}${script.replace(/\.ts$/, ".js")}`;
  return [process.execPath, ["--expose-gc", file, ...args.map(String)]];
}

export function pythonScript(args: readonly (string | number)[]): [string, string[]] {
  return ["python3", [`${benchDir}numpy_ref.py`, ...args.map(String)]];
}

/**
 * Spawns the command with the orchestrator's environment, unchanged (no thread or core variables
 * are added, so each BLAS picks its defaults), and resolves with the last JSON line of its stdout.
 * Its stderr passes through unless `stderr` is "ignore" (a probe that may fail).
 * @throws rejects when it cannot start, exits non-zero, or prints no JSON
 */
export function runChild(
  [command, args]: [string, string[]],
  stderr: "inherit" | "ignore" = "inherit",
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    // The compiled contenders find the addon through BLASNET_ADDON_PATH (their relative path differs).
    const env = { BLASNET_ADDON_PATH: `${root}build/Release/blasnet.node`, ...process.env };
    const child = spawn(command, args, { stdio: ["ignore", "pipe", stderr], env });
    let out = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => (out += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) {
        reject(new Error(`${command} exited with ${signal ?? `code ${code}`}`));
        return;
      }
      const line = out
        .trim()
        .split("\n")
        .reverse()
        .find((l) => l.startsWith("{"));
      try {
        resolve(JSON.parse(line ?? "") as ChildResult);
      } catch {
        reject(new Error(`${command} printed no JSON result line`));
      }
    });
  });
}
