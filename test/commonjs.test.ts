// CommonJS users: require("blasnet") from a .cjs file gives the same library as import.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import test from "ava";
import { Matrix, Model } from "../lib/index.js";

const child = fileURLToPath(new URL("children/require-blasnet.cjs", import.meta.url));
const built = fileURLToPath(new URL("../dist/index.js", import.meta.url));

test("require('blasnet') from a .cjs file trains exactly as the ES module does", (t) => {
  // The package's "require" condition points at the compiled dist/, which npm install builds.
  t.true(existsSync(built), "dist/index.js is missing: run npm run build");
  const output = execFileSync(process.execPath, [child], { encoding: "utf8" });
  const fromRequire = JSON.parse(output) as { costs: number[]; predictions: number[][] };
  const X = Matrix.from([
    [1, -1, 2, -2],
    [0.5, 0.25, -0.5, 1],
  ]);
  const Y = Matrix.from([[1, 0, 1, 0]]);
  const model = new Model([2, 3, 1], { seed: 2 });
  const { costs } = model.fit(X, Y, { learningRate: 0.1, iterations: 50, costEvery: 10 });
  t.deepEqual(fromRequire.costs, costs);
  t.deepEqual(fromRequire.predictions, model.predict(X).toArray());
});
