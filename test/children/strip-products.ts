// Runs a few products as a mini-batch step does (onTeam) and as one single-threaded dgemm
// call, and prints a hash of each's bits, so the parent can compare them across OPENBLAS_CORETYPE.
// Even row counts only: an odd last row is dgemm's own (native/strip_gemm.cc).
import { createHash } from "node:crypto";
import { blasInfo, setNumThreads } from "../../lib/index.js";
import { native } from "../../lib/native.js";
import { printJson } from "../helpers/child.js";
import { Rng } from "../helpers/prng.js";

const rng = new Rng(43);
const team = createHash("sha256");
const dgemm = createHash("sha256");
setNumThreads(1);
for (const [M, N, K] of [
  [128, 784, 64],
  [12, 17, 63],
  [64, 64, 128],
  [128, 64, 784],
  [12, 61, 520],
]) {
  const A = rng.normalsIn("float64", M! * K!);
  const B = rng.normalsIn("float64", K! * N!);
  for (const [onTeam, hash] of [
    [true, team],
    [false, dgemm],
  ] as const) {
    for (const transB of [false, true]) {
      const C = new Float64Array(M! * N!);
      native.gemm(C, A, B, M!, N!, K!, false, transB, 1 / K!, 0, onTeam);
      hash.update(new Uint8Array(C.buffer));
    }
  }
}
printJson({ coreName: blasInfo().coreName, team: team.digest("hex"), dgemm: dgemm.digest("hex") });
