// Child process of bad-input.test.ts: passes a sparse array that claims 2^32 - 1 elements where
// layer dims or matrix rows are expected. Validation should refuse it at once from its length,
// not walk four billion holes. Prints ready, then {errorName, message}, and exits 0;
// the parent kills a hang after ready.
// Usage: sparse-array.ts <initializeParametersDeep|Model|Matrix.from>
import { Matrix, Model, initializeParametersDeep } from "../../lib/index.js";

const which = process.argv[2];
const sparse: unknown[] = [];
sparse.length = 2 ** 32 - 1;
// A plausible first entry: a layer size, or a row.
sparse[0] = which === "Matrix.from" ? [1, 2] : 4;
process.stdout.write("ready\n");
try {
  if (which === "initializeParametersDeep") initializeParametersDeep(sparse as number[]);
  else if (which === "Model") new Model(sparse as number[]);
  else if (which === "Matrix.from") Matrix.from(sparse as number[][]);
  else throw new Error(`unknown target ${which}`);
  process.stdout.write(`${JSON.stringify({ errorName: null, message: "returned" })}\n`);
} catch (error) {
  const isError = error instanceof Error;
  const message = isError ? error.message.slice(0, 300) : String(error);
  process.stdout.write(
    `${JSON.stringify({ errorName: isError ? error.constructor.name : typeof error, message })}\n`,
  );
}
