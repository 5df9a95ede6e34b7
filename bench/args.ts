// The orchestrator's command-line options.
import { parseArgs } from "node:util";
import { defaultDataDir } from "../lib/data.js";
import { WORKLOAD_NAMES, type WorkloadName } from "./workloads.js";

export interface BenchOptions {
  dataDir: string;
  workloads: WorkloadName[];
  runs: number;
  quick: boolean;
  jsonFile: string | undefined;
  numpy: boolean;
}

/**
 * Parses `--data DIR --workloads a,b --runs N --quick --json FILE --no-numpy`.
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
      "no-numpy": { type: "boolean", default: false },
    },
  });
  const workloads = (values.workloads ?? WORKLOAD_NAMES.join(","))
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const name of workloads) {
    if (!WORKLOAD_NAMES.includes(name as WorkloadName)) {
      throw new RangeError(
        `bench: expected --workloads from ${WORKLOAD_NAMES.join(", ")}, received ${JSON.stringify(name)}`,
      );
    }
  }
  const runs = Number(values.runs ?? 5);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`bench: expected --runs to be an integer >= 1, received ${values.runs}`);
  }
  return {
    dataDir: values.data ?? defaultDataDir(),
    workloads: workloads as WorkloadName[],
    runs,
    quick: values.quick,
    jsonFile: values.json,
    numpy: !values["no-numpy"],
  };
}
