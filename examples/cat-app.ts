// The application notebook: two-layer and L-layer models on the cat / non-cat images.
// Run: npx tsx examples/cat-app.ts [DATA_DIR]   (default: BLASNET_DATA_DIR or ../shared/datasets)
import {
  accuracy,
  defaultDataDir,
  lLayerModel,
  loadCatDataset,
  predict,
  twoLayerModel,
} from "../lib/index.js";

const dir = process.argv[2] ?? defaultDataDir();
const { trainX, trainY, testX, testY, classes } = await loadCatDataset(dir);
console.log(`Loaded ${trainX.cols} training and ${testX.cols} test images of ${classes.join(" / ")}`);

const runs = [
  [
    "Two-layer model [12288, 7, 1]",
    () => twoLayerModel(trainX, trainY, [12288, 7, 1], { numIterations: 2500, printCost: true }),
  ],
  [
    "L-layer model [12288, 20, 7, 5, 1]",
    () => lLayerModel(trainX, trainY, [12288, 20, 7, 5, 1], { numIterations: 2500, printCost: true }),
  ],
] as const;

for (const [title, train] of runs) {
  console.log(`\n== ${title}`);
  const started = performance.now();
  const { parameters } = train();
  console.log(`trained in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  console.log(`Train accuracy: ${accuracy(predict(trainX, parameters), trainY)}`);
  console.log(`Test accuracy: ${accuracy(predict(testX, parameters), testY)}`);
}
