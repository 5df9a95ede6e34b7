// The mini-batch part of the bench: mnist-mlp at each batch size, in float64 and float32, for blasnet,
// numpy and (where a python3 with torch is found) PyTorch, each contender in a fresh process.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchOptions } from "./args.js";
import { pythonScript, runChild, tsScript } from "./child.js";
import type { ChildResult, InfoResult, StepsResult } from "./result.js";
import { referenceOk, stepsAgreement, stepsLine, stepsTitle } from "./steps-report.js";
import { MNIST_MLP } from "./steps-workload.js";

const NAME_WIDTH = 16;
const benchDir = fileURLToPath(new URL(".", import.meta.url));

type Attempt = <K extends ChildResult["kind"]>(
  name: string,
  kind: K,
  command: [string, string[]],
) => Promise<Extract<ChildResult, { kind: K }> | undefined>;

/**
 * The first python that imports torch: $BLASNET_TORCH_PYTHON, python3, then Debian's /usr/bin/python3
 * (python3-torch installs there, beside a pyenv or venv python3 that may lack it).
 */
export async function probeTorch(): Promise<{ python: string; info: InfoResult } | undefined> {
  const candidates = [process.env.BLASNET_TORCH_PYTHON, "python3", "/usr/bin/python3"].filter(
    (p): p is string => p !== undefined && p !== "",
  );
  for (const python of new Set(candidates)) {
    try {
      const info = await runChild([python, [path.join(benchDir, "torch_ref.py"), "info"]], "ignore");
      if (info.kind === "info") return { python, info };
    } catch {
      // no torch in this one
    }
  }
  return undefined;
}

/** Runs every contender; returns their results and whether all of them agree. */
export async function runSteps(
  options: BenchOptions,
  numpy: boolean,
  torch: { python: string } | undefined,
  attempt: Attempt,
): Promise<{ results: StepsResult[]; ok: boolean }> {
  const w = MNIST_MLP;
  const epochs = options.quick ? w.epochs.quick : w.epochs.full;
  console.log(stepsTitle(w, epochs));
  const dir = mkdtempSync(path.join(os.tmpdir(), "blasnet-steps-"));
  try {
    const prepared = await attempt(
      "mnist data",
      "prepared",
      tsScript("steps-contender.ts", ["prepare", dir]),
    );
    if (prepared === undefined) return { results: [], ok: false };
    const spec = JSON.stringify(w);
    const results: StepsResult[] = [];
    let ok = true;
    for (const batch of w.batches) {
      const atBatch: StepsResult[] = [];
      for (const dtype of ["float64", "float32"] as const) {
        const args = [dtype, batch, epochs, options.runs, dir];
        const commands: [string, [string, string[]]][] = [
          [`blasnet ${dtype}`, tsScript("steps-contender.ts", ["run", ...args])],
        ];
        if (numpy) commands.push([`numpy ${dtype}`, pythonScript(["steps", spec, ...args])]);
        if (torch) {
          const script = path.join(benchDir, "torch_ref.py");
          commands.push([`torch ${dtype}`, [torch.python, [script, "steps", spec, ...args.map(String)]]]);
        }
        for (const [name, command] of commands) {
          const r = await attempt(`batch ${batch} ${name}`, "steps", command);
          if (r === undefined) continue;
          atBatch.push(r);
          console.log(stepsLine(r, NAME_WIDTH));
        }
      }
      const agreement = stepsAgreement(atBatch, NAME_WIDTH);
      for (const line of agreement.lines) console.log(line);
      ok &&= agreement.ok;
      results.push(...atBatch);
    }
    if (!referenceOk(w, results)) {
      console.log(
        `  blasnet float64 at batch 64 MISMATCHES the issue's epoch costs ${w.reference.join(", ")}`,
      );
      ok = false;
    }
    return { results, ok };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
