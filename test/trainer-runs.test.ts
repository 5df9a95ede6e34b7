// The fixture's training_runs reproduced by a plain-TypeScript trainer made of the functional API
// (test/helpers/reference-trainer.ts): epoch costs within 1e-9 relative, final parameters within
// 1e-8 of their largest magnitude. It shows the functional pieces compose exactly; the Model
// engine's own runs are tested with the engine.

import test from "ava";
import { referenceTrain } from "./helpers/reference-trainer.js";
import { hiddenName, trainerCase } from "./helpers/trainer-fixtures.js";

for (const [k, { name }] of trainerCase("training_runs").entries()) {
  test(`training_runs ${name}: the functional API reproduces numpy's epoch costs and parameters`, (t) => {
    const { config, inputs, expected } = trainerCase("training_runs")[k]!;
    const { epochCosts, parameters } = referenceTrain(inputs.X, inputs.Y, inputs.parameters, {
      hidden: hiddenName(config.hidden),
      output: config.output,
      batch: config.batch,
      shuffle: config.shuffle,
      shuffleSeed: config.shuffle_seed,
      optimizer: config.optimizer,
      ...config.opt_args,
      l2: config.l2,
      keepProb: config.keep_prob,
      dropoutSeed: config.dropout_seed,
      learningRate: config.lr,
      epochs: config.epochs,
    });
    t.is(epochCosts.length, expected.epoch_costs.length);
    let worstCost = 0;
    epochCosts.forEach((c, e) => {
      worstCost = Math.max(
        worstCost,
        Math.abs(c - expected.epoch_costs[e]!) / Math.abs(expected.epoch_costs[e]!),
      );
    });
    let largest = 0;
    let worstParam = 0;
    for (const [key, E] of Object.entries(expected.parameters)) {
      const A = parameters[key]!;
      E.data.forEach((e, i) => {
        largest = Math.max(largest, Math.abs(e));
        worstParam = Math.max(worstParam, Math.abs(A.data[i]! - e));
      });
    }
    t.log(
      `epoch costs: worst relative error ${worstCost}; parameters: worst |diff| ${worstParam} (largest ${largest})`,
    );
    t.true(worstCost <= 1e-9, `epoch cost relative error ${worstCost}`);
    t.true(worstParam <= 1e-8 * largest, `parameter error ${worstParam} > 1e-8 * ${largest}`);
  });
}
