// Plain TypeScript reference loops: the specification of every native kernel and of one whole
// training iteration, written for clarity and computed in float64. Matrices are row-major with
// examples as columns, as everywhere in blasnet: element (i, j) of an [r, c] matrix is a[i * c + j].

export type Values = ArrayLike<number>;

/**
 * C = alpha op(A) op(B) + beta C, with op(A) [M, K] and op(B) [K, N]. A is stored [M, K], or [K, M]
 * when transA; B is stored [K, N], or [N, K] when transB. BLAS ignores C's old values when beta = 0.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  M: number,
  N: number,
  K: number,
  alpha: number,
  A: Values,
  B: Values,
  beta: number,
  C: Values,
): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = 0;
      for (let k = 0; k < K; k++) {
        const a = transA ? A[k * M + i]! : A[i * K + k]!;
        const b = transB ? B[j * K + k]! : B[k * N + j]!;
        sum += a * b;
      }
      out[i * N + j] = alpha * sum + (beta === 0 ? 0 : beta * C[i * N + j]!);
    }
  }
  return out;
}

/** Z = W APrev + b: W [nOut, nIn], APrev [nIn, m], b [nOut, 1]; Z [nOut, m]. */
export function linearForward(W: Values, APrev: Values, b: Values, nOut: number, nIn: number, m: number) {
  const Z = new Float64Array(nOut * m);
  for (let i = 0; i < nOut; i++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let k = 0; k < nIn; k++) sum += W[i * nIn + k]! * APrev[k * m + j]!;
      Z[i * m + j] = sum + b[i]!;
    }
  }
  return Z;
}

export type ActivationName = "relu" | "sigmoid";

export const sigmoidOf = (z: number): number => 1 / (1 + Math.exp(-z));

/** A = g(Z) elementwise: relu is max(0, z), sigmoid is 1 / (1 + exp(-z)). */
export function activationForward(Z: Values, act: ActivationName): Float64Array {
  return Float64Array.from(Z, (z) => (act === "relu" ? (z > 0 ? z : 0) : sigmoidOf(z)));
}

/** dZ = dA g'(Z): relu passes dA where z > 0; sigmoid gives dA s (1 - s) with s = sigmoid(z). */
export function activationBackward(dA: Values, Z: Values, act: ActivationName): Float64Array {
  const dZ = new Float64Array(Z.length);
  for (let i = 0; i < Z.length; i++) {
    const z = Z[i]!;
    if (act === "relu") {
      dZ[i] = z > 0 ? dA[i]! : 0;
    } else {
      const s = sigmoidOf(z);
      dZ[i] = dA[i]! * s * (1 - s);
    }
  }
  return dZ;
}

/**
 * The gradients of Z = W APrev + b given dZ [nOut, m]: dW = (1/m) dZ APrev^T [nOut, nIn],
 * db = (1/m) (row sums of dZ) [nOut, 1], dAPrev = W^T dZ [nIn, m].
 */
export function linearBackward(dZ: Values, APrev: Values, W: Values, nOut: number, nIn: number, m: number) {
  const dW = new Float64Array(nOut * nIn);
  const db = new Float64Array(nOut);
  const dAPrev = new Float64Array(nIn * m);
  for (let i = 0; i < nOut; i++) {
    for (let k = 0; k < nIn; k++) {
      let sum = 0;
      for (let j = 0; j < m; j++) sum += dZ[i * m + j]! * APrev[k * m + j]!;
      dW[i * nIn + k] = sum / m;
    }
    let rowSum = 0;
    for (let j = 0; j < m; j++) rowSum += dZ[i * m + j]!;
    db[i] = rowSum / m;
  }
  for (let k = 0; k < nIn; k++) {
    for (let j = 0; j < m; j++) {
      let sum = 0;
      for (let i = 0; i < nOut; i++) sum += W[i * nIn + k]! * dZ[i * m + j]!;
      dAPrev[k * m + j] = sum;
    }
  }
  return { dW, db, dAPrev };
}

/** -(1/n) sum(Y log AL + (1 - Y) log(1 - AL)) over the n values of AL and Y. */
export function crossEntropyCost(AL: Values, Y: Values): number {
  let sum = 0;
  for (let i = 0; i < AL.length; i++) {
    const a = AL[i]!;
    const y = Y[i]!;
    sum += y * Math.log(a) + (1 - y) * Math.log(1 - a);
  }
  return (-1 / AL.length) * sum;
}

