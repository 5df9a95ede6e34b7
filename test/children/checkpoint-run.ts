// Trains the checkpoint test's run with a checkpoint every epoch, until it ends or the test kills it
// with SIGKILL. argv: path; prints "ready" before training.
import { checkpointRun } from "../helpers/checkpoint-run.js";

const [path] = process.argv.slice(2);
const { model, X, Y, options } = checkpointRun("float64");
process.stdout.write("ready\n");
model.fit(X, Y, { ...options, checkpoint: { path: path! } });
