// Worker thread of memory-scenarios.ts: imports blasnet, makes a model, posts the memory limit and
// what is in use, then waits to be terminated (the model stays reachable all along).
import { parentPort } from "node:worker_threads";
import { Model, memoryInfo } from "../../lib/index.js";

const model = new Model([1000, 200, 1]);
parentPort!.postMessage(memoryInfo());
setInterval(() => model.layerDims, 1000);