/** param - learningRate grad. */
export function sgdUpdate(param: Values, grad: Values, learningRate: number): Float64Array {
  return Float64Array.from(param, (p, i) => p - learningRate * grad[i]!);
}

/** A network's parameters: W[l - 1] is [n_l, n_(l-1)], b[l - 1] is [n_l, 1]. */
export interface ReferenceNet {
  dims: number[];
  W: Float64Array[];
  b: Float64Array[];
}

/**
 * `count` iterations of full-batch gradient descent, as the native engine specifies them:
 * forward [LINEAR->RELU] x (L-1) -> LINEAR->SIGMOID; the cost (over all n_L m outputs) at every
 * iteration i with (firstIteration + i) % costEvery == 0, NaN at the others; dZ_L = AL - Y;
 * backward without dA0 (dW = (1/m) dZ A_prev^T, db = (1/m) row sums, dZ_(l-1) = W^T dZ * (Z_(l-1) > 0));
 * then every W -= lr dW, b -= lr db. Returns the costs and the updated copies of W and b.
 */
export function trainIterations(
  net: ReferenceNet,
  X: Values,
  Y: Values,
  m: number,
  learningRate: number,
  count: number,
  firstIteration: number,
  costEvery: number,
): { costs: number[]; W: Float64Array[]; b: Float64Array[] } {
  const { dims } = net;
  const L = dims.length - 1;
  const W: Float64Array[] = net.W.map((w) => w.slice());
  const b: Float64Array[] = net.b.map((v) => v.slice());
  const costs: number[] = [];
  for (let it = 0; it < count; it++) {
    const A: Values[] = [X];
    const Z: Float64Array[] = [new Float64Array(0)];
    for (let l = 1; l <= L; l++) {
      Z[l] = linearForward(W[l - 1]!, A[l - 1]!, b[l - 1]!, dims[l]!, dims[l - 1]!, m);
      A[l] = activationForward(Z[l]!, l === L ? "sigmoid" : "relu");
    }
    costs.push((firstIteration + it) % costEvery === 0 ? crossEntropyCost(A[L]!, Y) : NaN);
    let dZ: Float64Array = Float64Array.from(A[L]!, (a, i) => a - Y[i]!);
    const dW: Float64Array[] = [];
    const db: Float64Array[] = [];
    for (let l = L; l >= 1; l--) {
      const g = linearBackward(dZ, A[l - 1]!, W[l - 1]!, dims[l]!, dims[l - 1]!, m);
      dW[l - 1] = g.dW;
      db[l - 1] = g.db;
      if (l > 1) dZ = activationBackward(g.dAPrev, Z[l - 1]!, "relu");
    }
    for (let l = 0; l < L; l++) {
      W[l] = sgdUpdate(W[l]!, dW[l]!, learningRate);
      b[l] = sgdUpdate(b[l]!, db[l]!, learningRate);
    }
  }
  return { costs, W, b };
}

/** How far `actual` is from `expected`: the worst element relative to tolerance * max(1, |expected|). */
/** The trainer's activations: tanh, leaky relu (alpha 0.01), elementwise. */
export function trainerActivation(Z: Values, act: "tanh" | "leakyRelu"): Float64Array {
  return Float64Array.from(Z, (z) => (act === "tanh" ? Math.tanh(z) : z > 0 ? z : 0.01 * z));
}

/** dZ = dA (1 - tanh(z)^2), or dA where z > 0 else 0.01 dA. */
export function trainerActivationBackward(dA: Values, Z: Values, act: "tanh" | "leakyRelu"): Float64Array {
  const dZ = new Float64Array(Z.length);
  for (let i = 0; i < Z.length; i++) {
    const z = Z[i]!;
    const t = Math.tanh(z);
    dZ[i] = act === "tanh" ? dA[i]! * (1 - t * t) : z > 0 ? dA[i]! : 0.01 * dA[i]!;
  }
  return dZ;
}

