// Loads blasnet and runs one product, so the parent sees how the kernel OPENBLAS_CORETYPE named fares.
import { Matrix, blasInfo, linearForward } from "../../lib/index.js";
import { printJson } from "../helpers/child.js";

const W = Matrix.from([
  [1, 2],
  [3, 4],
]);
const { Z } = linearForward(W, W, Matrix.from([[0], [1]]));
printJson({ coreName: blasInfo().coreName, Z: Array.from(Z.data) });
