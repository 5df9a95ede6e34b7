// Runs a TypeScript script in a child Node process (through tsx) or in a worker thread, so a crash
// (a signal, an abort) in native code fails a test instead of killing the test runner.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";

/** The repository root: children run there so `--import tsx` resolves. */
export const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  /** Extra node flags, e.g. ["--expose-gc"]. */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** A safety net against a hung child (it is killed, and the test sees the signal); not a timing assertion. */
  killAfterMs?: number;
  /**
   * Kills the child this long after its first output on stdout, for a child that prints a line just
   * before the call that might hang: its start-up (slow under ASan on a loaded machine) is not counted.
   */
  killAfterReadyMs?: number;
}

/** Runs `node [nodeArgs] --import tsx <script> [args]` and collects its output and how it ended. */
export function runTsChild(
  script: URL,
  args: string[] = [],
  options: ChildOptions = {},
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...(options.nodeArgs ?? []), "--import", "tsx", fileURLToPath(script), ...args],
      { cwd: projectRoot, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    const timers = [setTimeout(() => child.kill("SIGKILL"), options.killAfterMs ?? 120_000)];
    const { killAfterReadyMs } = options;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout === "" && killAfterReadyMs !== undefined) {
        timers.push(setTimeout(() => child.kill("SIGKILL"), killAfterReadyMs));
      }
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const clearTimers = () => timers.forEach(clearTimeout);
    child.on("error", (error) => {
      clearTimers();
      reject(error);
    });
    child.on("close", (code, signal) => {
      clearTimers();
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The JSON objects a child printed, one per line; other lines are ignored. */
export function jsonLines<T>(stdout: string): T[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as T);
}

/**
 * Runs a TypeScript child and kills it with SIGKILL `delayMs` after its first output on stdout (its
 * "ready"), or after 60 s at the latest; resolves with how it ended. Its stderr is passed on.
 */
export async function killAfterReady(
  script: URL,
  args: string[],
  delayMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const { code, signal, stderr } = await runTsChild(script, args, {
    killAfterMs: 60_000,
    killAfterReadyMs: delayMs,
  });
  if (stderr !== "") process.stderr.write(stderr);
  return { code, signal };
}

/** Prints one JSON line, as children report to their tests. */
export const printJson = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);

/** The class name and message of what `f` throws, or null when it returns. */
export function errorOf(f: () => unknown): { name: string; message: string } | null {
  try {
    f();
    return null;
  } catch (error) {
    return { name: (error as Error).constructor.name, message: (error as Error).message };
  }
}

/** How a child ended, for assertion messages: "code 0", "signal SIGSEGV", plus the tail of stderr. */
export function describeExit(result: ChildResult): string {
  const how = result.signal === null ? `code ${result.code}` : `signal ${result.signal}`;
  const tail = result.stderr.trim().split("\n").slice(-15).join("\n");
  return tail === "" ? how : `${how}; stderr:\n${tail}`;
}

/**
 * Starts a worker thread running a TypeScript module. Node 20 does not apply `--import tsx` in
 * workers (tsx#354, nodejs/node#47747), so the worker registers tsx's ESM hooks itself, then imports.
 */
export function startTsWorker(script: URL, options: WorkerOptions = {}): Worker {
  const api = import.meta.resolve("tsx/esm/api");
  const code =
    `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); ` +
    `return import(${JSON.stringify(script.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Child processes a test file starts all at once, from `test.before`, and whose results its tests
 * then read. Why up front: with OpenBLAS 0.3.21, fork() (which child_process.spawn uses) deadlocks
 * while another thread of this process is inside a BLAS call, so a file must not spawn once its
 * own tests train with fitAsync or in workers.
 */
export class ChildBatch {
  readonly #pending = new Map<string, () => Promise<ChildResult>>();
  readonly #results = new Map<string, Promise<ChildResult>>();

  add(key: string, script: URL, args: string[] = [], options: ChildOptions = {}): void {
    this.#pending.set(key, () => runTsChild(script, args, options));
  }

  /** Starts every child added so far and waits for all of them. */
  async runAll(): Promise<void> {
    for (const [key, start] of this.#pending) this.#results.set(key, start());
    this.#pending.clear();
    await Promise.allSettled(this.#results.values());
  }

  /** The result of the child added as `key` (started by runAll). */
  get(key: string): Promise<ChildResult> {
    const result = this.#results.get(key);
    if (result === undefined) throw new Error(`no child "${key}" was run; call runAll in test.before`);
    return result;
  }
}
