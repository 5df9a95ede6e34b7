// Writes examples/data/fruit-train.csv and fruit-test.csv, the synthetic data of the README's
// "Command line" walkthrough: three kinds of fruit by weight, diameter and sugar, each a seeded
// Gaussian cluster (features on different scales, so the scaling matters). npx tsx examples/make-fruit.ts
import { writeFileSync } from "node:fs";
import { RandomState } from "../lib/index.js";

const kinds = {
  apple: { weight: 180, diameter: 7.5, sugar: 10 },
  orange: { weight: 140, diameter: 7.0, sugar: 9 },
  plum: { weight: 60, diameter: 4.5, sugar: 12 },
};
const spread = { weight: 20, diameter: 0.5, sugar: 1 };

function write(path: string, m: number, seed: number): void {
  const z = new RandomState(seed).randn(3, m).data;
  const names = Object.keys(kinds) as (keyof typeof kinds)[];
  const lines = ["weight_g,diameter_cm,sugar_pct,fruit"];
  for (let j = 0; j < m; j++) {
    const name = names[j % 3]!;
    const c = kinds[name];
    const weight = c.weight + spread.weight * z[j]!;
    const diameter = c.diameter + spread.diameter * z[m + j]!;
    const sugar = c.sugar + spread.sugar * z[2 * m + j]!;
    lines.push(`${weight.toFixed(1)},${diameter.toFixed(2)},${sugar.toFixed(1)},${name}`);
  }
  writeFileSync(path, lines.join("\n") + "\n");
}

write(new URL("data/fruit-train.csv", import.meta.url).pathname, 300, 1);
write(new URL("data/fruit-test.csv", import.meta.url).pathname, 90, 2);
