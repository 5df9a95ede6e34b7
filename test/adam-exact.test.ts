// float64 Adam divides by its bias corrections on FMAs where the CPU has them (native/adam_fma.cc);
// float32 keeps the divider. Both must give exactly the bits of the notebook's formula with true
// division, which JavaScript computes here: in doubles for float64, and for float32 with Math.fround
// after each operation (a double result rounded to float is the correctly rounded float one for
// + - * / and sqrt).
import test from "ava";
import { type FloatArray, native } from "../lib/native.js";
import { Rng } from "./helpers/prng.js";
import * as ref from "./helpers/reference.js";

interface Hyper {
  t: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

function sameBits(t: import("ava").ExecutionContext, got: FloatArray, want: FloatArray, what: string): void {
  const a = new Uint8Array(got.buffer, got.byteOffset, got.byteLength);
  const b = new Uint8Array(want.buffer, want.byteOffset, want.byteLength);
  const width = got.BYTES_PER_ELEMENT;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      const k = Math.floor(i / width);
      t.fail(`${what}: element ${k} of ${got.length} is ${got[k]}, true division gives ${want[k]}`);
      return;
    }
  }
  t.pass();
}

// Runs the addon's update and the reference on copies of the same state and compares every bit.
function checkStep(
  t: import("ava").ExecutionContext,
  make: (n: number) => FloatArray,
  state: { param: FloatArray; v: FloatArray; s: FloatArray; grad: FloatArray },
  hyper: Hyper,
  what: string,
): void {
  const round = state.param instanceof Float32Array ? Math.fround : (x: number) => x;
  const n = state.param.length;
  const copy = (values: ArrayLike<number>): FloatArray => {
    const out = make(n);
    out.set(values);
    return out;
  };
  const [p0, v0, s0] = [copy(state.param), copy(state.v), copy(state.s)];
  const { t: step, learningRate, beta1, beta2, epsilon } = hyper;
  native.adamUpdate(p0, v0, s0, state.grad, step, learningRate, beta1, beta2, epsilon, n);
  // 1 - beta^t: t = 1, or betas whose powers are exact, keep C's pow and V8's identical.
  const [p1, v1, s1] = ref
    .adam(state.param, state.v, state.s, state.grad, step, learningRate, beta1, beta2, epsilon, round)
    .map(copy) as [FloatArray, FloatArray, FloatArray];
  sameBits(t, v0, v1, `${what}, v`);
  sameBits(t, s0, s1, `${what}, s`);
  sameBits(t, p0, p1, `${what}, param`);
}

// Two 32-bit draws, so that float64 moments use every bit of their significand.
function fine(rng: Rng): number {
  return rng.next() + rng.next() * 2 ** -32;
}

const adam: Hyper = { t: 1, learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

for (const [name, make] of [
  ["float64", (n: number) => new Float64Array(n)],
  ["float32", (n: number) => new Float32Array(n)],
] as const) {
  test(`${name}: moments of every size and sign divide as true division does, over many divisors`, (t) => {
    const rng = new Rng(7);
    const n = 40_003; // not a multiple of a vector: the tail takes the divider
    for (let round = 0; round < 24; round++) {
      const state = { param: make(n), v: make(n), s: make(n), grad: make(n) };
      for (let i = 0; i < n; i++) {
        const scale = 2 ** Math.floor(fine(rng) * 60 - 40);
        state.grad[i] = (fine(rng) - 0.5) * scale;
        state.v[i] = (fine(rng) - 0.5) * scale;
        state.s[i] = fine(rng) * scale * scale;
        state.param[i] = i % 2 === 0 ? fine(rng) - 0.5 : 0; // 0 - step shows every bit of the step
      }
      // Divisors 1 - beta over (0, 1], the realistic ones first.
      const beta1 = round === 0 ? 0.9 : fine(rng);
      const beta2 = round === 0 ? 0.999 : 1 - fine(rng) ** 3;
      checkStep(t, make, state, { ...adam, beta1, beta2 }, `beta1 ${beta1}, beta2 ${beta2}`);
    }
  });

  test(`${name}: zeros, subnormals and huge moments take the divider and keep their bits`, (t) => {
    const tiny = name === "float64" ? 2 ** -1074 : 2 ** -149;
    const edge = name === "float64" ? 2 ** -800 : 2 ** -80;
    const huge = name === "float64" ? 2 ** 950 : 2 ** 110;
    const special = [0, -0, tiny, -tiny, 3 * tiny, edge, -edge, edge / 2, edge * 0.75, 1e-30, huge, -huge, 1];
    const n = special.length * special.length * 4;
    const state = { param: make(n), v: make(n), s: make(n), grad: make(n) };
    let i = 0;
    for (const a of special) {
      for (const b of special) {
        for (let k = 0; k < 4; k++, i++) {
          state.v[i] = a;
          state.grad[i] = k % 2 === 0 ? b : 0;
          state.s[i] = Math.abs(b);
          state.param[i] = 0; // 0 - step shows every bit of the step
        }
      }
    }
    for (const beta1 of [0.9, 0.5])
      checkStep(t, make, state, { ...adam, beta1 }, `special moments, beta1 ${beta1}`);
  });

  test(`${name}: bias corrections of later steps (powers that are exact in C and JavaScript)`, (t) => {
    const rng = new Rng(11);
    const n = 4099;
    const state = { param: make(n), v: make(n), s: make(n), grad: make(n) };
    for (let i = 0; i < n; i++) {
      state.grad[i] = (fine(rng) - 0.5) * 1e-2;
      state.v[i] = (fine(rng) - 0.5) * 1e-3;
      state.s[i] = fine(rng) * 1e-6;
      state.param[i] = fine(rng) - 0.5;
    }
    for (const step of [1, 2, 3, 7, 20, 33]) {
      checkStep(t, make, state, { ...adam, t: step, beta1: 0.75, beta2: 0.875 }, `t ${step}`);
    }
  });
}
