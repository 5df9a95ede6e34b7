// Child process of server.test.ts: calls process.exit() while three fitAsync runs train or wait
// for the training thread. The environment's teardown must stop them and exit cleanly (code 0).
import { Model } from "../../lib/index.js";
import { signTask } from "../helpers/tasks.js";

const { X, Y } = signTask(2000, 500, 5);
for (let i = 0; i < 3; i++) {
  void new Model([2000, 64, 32, 1], { seed: i + 1 }).fitAsync(X, Y, {
    learningRate: 0.01,
    iterations: 100_000_000,
    onProgress: () => process.exit(0),
  });
}
