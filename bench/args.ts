// The orchestrator's command-line options.
import { parseArgs } from "node:util";
import { defaultDataDir } from "../lib/data.js";
import { STEPS_WORKLOAD_NAMES, type StepsWorkloadName } from "./steps-workload.js";
import { WORKLOAD_NAMES, type WorkloadName } from "./workloads.js";

export interface BenchOptions {
  dataDir: string;
  workloads: WorkloadName[];
  /** The mini-batch workloads (bench/steps-workload.ts), named in the same --workloads list. */
  stepsWorkloads: StepsWorkloadName[];
  runs: number;
  quick: boolean;
  jsonFile: string | undefined;
  /** A --json file to compare with, and the slowdown (a fraction) that fails the run. */
  compareFile: string | undefined;
  failAbove: number;
  numpy: boolean;
}

/**
 * Parses `--data DIR --workloads a,b --runs N --quick --json FILE --compare FILE --fail-above P% --no-numpy`.
 * @throws {RangeError} for an unknown workload or a runs value that is not an integer >= 1
 */
export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: "string" },
      workloads: { type: "string" },
      runs: { type: "string" },
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      compare: { type: "string" },
      "fail-above": { type: "string" },
      "no-numpy": { type: "boolean", default: false },
    },
  });
  const known: readonly string[] = [...WORKLOAD_NAMES, ...STEPS_WORKLOAD_NAMES];
  const workloads = (values.workloads ?? known.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of workloads) {
    if (!known.includes(name)) {
      throw new RangeError(
        `bench: expected --workloads from ${known.join(", ")}, received ${JSON.stringify(name)}`,
      );
    }
  }
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`bench: expected --runs to be an integer >= 1, received ${values.runs}`);
  }
  const failText = values["fail-above"] ?? "10%";
  const failAbove = Number(failText.replace(/%$/, "")) / 100;
  if (!Number.isFinite(failAbove) || failAbove < 0) {
    throw new RangeError(
      `bench: expected --fail-above to be a percentage >= 0 such as 10%, received ${failText}`,
    );
  }
  return {
    dataDir: values.data ?? defaultDataDir(),
    workloads: workloads.filter((n): n is WorkloadName => WORKLOAD_NAMES.includes(n as WorkloadName)),
    stepsWorkloads: workloads.filter((n): n is StepsWorkloadName =>
      STEPS_WORKLOAD_NAMES.includes(n as StepsWorkloadName),
    ),
    runs,
    quick: values.quick,
    jsonFile: values.json,
    compareFile: values.compare,
    failAbove,
    numpy: !values["no-numpy"],
  };
}
