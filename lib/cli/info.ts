// blasnet info: the versions and the limits training runs under.
import { readFileSync } from "node:fs";
import { memoryInfo } from "../memory.js";
import { blasInfo, getNumThreads } from "../threads.js";
import type { CliIO } from "./terminal.js";

/** blasnet's version, from its package.json (two folders up from lib/cli/ and from dist/cli/). */
export function blasnetVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

export function infoCommand(flags: { json?: boolean; quiet?: boolean }, io: CliIO): void {
  const blas = blasInfo();
  const memory = memoryInfo();
  const info = {
    blasnet: blasnetVersion(),
    node: process.versions.node,
    openblas: blas.version,
    openblasConfig: blas.config.trim(),
    coreKernel: blas.coreName,
    threads: getNumThreads(),
    memoryLimit: memory.limit,
    memoryInUse: memory.inUse,
  };
  if (flags.json) io.stdout.write(JSON.stringify(info) + "\n");
  else if (flags.quiet) io.stdout.write(`${info.blasnet}\n`);
  else {
    io.stdout.write(
      [
        `blasnet      ${info.blasnet} (Node ${info.node})`,
        `OpenBLAS     ${info.openblas} (${info.openblasConfig})`,
        `core kernel  ${info.coreKernel}`,
        `threads      ${info.threads} (set with BLASNET_NUM_THREADS)`,
        `memory limit ${info.memoryLimit} bytes (${gib(info.memoryLimit)}; set with BLASNET_MAX_BYTES)`,
      ].join("\n") + "\n",
    );
  }
}
