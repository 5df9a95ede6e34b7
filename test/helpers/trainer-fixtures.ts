// Loads the numpy reference values of the trainer capability set (test/fixtures/trainer-cases.json,
// copied from ../shared/fixtures) with every `{shape, data}` turned into a fresh Matrix.
import { readFileSync } from "node:fs";
import type { Matrix } from "../../lib/matrix.js";
import { convert } from "./fixtures.js";

type Dict = Record<string, Matrix>;

export interface TrainerConfig {
  hidden?: "relu" | "tanh" | "leaky_relu";
  output?: "sigmoid" | "softmax";
  l2?: number;
  keep_prob?: number;
  seed?: number;
}

export interface TrainingRunConfig {
  hidden: "relu" | "tanh" | "leaky_relu";
  output: "sigmoid" | "softmax";
  batch: number;
  shuffle: boolean;
  shuffle_seed: number;
  optimizer: "gd" | "momentum" | "adam";
  opt_args: { beta?: number; beta1?: number; beta2?: number; epsilon?: number };
  l2: number;
  keep_prob: number;
  dropout_seed: number;
  lr: number;
  epochs: number;
}

/** The fixture as the tests read it, matrices converted. */
export interface TrainerCases {
  spec: string;
  leaky_relu_alpha: number;
  permutation: Array<{ seed: number; n: number; expected: number[] }>;
  random_mini_batches: Array<{
    inputs: { X: Matrix; Y: Matrix; miniBatchSize: number; seed: number };
    expected: Array<{ X: Matrix; Y: Matrix }>;
  }>;
  update_parameters_with_momentum: {
    inputs: { parameters: Dict; grads: Dict[]; learningRate: number; beta: number };
    expected: Array<{ parameters: Dict; v: Dict }>;
  };
  update_parameters_with_adam: {
    inputs: {
      parameters: Dict;
      grads: Dict[];
      learningRate: number;
      beta1: number;
      beta2: number;
      epsilon: number;
    };
    expected: Array<{ parameters: Dict; v: Dict; s: Dict; t: number }>;
  };
  activations: {
    inputs: { Z: Matrix; dA: Matrix };
    expected: Record<
      "tanh" | "tanh_backward" | "leaky_relu" | "leaky_relu_backward" | "softmax" | "softmax_large",
      Matrix
    >;
  };
  forward_backward: Array<{
    config: TrainerConfig;
    inputs: { X: Matrix; Y: Matrix; parameters: Dict };
    expected: { AL: Matrix; cost: number; masks: Matrix[]; grads: Dict };
  }>;
  gradient_check: {
    inputs: { X: Matrix; Y: Matrix; parameters: Dict; epsilon: number; wrong_grads: Dict };
    expected: { difference_correct: number; difference_wrong: number };
  };
  training_runs: Array<{
    name: string;
    config: TrainingRunConfig;
    inputs: { X: Matrix; Y: Matrix; parameters: Dict };
    expected: { epoch_costs: number[]; parameters: Dict; AL: Matrix };
  }>;
}

const raw: unknown = JSON.parse(
  readFileSync(new URL("../fixtures/trainer-cases.json", import.meta.url), "utf8"),
);

/** A fresh copy of one fixture key (new buffers every call). */
export function trainerCase<K extends keyof TrainerCases>(key: K): TrainerCases[K] {
  return convert((raw as Record<string, unknown>)[key]) as TrainerCases[K];
}

/** The fixture's numpy activation names in blasnet's spelling. */
export function hiddenName(name: string | undefined): "relu" | "tanh" | "leakyRelu" {
  return name === "leaky_relu" ? "leakyRelu" : ((name ?? "relu") as "relu" | "tanh");
}
