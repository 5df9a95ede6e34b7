// Saves two models to one path in turn, forever, until the test kills this process with SIGKILL.
// argv: path, "ready" is printed once the first save is under way.
import { Model } from "../../lib/index.js";

const [path] = process.argv.slice(2);
const models = [new Model([300, 64, 1], { seed: 1 }), new Model([300, 64, 1], { seed: 2 })];
process.stdout.write("ready\n");
for (let i = 0; ; i++) await models[i % 2]!.save(path!);
