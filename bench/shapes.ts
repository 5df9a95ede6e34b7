// The GEMM shapes of the roofline: a large square product and each workload's layer-1 products.
import { MNIST_MLP } from "./steps-workload.js";
import { WORKLOADS, WORKLOAD_NAMES } from "./workloads.js";

/** C [M, N] = A [M, K] B, where B is stored [K, N], or [N, K] and transposed when transB is set. */
export interface GemmShape {
  label: string;
  M: number;
  N: number;
  K: number;
  transB: boolean;
  /** Split on blasnet's thread team, as the mini-batch step runs its products (roofline.ts). */
  onTeam?: boolean;
}

export function rooflineShapes(): GemmShape[] {
  const shapes: GemmShape[] = [{ label: "square 2048", M: 2048, N: 2048, K: 2048, transB: false }];
  for (const name of WORKLOAD_NAMES) {
    const { dims, m } = WORKLOADS[name];
    const [n0, n1] = [dims[0]!, dims[1]!];
    // Forward Z1 = W1 X is NN; dW1 = dZ1 X^T is NT (X stays [n0, m], BLAS reads it transposed).
    shapes.push({ label: `${name} W1*X`, M: n1, N: m, K: n0, transB: false });
    shapes.push({ label: `${name} dZ1*X^T`, M: n1, N: n0, K: m, transB: true });
  }
  // The mini-batch workload's layer-1 products at its smallest and largest batch, as its steps run
  // them: the batch Xb held as rows (b, n0), on the thread team.
  const [n0, n1] = [MNIST_MLP.dims[0]!, MNIST_MLP.dims[1]!];
  for (const b of [MNIST_MLP.batches[0]!, MNIST_MLP.batches[MNIST_MLP.batches.length - 1]!]) {
    const name = `${MNIST_MLP.name} b${b}`;
    shapes.push({ label: `${name} W1*Xb^T`, M: n1, N: b, K: n0, transB: true, onTeam: true });
    shapes.push({ label: `${name} dZ1*Xb`, M: n1, N: n0, K: b, transB: false, onTeam: true });
  }
  return shapes;
}

/** 2 M N K. */
export function gemmFlops(s: GemmShape): number {
  return 2 * s.M * s.N * s.K;
}
