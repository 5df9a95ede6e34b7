// Prints each step of "deep neural network step by step" on the seed's test cases, so a reader can
// compare them with the notebook. Run: npx tsx examples/step-by-step.ts
import { readFileSync } from "node:fs";
import {
  Matrix,
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  lModelBackward,
  lModelForward,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  updateParameters,
  type LinearActivationCache,
  type MatrixDict,
} from "../lib/index.js";

type Stored = { shape: [number, number]; data: number[] };
const cases = JSON.parse(readFileSync(new URL("../test/fixtures/seed-cases.json", import.meta.url), "utf8"));
const matrix = (m: Stored) => new Matrix(m.shape[0], m.shape[1], Float64Array.from(m.data));
const dict = (d: Record<string, Stored>): MatrixDict =>
  Object.fromEntries(Object.entries(d).map(([k, v]) => [k, matrix(v)]));
const show = (title: string, values: MatrixDict) => {
  console.log(`\n== ${title}`);
  for (const [name, m] of Object.entries(values)) console.log(`${name} = ${m.toString()}`);
};

show("initialize_parameters(3, 2, 1)", initializeParameters(3, 2, 1));
show("initialize_parameters_deep([5, 4, 3])", initializeParametersDeep([5, 4, 3]));

const lf = cases.linear_forward.inputs;
show("linear_forward", { Z: linearForward(matrix(lf.A), matrix(lf.W), matrix(lf.b)).Z });

const laf = cases.linear_activation_forward.inputs;
for (const activation of ["sigmoid", "relu"] as const) {
  const { A } = linearActivationForward(matrix(laf.A_prev), matrix(laf.W), matrix(laf.b), activation);
  show(`linear_activation_forward with ${activation}`, { A });
}

const lmf = cases.L_model_forward.inputs;
const { AL, caches } = lModelForward(matrix(lmf.X), dict(lmf.parameters));
show("L_model_forward", { AL });
console.log(`Length of caches list = ${caches.length}`);

for (const key of ["compute_cost", "compute_cost_mixed"]) {
  const c = cases[key].inputs;
  console.log(`\n== ${key}\ncost = ${computeCost(matrix(c.AL), matrix(c.Y))}`);
}

const lb = cases.linear_backward.inputs;
const linearCache = { A: matrix(lb.A_prev), W: matrix(lb.W), b: matrix(lb.b) };
const { dAPrev, dW, db } = linearBackward(matrix(lb.dZ), linearCache);
show("linear_backward", { dA_prev: dAPrev, dW, db });

const lab = cases.linear_activation_backward.inputs;
const activationCache = {
  linear: { A: matrix(lab.A_prev), W: matrix(lab.W), b: matrix(lab.b) },
  Z: matrix(lab.Z),
};
for (const activation of ["sigmoid", "relu"] as const) {
  const g = linearActivationBackward(matrix(lab.dA), activationCache, activation);
  show(`linear_activation_backward with ${activation}`, { dA_prev: g.dAPrev, dW: g.dW, db: g.db });
}

const lmb = cases.L_model_backward.inputs;
const backCaches: LinearActivationCache[] = lmb.caches.map((c: Record<string, Stored>) => ({
  linear: { A: matrix(c.A_prev!), W: matrix(c.W!), b: matrix(c.b!) },
  Z: matrix(c.Z!),
}));
show("L_model_backward", lModelBackward(matrix(lmb.AL), matrix(lmb.Y), backCaches));

const up = cases.update_parameters;
show(
  "update_parameters",
  updateParameters(dict(up.inputs.parameters), dict(up.inputs.grads), up.learning_rate),
);
