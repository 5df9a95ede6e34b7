// Corrupted model files, in a child process so a crash shows as a signal: the file cut at every
// byte, and seeded random byte flips. Each load either throws ModelFormatError or returns a model
// whose own file has exactly the corrupted file's data; anything else is counted as a failure.
// argv: seed, flips. Prints one JSON summary line.
import { Model, ModelFormatError } from "../../lib/index.js";
import { decodeNpz, encodeNpz } from "../../lib/npz.js";
import { printJson } from "../helpers/child.js";
import { trainedModel } from "../helpers/models.js";
import { splitFile } from "../helpers/model-bytes.js";
import { Rng } from "../helpers/prng.js";

const seed = Number(process.argv[2] ?? 1);
const flips = Number(process.argv[3] ?? 1000);
const rng = new Rng(seed);
const summary = {
  truncations: 0,
  flips: 0,
  loaded: 0,
  formatErrors: 0,
  npz: { truncations: 0, flips: 0, loaded: 0, formatErrors: 0 },
  failures: [] as string[],
};

/** An .npz either is refused with a ModelFormatError or gives exactly the model's arrays. */
function attemptNpz(what: string, bytes: Uint8Array, original: Model): void {
  try {
    const { parameters } = decodeNpz("fuzz", bytes);
    summary.npz.loaded++;
    const dims = [
      parameters.W1!.cols,
      ...Object.keys(parameters)
        .filter((k) => k[0] === "W")
        .map((k) => parameters[k]!.rows),
    ];
    if (dims.join() !== original.layerDims.join())
      summary.failures.push(`${what}: npz gave dims ${dims.join()}`);
    // Every CRC-checked weight is the model's own: a flip that loads is outside the data.
    const want = original.parameters;
    for (const [key, m] of Object.entries(parameters)) {
      const expected = want[key]!.data;
      if (
        m.data.some(
          (v, i) => !Object.is(v, original.dtype === "float32" ? Math.fround(expected[i]!) : expected[i]),
        )
      ) {
        summary.failures.push(`${what}: npz gave other values in ${key}`);
      }
    }
  } catch (error) {
    if (error instanceof ModelFormatError) summary.npz.formatErrors++;
    else summary.failures.push(`${what}: ${(error as Error).constructor.name}: ${(error as Error).message}`);
  }
}

function attempt(what: string, bytes: Uint8Array, original: Model): void {
  let model: Model;
  try {
    model = Model.fromBuffer(bytes);
  } catch (error) {
    if (error instanceof ModelFormatError) summary.formatErrors++;
    else summary.failures.push(`${what}: ${(error as Error).constructor.name}: ${(error as Error).message}`);
    return;
  }
  summary.loaded++;
  const same =
    model.dtype === original.dtype &&
    model.layerDims.join() === original.layerDims.join() &&
    splitFile(model.toBuffer()).data.equals(splitFile(bytes).data);
  if (!same) summary.failures.push(`${what}: loaded a model whose numbers are not the file's`);
}

for (const dtype of ["float64", "float32"] as const) {
  const { model } = trainedModel(dtype, seed);
  const bytes = model.toBuffer();
  for (let cut = 0; cut < bytes.length; cut++) {
    summary.truncations++;
    attempt(`${dtype} cut at ${cut}`, bytes.subarray(0, cut), model);
  }
  for (let i = 0; i < flips / 2; i++) {
    const flipped = Uint8Array.from(bytes);
    const at = rng.int(0, bytes.length - 1);
    flipped[at]! ^= 1 << rng.int(0, 7);
    summary.flips++;
    attempt(`${dtype} flip at ${at}`, flipped, model);
  }
}
for (const dtype of ["float64", "float32"] as const) {
  const { model } = trainedModel(dtype, seed);
  const bytes = encodeNpz(model);
  for (let cut = 0; cut < bytes.length; cut++) {
    summary.npz.truncations++;
    attemptNpz(`npz ${dtype} cut at ${cut}`, bytes.subarray(0, cut), model);
  }
  for (let i = 0; i < flips / 2; i++) {
    const flipped = Uint8Array.from(bytes);
    const at = rng.int(0, bytes.length - 1);
    flipped[at]! ^= 1 << rng.int(0, 7);
    summary.npz.flips++;
    attemptNpz(`npz ${dtype} flip at ${at}`, flipped, model);
  }
}
printJson(summary);
