// Worker thread of workers.test.ts and terminate-worker.ts: loads blasnet (and so the addon) in a
// worker, trains the task it is given with fit or fitAsync, and posts the costs and parameters.
// With `progress` set it also posts {progress: iteration} from fitAsync's onProgress.
import { parentPort, workerData } from "node:worker_threads";
import { native } from "../../lib/native.js";
import { type TaskSpec, fitOptionsOf, flatParameters, taskData, taskModel } from "../helpers/tasks.js";

const { spec, mode, progress } = workerData as {
  spec: TaskSpec;
  mode: "fit" | "fitAsync";
  progress?: boolean;
};
const { X, Y } = taskData(spec);
const model = taskModel(spec);
parentPort!.postMessage({ started: true, exports: Object.keys(native) });
const result =
  mode === "fit"
    ? model.fit(X, Y, fitOptionsOf(spec))
    : await model.fitAsync(X, Y, {
        ...fitOptionsOf(spec),
        onProgress: progress ? (p) => parentPort!.postMessage({ progress: p.iteration }) : undefined,
      });
parentPort!.postMessage({ costs: result.costs, parameters: flatParameters(model) });