/** Column-wise softmax of Z [rows, cols]: exp(z - max) / sum, summed down each column. */
export function softmax(Z: Values, rows: number, cols: number): Float64Array {
  const A = new Float64Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let i = 0; i < rows; i++) max = Math.max(max, Z[i * cols + j]!);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += Math.exp(Z[i * cols + j]! - max);
    for (let i = 0; i < rows; i++) A[i * cols + j] = Math.exp(Z[i * cols + j]! - max) / sum;
  }
  return A;
}

/** -(1/m) sum(Y log AL) over [C, m]. */
export function softmaxCrossEntropyCost(AL: Values, Y: Values, m: number): number {
  let sum = 0;
  for (let i = 0; i < AL.length; i++) if (Y[i] !== 0) sum += Y[i]! * Math.log(AL[i]!);
  return (-1 / m) * sum;
}

export function sumSquares(x: Values): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i]! * x[i]!;
  return sum;
}

export function addScaled(out: Values, x: Values, c: number): Float64Array {
  return Float64Array.from(out, (o, i) => o + c * x[i]!);
}

/** Momentum: returns [param, v] after one step. */
export function momentum(param: Values, v: Values, grad: Values, beta: number, lr: number): Float64Array[] {
  const nv = Float64Array.from(v, (vi, i) => beta * vi + (1 - beta) * grad[i]!);
  return [Float64Array.from(param, (p, i) => p - lr * nv[i]!), nv];
}

/**
 * Adam: returns [param, v, s] after step t. `round` is applied to every operation's result and to
 * the hyperparameters: Math.fround gives float32's correctly rounded arithmetic (a double result
 * rounded to float is the float result for + - * / and sqrt). 1 - beta^t is computed in double and
 * then rounded, as the addon does.
 */
export function adam(
  param: Values,
  v: Values,
  s: Values,
  grad: Values,
  t: number,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  round: (x: number) => number = (x) => x,
): Float64Array[] {
  const [b1, b2, rate, eps] = [round(beta1), round(beta2), round(lr), round(epsilon)];
  const [oneMinusB1, oneMinusB2] = [round(1 - b1), round(1 - b2)];
  const [c1, c2] = [round(1 - beta1 ** t), round(1 - beta2 ** t)];
  const nv = Float64Array.from(v, (vi, i) => round(round(b1 * vi) + round(oneMinusB1 * grad[i]!)));
  const ns = Float64Array.from(s, (si, i) =>
    round(round(b2 * si) + round(oneMinusB2 * round(grad[i]! * grad[i]!))),
  );
  const np = Float64Array.from(param, (p, i) => {
    const vc = round(nv[i]! / c1);
    const sc = round(ns[i]! / c2);
    return round(p - round(round(rate * vc) / round(round(Math.sqrt(sc)) + eps)));
  });
  return [np, nv, ns];
}

export function dropoutApply(A: Values, D: Values, keepProb: number): Float64Array {
  return Float64Array.from(A, (a, i) => (a * D[i]!) / keepProb);
}

/** out [rows, idx.length] = X [rows, cols] at columns idx. */
export function gatherColumns(X: Values, idx: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * idx.length);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < idx.length; j++) out[i * idx.length + j] = X[i * cols + idx[j]!]!;
  return out;
}

export interface Difference {
  ok: boolean;
  index: number;
  actual: number;
  expected: number;
  diff: number;
  allowed: number;
}

/** The element of `actual` farthest from `expected`, relative to tolerance * max(1, |expected|); NaN matches NaN. */
export function worstDifference(actual: Values, expected: Values, tolerance: number): Difference {
  if (actual.length !== expected.length) {
    return { ok: false, index: -1, actual: actual.length, expected: expected.length, diff: NaN, allowed: 0 };
  }
  let worst: Difference = { ok: true, index: -1, actual: NaN, expected: NaN, diff: 0, allowed: tolerance };
  let worstRatio = -1;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const allowed = tolerance * Math.max(1, Math.abs(e));
    const diff = Number.isNaN(a) && Number.isNaN(e) ? 0 : Math.abs(a - e);
    const ratio = Number.isNaN(diff) ? Infinity : diff / allowed;
    if (ratio > worstRatio) {
      worstRatio = ratio;
      worst = { ok: ratio <= 1, index: i, actual: a, expected: e, diff, allowed };
    }
  }
  return worst;
}
