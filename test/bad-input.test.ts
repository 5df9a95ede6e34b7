// Bad input, case by case: every public function and every raw native binding refuses what it must,
// with TypeError for the wrong kind of value and RangeError for the wrong size or value, and a
// message naming the function and what came. The raw-binding cases run in a child process
// (test/children/native-cases.ts), so a crash would end that child with a signal and fail here.

import test, { type ExecutionContext } from "ava";
import {
  AbortError,
  Matrix,
  type MatrixDict,
  Model,
  RandomState,
  accuracy,
  computeCost,
  initializeParameters,
  initializeParametersDeep,
  lLayerModel,
  lModelBackward,
  lModelForward,
  linearActivationBackward,
  linearActivationForward,
  linearBackward,
  linearForward,
  predict,
  relu,
  reluBackward,
  setNumThreads,
  sigmoid,
  sigmoidBackward,
  twoLayerModel,
  updateParameters,
} from "../lib/index.js";
import { ChildBatch, describeExit, jsonLines } from "./helpers/child.js";
import { nativeErrorCases, nativeWorkCases } from "./helpers/native-cases.js";

/** A call that must throw (or, for fitAsync, reject with) `error` whose message matches `message`. */
interface BadInputCase {
  name: string;
  call: () => unknown;
  error: typeof TypeError | typeof RangeError;
  message: RegExp;
}

// ------------------------------------------------------------------ fixtures (fresh per call)

const z = (rows: number, cols: number): Matrix => Matrix.zeros(rows, cols);
/** X is [4, 3], seeded normals. */
const X = (): Matrix => new RandomState(1).randn(4, 3);
const Y = (): Matrix => Matrix.from([[1, 0, 1]]);
/** {W1 [3, 4], b1 [3, 1], W2 [1, 3], b2 [1, 1]}. */
const params = (): MatrixDict => initializeParametersDeep([4, 3, 1]);
const grads = (): MatrixDict => ({ dW1: z(3, 4), db1: z(3, 1), dW2: z(1, 3), db2: z(1, 1) });
const model = (): Model => new Model([4, 3, 1]);
const fitOptions = { learningRate: 0.1, iterations: 5 };
/** A Matrix look-alike whose data is float32: native code would read past its end. */
const float32Like = (rows = 4, cols = 3) => ({ rows, cols, data: new Float32Array(rows * cols) }) as never;
/** A Matrix whose buffer was transferred away: its data now holds 0 values. */
function detachedMatrix(rows = 4, cols = 3): Matrix {
  const m = new RandomState(2).randn(rows, cols);
  structuredClone(m.data.buffer, { transfer: [m.data.buffer] });
  return m;
}
/** A Matrix over a subarray view of a larger buffer. */
function viewMatrix(source: Matrix, offset: number): Matrix {
  const big = new Float64Array(source.data.length + offset + 3).fill(-777);
  const view = big.subarray(offset, offset + source.data.length);
  view.set(source.data);
  return new Matrix(source.rows, source.cols, view);
}
/** `source` with element `i` set to `value`. */
function withValue(source: Matrix, i: number, value: number): Matrix {
  const m = source.clone();
  m.data[i] = value;
  return m;
}
function without(dict: MatrixDict, key: string): MatrixDict {
  const copy = { ...dict };
  delete copy[key];
  return copy;
}
/** The caches of a forward pass on X through params. */
const forward = () => lModelForward(X(), params());
const AL = (values: number[]) => Matrix.from([values]);
const any = (v: unknown) => v as never;

const publicCases: BadInputCase[] = [
  // ---------------------------------------------------------------- Matrix
  {
    name: "Matrix rejects 0 rows",
    call: () => new Matrix(0, 3),
    error: RangeError,
    message: /^Matrix: expected positive integer dims, received \[0, 3\]$/,
  },
  {
    name: "Matrix rejects negative cols",
    call: () => new Matrix(2, -1),
    error: RangeError,
    message: /^Matrix: expected positive integer dims, received \[2, -1\]$/,
  },
  {
    name: "Matrix rejects fractional rows",
    call: () => new Matrix(2.5, 1),
    error: RangeError,
    message: /^Matrix: expected positive integer dims, received \[2\.5, 1\]$/,
  },
  {
    name: "Matrix rejects NaN rows",
    call: () => new Matrix(NaN, 2),
    error: RangeError,
    message: /^Matrix: expected positive integer dims, received \[NaN, 2\]$/,
  },
  {
    name: "Matrix rejects Infinity cols",
    call: () => new Matrix(1, Infinity),
    error: RangeError,
    message: /received \[1, Infinity\]$/,
  },
  {
    name: "Matrix rejects string dims with a TypeError",
    call: () => new Matrix(any("2"), 2),
    error: TypeError,
    message: /^Matrix: expected dims to be numbers, received string "2" and number 2$/,
  },
  {
    name: "Matrix rejects rows * cols over 2^31 - 1 without allocating",
    call: () => new Matrix(46341, 46341),
    error: RangeError,
    message: /^Matrix: \[46341, 46341\] has more than 2147483647 elements$/,
  },
  {
    name: "Matrix rejects Float32Array data with a TypeError",
    call: () => new Matrix(2, 2, any(new Float32Array(4))),
    error: TypeError,
    message: /^Matrix: expected data to be a Float64Array, received Float32Array\(4\)$/,
  },
  {
    name: "Matrix rejects a plain array as data with a TypeError",
    call: () => new Matrix(2, 2, any([1, 2, 3, 4])),
    error: TypeError,
    message: /^Matrix: expected data to be a Float64Array, received Array\(4\)$/,
  },
  {
    name: "Matrix rejects data of the wrong length",
    call: () => new Matrix(2, 2, new Float64Array(5)),
    error: RangeError,
    message: /^Matrix: data holds 5 values but \[2, 2\] needs 4$/,
  },
  {
    name: "Matrix rejects a detached Float64Array as data",
    call: () => {
      const data = new Float64Array(4);
      structuredClone(data.buffer, { transfer: [data.buffer] });
      return new Matrix(2, 2, data);
    },
    error: RangeError,
    message: /^Matrix: data holds 0 values but \[2, 2\] needs 4$/,
  },
  {
    name: "Matrix rejects a subarray view of the wrong length",
    call: () => new Matrix(2, 2, new Float64Array(10).subarray(3, 8)),
    error: RangeError,
    message: /^Matrix: data holds 5 values but \[2, 2\] needs 4$/,
  },
  {
    name: "Matrix.from rejects ragged rows",
    call: () => Matrix.from([[1, 2], [3]]),
    error: RangeError,
    message: /^Matrix\.from: row 1 has 1 values, expected 2$/,
  },
  {
    name: "Matrix.from rejects an empty array",
    call: () => Matrix.from([]),
    error: RangeError,
    message: /^Matrix\.from: expected at least one row and one column, received \[0, 0\]$/,
  },
  {
    name: "Matrix.from rejects a string value with a TypeError",
    call: () => Matrix.from([[1, any("2")]]),
    error: TypeError,
    message: /^Matrix\.from: expected a number at \[0, 1\], received string "2"$/,
  },
  {
    name: "Matrix.from rejects a flat array with a TypeError",
    call: () => Matrix.from(any([1, 2, 3])),
    error: TypeError,
    message: /^Matrix\.from: expected an array of number arrays, received Array\(3\)$/,
  },
  {
    name: "Matrix.get rejects an index outside the shape",
    call: () => z(2, 2).get(2, 0),
    error: RangeError,
    message: /^Matrix\.get: index \(2, 0\) is outside \[2, 2\]$/,
  },
  // ---------------------------------------------------------------- RandomState
  {
    name: "RandomState rejects seed -1",
    call: () => new RandomState(-1),
    error: RangeError,
    message: /^RandomState: expected seed to be an integer in \[0, 2\^32 - 1\], received -1$/,
  },
  {
    name: "RandomState rejects seed 2^32",
    call: () => new RandomState(2 ** 32),
    error: RangeError,
    message: /received 4294967296$/,
  },
  {
    name: "RandomState rejects a fractional seed",
    call: () => new RandomState(1.5),
    error: RangeError,
    message: /received 1\.5$/,
  },
  {
    name: "RandomState rejects a string seed with a TypeError",
    call: () => new RandomState(any("1")),
    error: TypeError,
    message: /^RandomState: expected seed to be an integer in \[0, 2\^32 - 1\], received string "1"$/,
  },
  {
    name: "RandomState.randn rejects 0 rows",
    call: () => new RandomState(1).randn(0, 3),
    error: RangeError,
    message: /^RandomState\.randn: expected positive integer dims, received \[0, 3\]$/,
  },
  {
    name: "RandomState.randomSample rejects a shape over 2^31 - 1 values",
    call: () => new RandomState(1).randomSample(65536, 65536),
    error: RangeError,
    message: /^RandomState\.randomSample: \[65536, 65536\] has more than 2147483647 elements$/,
  },
  {
    name: "RandomState.randomSampleArray rejects a negative length",
    call: () => new RandomState(1).randomSampleArray(-1),
    error: RangeError,
    message:
      /^RandomState\.randomSampleArray: expected a non-negative integer length up to 2147483647, received number -1$/,
  },
  {
    name: "RandomState.randnArray rejects a string length with a TypeError",
    call: () => new RandomState(1).randnArray(any("3")),
    error: TypeError,
    message: /^RandomState\.randnArray: expected a non-negative integer length .*received string "3"$/,
  },
  // ---------------------------------------------------------------- initializeParameters(Deep)
  {
    name: "initializeParameters rejects nx 0",
    call: () => initializeParameters(0, 2, 1),
    error: RangeError,
    message: /^initializeParameters: expected nx to be an integer >= 1, received 0$/,
  },
  {
    name: "initializeParameters rejects a fractional nh",
    call: () => initializeParameters(3, 2.5, 1),
    error: RangeError,
    message: /^initializeParameters: expected nh to be an integer >= 1, received 2\.5$/,
  },
  {
    name: "initializeParameters rejects a string ny with a TypeError",
    call: () => initializeParameters(3, 2, any("1")),
    error: TypeError,
    message: /^initializeParameters: expected ny to be an integer >= 1, received string "1"$/,
  },
  {
    name: "initializeParametersDeep rejects a single size",
    call: () => initializeParametersDeep([5]),
    error: RangeError,
    message:
      /^initializeParametersDeep: expected layerDims to list at least an input and an output size, received \[5\]$/,
  },
  {
    name: "initializeParametersDeep rejects a negative layer",
    call: () => initializeParametersDeep([5, -4, 1]),
    error: RangeError,
    message: /^initializeParametersDeep: expected layerDims\[1\] to be a positive integer, received -4$/,
  },
  {
    name: "initializeParametersDeep rejects a zero layer",
    call: () => initializeParametersDeep([5, 0, 1]),
    error: RangeError,
    message: /layerDims\[1\] to be a positive integer, received 0$/,
  },
  {
    name: "initializeParametersDeep rejects a fractional layer",
    call: () => initializeParametersDeep([5, 4.5]),
    error: RangeError,
    message: /layerDims\[1\] to be a positive integer, received 4\.5$/,
  },
  {
    name: "initializeParametersDeep rejects a NaN layer",
    call: () => initializeParametersDeep([NaN, 4]),
    error: RangeError,
    message: /layerDims\[0\] to be a positive integer, received NaN$/,
  },
  {
    name: "initializeParametersDeep rejects a layer of 2^31",
    call: () => initializeParametersDeep([1, 2 ** 31]),
    error: RangeError,
    message: /layerDims\[1\] to be a positive integer, received 2147483648$/,
  },
  {
    name: "initializeParametersDeep rejects W1 of more than 2^31 - 1 values, naming its shape",
    call: () => initializeParametersDeep([65536, 65536]),
    error: RangeError,
    message: /^initializeParametersDeep: W1 would be \[65536, 65536\], more than 2\^31 - 1 values$/,
  },
  {
    name: "initializeParametersDeep rejects a string of dims with a TypeError",
    call: () => initializeParametersDeep(any("5,4")),
    error: TypeError,
    message:
      /^initializeParametersDeep: expected layerDims to be an array of integers, received string "5,4"$/,
  },
  {
    name: "initializeParametersDeep rejects a string layer with a TypeError",
    call: () => initializeParametersDeep([5, any("4")]),
    error: TypeError,
    message:
      /^initializeParametersDeep: expected layerDims\[1\] to be a positive integer, received string "4"$/,
  },
  {
    name: "initializeParametersDeep rejects an unknown init",
    call: () => initializeParametersDeep([5, 4], { init: any("xavier") }),
    error: RangeError,
    message: /^initializeParametersDeep: expected init to be "small", "fan-in" or "he", received "xavier"$/,
  },
  {
    name: "initializeParametersDeep rejects options that are not an object",
    call: () => initializeParametersDeep([5, 4], any("small")),
    error: TypeError,
    message: /^initializeParametersDeep: expected options to be an object, received string "small"$/,
  },
  // ---------------------------------------------------------------- linearForward / activations
  {
    name: "linearForward rejects W and A that do not align, naming both shapes",
    call: () => linearForward(z(5, 2), z(3, 4), z(3, 1)),
    error: RangeError,
    message: /^linearForward: W is \[3, 4\] but A is \[5, 2\]; W\.cols must equal A\.rows$/,
  },
  {
    name: "linearForward rejects a float32 look-alike A",
    call: () => linearForward(float32Like(4, 2), z(3, 4), z(3, 1)),
    error: TypeError,
    message: /^linearForward: expected A to be a Matrix, received Object$/,
  },
  {
    name: "linearForward rejects a detached W",
    call: () => linearForward(z(4, 2), detachedMatrix(3, 4), z(3, 1)),
    error: RangeError,
    message: /^linearForward: W is \[3, 4\] but its data holds 0 values \(detached\?\)$/,
  },
  {
    name: "linearForward rejects a plain nested array as b",
    call: () => linearForward(z(4, 2), z(3, 4), any([[0], [0], [0]])),
    error: TypeError,
    message: /^linearForward: expected b to be a Matrix, received Array\(3\)$/,
  },
  {
    name: "linearActivationForward rejects an unknown activation name",
    call: () => linearActivationForward(z(4, 2), z(3, 4), z(3, 1), any("tanh")),
    error: RangeError,
    message: /^linearActivationForward: expected activation "relu" or "sigmoid", received string "tanh"$/,
  },
  {
    name: "linearActivationForward rejects an activation code instead of a name",
    call: () => linearActivationForward(z(4, 2), z(3, 4), z(3, 1), any(1)),
    error: TypeError,
    message: /^linearActivationForward: expected activation "relu" or "sigmoid", received number 1$/,
  },
  {
    name: "linearActivationForward rejects b that is not [W.rows, 1]",
    call: () => linearActivationForward(z(4, 2), z(3, 4), z(4, 1), "relu"),
    error: RangeError,
    message: /^linearActivationForward: W is \[3, 4\] so b must be \[3, 1\], received \[4, 1\]$/,
  },
  {
    name: "relu rejects a plain array",
    call: () => relu(any([[1, -1]])),
    error: TypeError,
    message: /^relu: expected Z to be a Matrix, received Array\(1\)$/,
  },
  {
    name: "sigmoid rejects a float32 look-alike",
    call: () => sigmoid(float32Like(2, 2)),
    error: TypeError,
    message: /^sigmoid: expected Z to be a Matrix, received Object$/,
  },
  {
    name: "sigmoid rejects a detached Matrix",
    call: () => sigmoid(detachedMatrix(2, 2)),
    error: RangeError,
    message: /^sigmoid: Z is \[2, 2\] but its data holds 0 values \(detached\?\)$/,
  },
  // ---------------------------------------------------------------- lModelForward
  {
    name: "lModelForward rejects W3 without b3",
    call: () => lModelForward(X(), { ...params(), W3: z(1, 1) }),
    error: TypeError,
    message: /^lModelForward: parameters is missing "b3" \(expected W1\.\.W3 and b1\.\.b3\)$/,
  },
  {
    name: "lModelForward rejects an extra key",
    call: () => lModelForward(X(), { ...params(), W0: z(1, 1) }),
    error: RangeError,
    message: /^lModelForward: parameters has an unexpected key "W0" \(expected W1\.\.W2 and b1\.\.b2\)$/,
  },
  {
    name: "lModelForward rejects W2 that contradicts W1, naming both shapes",
    call: () => lModelForward(X(), { ...params(), W2: z(1, 2) }),
    error: RangeError,
    message: /^lModelForward: W2 is \[1, 2\] but W1 is \[3, 4\]; W2\.cols must equal W1\.rows$/,
  },
  {
    name: "lModelForward rejects X whose rows differ from W1 cols",
    call: () => lModelForward(z(5, 3), params()),
    error: RangeError,
    message: /^lModelForward: W1 is \[3, 4\] but X is \[5, 3\]; W1\.cols must equal X\.rows$/,
  },
  {
    name: "lModelForward rejects null parameters",
    call: () => lModelForward(X(), any(null)),
    error: TypeError,
    message: /^lModelForward: expected parameters to be an object \{W1, b1, \.\.\.\}, received null$/,
  },
  // ---------------------------------------------------------------- computeCost
  {
    name: "computeCost rejects AL of exactly 0",
    call: () => computeCost(AL([0.5, 0, 0.5]), Y()),
    error: RangeError,
    message: /^computeCost: expected AL values in \(0, 1\), received 0 at \[0, 1\]$/,
  },
  {
    name: "computeCost rejects AL of exactly 1",
    call: () => computeCost(AL([1, 0.5, 0.5]), Y()),
    error: RangeError,
    message: /^computeCost: expected AL values in \(0, 1\), received 1 at \[0, 0\]$/,
  },
  {
    name: "computeCost rejects NaN in AL",
    call: () => computeCost(AL([0.5, 0.5, NaN]), Y()),
    error: RangeError,
    message: /^computeCost: expected AL values in \(0, 1\), received NaN at \[0, 2\]$/,
  },
  {
    name: "computeCost rejects a label of 2",
    call: () => computeCost(AL([0.5, 0.5, 0.5]), Matrix.from([[1, 2, 0]])),
    error: RangeError,
    message: /^computeCost: expected Y values in \[0, 1\], received 2 at \[0, 1\]$/,
  },
  {
    name: "computeCost rejects a label of -Infinity",
    call: () => computeCost(AL([0.5, 0.5, 0.5]), Matrix.from([[-Infinity, 1, 0]])),
    error: RangeError,
    message: /^computeCost: expected Y values in \[0, 1\], received -Infinity at \[0, 0\]$/,
  },
  {
    name: "computeCost rejects AL that is not a row",
    call: () => computeCost(new Matrix(3, 1, Float64Array.of(0.5, 0.5, 0.5)), z(3, 1)),
    error: RangeError,
    message: /^computeCost: expected AL to be \[1, m\], received \[3, 1\]$/,
  },
  {
    name: "computeCost rejects AL and Y of different shapes, naming both",
    call: () => computeCost(AL([0.5, 0.5]), Y()),
    error: RangeError,
    message: /^computeCost: AL is \[1, 2\] but Y is \[1, 3\]; they must match$/,
  },
  // ---------------------------------------------------------------- backward
  {
    name: "linearBackward rejects dZ that is not [W.rows, A.cols]",
    call: () => linearBackward(z(3, 3), { A: z(4, 2), W: z(3, 4), b: z(3, 1) }),
    error: RangeError,
    message: /^linearBackward: expected dZ to be \[3, 2\], received \[3, 3\]$/,
  },
  {
    name: "linearBackward rejects a null cache",
    call: () => linearBackward(z(3, 2), any(null)),
    error: TypeError,
    message: /^linearBackward: expected cache to be \{A, W, b\}, received null$/,
  },
  {
    name: "linearBackward rejects a cache without W",
    call: () => linearBackward(z(3, 2), any({ A: z(4, 2), b: z(3, 1) })),
    error: TypeError,
    message: /^linearBackward: expected cache\.W to be a Matrix, received undefined$/,
  },
  {
    name: "reluBackward rejects dA and Z of different shapes, naming both",
    call: () => reluBackward(z(2, 3), z(3, 2)),
    error: RangeError,
    message: /^reluBackward: dA is \[2, 3\] but Z is \[3, 2\]; they must match$/,
  },
  {
    name: "sigmoidBackward rejects a string Z",
    call: () => sigmoidBackward(z(2, 3), any("Z")),
    error: TypeError,
    message: /^sigmoidBackward: expected Z to be a Matrix, received string "Z"$/,
  },
  {
    name: "linearActivationBackward rejects an unknown activation name",
    call: () => {
      const { caches } = forward();
      return linearActivationBackward(z(1, 3), caches[1]!, any("softmax"));
    },
    error: RangeError,
    message: /^linearActivationBackward: expected activation "relu" or "sigmoid", received string "softmax"$/,
  },
  {
    name: "linearActivationBackward rejects a cache whose Z contradicts W and A",
    call: () => {
      const { caches } = forward();
      return linearActivationBackward(z(1, 3), { ...caches[1]!, Z: z(1, 2) }, "sigmoid");
    },
    error: RangeError,
    message: /^linearActivationBackward: expected cache\.Z to be \[1, 3\], received \[1, 2\]$/,
  },
  {
    name: "lModelBackward rejects AL of exactly 1, where dAL is infinite",
    call: () => {
      const { caches } = forward();
      return lModelBackward(AL([1, 0.5, 0.5]), Matrix.from([[0, 0, 1]]), caches);
    },
    error: RangeError,
    message: /^lModelBackward: expected AL values for which dAL = .* is finite, received 1 at \[0, 0\]/,
  },
  {
    name: "lModelBackward rejects NaN in AL",
    call: () => {
      const { caches } = forward();
      return lModelBackward(AL([0.5, NaN, 0.5]), Y(), caches);
    },
    error: RangeError,
    message: /^lModelBackward: expected AL to hold finite values, received NaN at \[0, 1\]$/,
  },
  {
    name: "lModelBackward rejects a label of 2",
    call: () => {
      const { AL: out, caches } = forward();
      return lModelBackward(out, Matrix.from([[1, 2, 0]]), caches);
    },
    error: RangeError,
    message: /^lModelBackward: expected Y values in \[0, 1\], received 2 at \[0, 1\]$/,
  },
  {
    name: "lModelBackward rejects an empty cache list",
    call: () => lModelBackward(AL([0.5, 0.5, 0.5]), Y(), []),
    error: RangeError,
    message: /^lModelBackward: expected at least one cache, received \[\]$/,
  },
  {
    name: "lModelBackward rejects caches that are not an array",
    call: () => lModelBackward(AL([0.5, 0.5, 0.5]), Y(), any({ 0: {} })),
    error: TypeError,
    message: /^lModelBackward: expected caches to be an array, received Object$/,
  },
  // ---------------------------------------------------------------- updateParameters
  ...(
    [
      [NaN, "NaN"],
      [0, "0"],
      [-0.1, "-0.1"],
      [Infinity, "Infinity"],
    ] as const
  ).map(([rate, shown]): BadInputCase => ({
    name: `updateParameters rejects learning rate ${shown}`,
    call: () => updateParameters(params(), grads(), rate),
    error: RangeError,
    message: new RegExp(
      `^updateParameters: expected learningRate to be a finite number > 0, received ${shown}$`,
    ),
  })),
  {
    name: "updateParameters rejects a string learning rate",
    call: () => updateParameters(params(), grads(), any("0.1")),
    error: TypeError,
    message: /^updateParameters: expected learningRate to be a finite number > 0, received string "0\.1"$/,
  },
  {
    name: "updateParameters rejects grads without db2",
    call: () => updateParameters(params(), without(grads(), "db2"), 0.1),
    error: TypeError,
    message: /^updateParameters: grads is missing "db2" \(expected dW1\.\.dW2 and db1\.\.db2\)$/,
  },
  {
    name: "updateParameters rejects dW1 shaped unlike W1, naming both",
    call: () => updateParameters(params(), { ...grads(), dW1: z(4, 3) }, 0.1),
    error: RangeError,
    message: /^updateParameters: W1 is \[3, 4\] but dW1 is \[4, 3\]; they must match$/,
  },
  {
    name: "updateParameters rejects parameters with W2 but no b2",
    call: () => updateParameters(without(params(), "b2"), grads(), 0.1),
    error: TypeError,
    message: /^updateParameters: parameters is missing "b2" \(expected W1\.\.W2 and b1\.\.b2\)$/,
  },
  // ---------------------------------------------------------------- Model
  {
    name: "Model rejects a last layer wider than 1",
    call: () => new Model([4, 3, 2]),
    error: RangeError,
    message: /^Model: expected the last layer to have 1 unit \(binary output\), received \[4, 3, 2\]$/,
  },
  {
    name: "Model rejects a zero layer",
    call: () => new Model([4, 0, 1]),
    error: RangeError,
    message: /^Model: expected layerDims\[1\] to be a positive integer, received 0$/,
  },
  {
    name: "Model rejects a fractional layer",
    call: () => new Model([4, 3.5, 1]),
    error: RangeError,
    message: /^Model: expected layerDims\[1\] to be a positive integer, received 3\.5$/,
  },
  {
    name: "Model rejects W1 of more than 2^31 - 1 values",
    call: () => new Model([65536, 32769, 1]),
    error: RangeError,
    message: /^Model: W1 would be \[32769, 65536\], more than 2\^31 - 1 values$/,
  },
  {
    name: "Model rejects layer dims given as a string",
    call: () => new Model(any("4,3,1")),
    error: TypeError,
    message: /^Model: expected layerDims to be an array of integers, received string "4,3,1"$/,
  },
  {
    name: "Model rejects an unknown dtype",
    call: () => new Model([4, 3, 1], { dtype: any("float16") }),
    error: RangeError,
    message: /^Model: expected dtype "float64" or "float32", received string "float16"$/,
  },
  {
    name: "Model rejects a numeric dtype with a TypeError",
    call: () => new Model([4, 3, 1], { dtype: any(64) }),
    error: TypeError,
    message: /^Model: expected dtype "float64" or "float32", received number 64$/,
  },
  {
    name: "Model rejects an unknown init",
    call: () => new Model([4, 3, 1], { init: any("glorot") }),
    error: RangeError,
    message: /^Model: expected init to be "small", "fan-in" or "he", received "glorot"$/,
  },
  // ---------------------------------------------------------------- fit
  {
    name: "fit rejects a plain array X",
    call: () => model().fit(any([[1, 2, 3]]), Y(), fitOptions),
    error: TypeError,
    message: /^fit: expected X to be a Matrix, received Array\(1\)$/,
  },
  {
    name: "fit rejects X whose rows differ from n_0, naming both shapes",
    call: () => model().fit(z(5, 3), Y(), fitOptions),
    error: RangeError,
    message: /^fit: W1 is \[3, 4\] but X is \[5, 3\]; W1\.cols must equal X\.rows$/,
  },
  {
    name: "fit rejects NaN in X",
    call: () => model().fit(withValue(X(), 5, NaN), Y(), fitOptions),
    error: RangeError,
    message: /^fit: expected X to hold finite values, received NaN at \[1, 2\]$/,
  },
  {
    name: "fit rejects Infinity in X",
    call: () => model().fit(withValue(X(), 0, Infinity), Y(), fitOptions),
    error: RangeError,
    message: /^fit: expected X to hold finite values, received Infinity at \[0, 0\]$/,
  },
  {
    name: "fit rejects a detached X",
    call: () => model().fit(detachedMatrix(4, 3), Y(), fitOptions),
    error: RangeError,
    message: /^fit: X is \[4, 3\] but its data holds 0 values \(detached\?\)$/,
  },
  {
    name: "fit rejects a label of 1.5",
    call: () => model().fit(X(), Matrix.from([[1, 1.5, 0]]), fitOptions),
    error: RangeError,
    message: /^fit: expected Y values in \[0, 1\], received 1\.5 at \[0, 1\]$/,
  },
  {
    name: "fit rejects a NaN label",
    call: () => model().fit(X(), Matrix.from([[NaN, 1, 0]]), fitOptions),
    error: RangeError,
    message: /^fit: expected Y values in \[0, 1\], received NaN at \[0, 0\]$/,
  },
  {
    name: "fit rejects Y with one label per feature instead of per example",
    call: () => model().fit(X(), Matrix.from([[1, 0, 1, 0]]), fitOptions),
    error: RangeError,
    message: /^fit: expected Y to be \[1, 3\] \(one label per example\), received \[1, 4\]$/,
  },
  ...([NaN, 0, -1, Infinity] as const).map((rate): BadInputCase => ({
    name: `fit rejects learning rate ${rate}`,
    call: () => model().fit(X(), Y(), { ...fitOptions, learningRate: rate }),
    error: RangeError,
    message: new RegExp(`^fit: expected learningRate to be a finite number > 0, received ${rate}$`),
  })),
  {
    name: "fit rejects negative iterations",
    call: () => model().fit(X(), Y(), { ...fitOptions, iterations: -1 }),
    error: RangeError,
    message: /^fit: expected iterations to be an integer >= 0, received -1$/,
  },
  {
    name: "fit rejects fractional iterations",
    call: () => model().fit(X(), Y(), { ...fitOptions, iterations: 2.5 }),
    error: RangeError,
    message: /^fit: expected iterations to be an integer >= 0, received 2\.5$/,
  },
  {
    name: "fit rejects iterations given as a string",
    call: () => model().fit(X(), Y(), { ...fitOptions, iterations: any("10") }),
    error: TypeError,
    message: /^fit: expected iterations to be an integer >= 0, received string "10"$/,
  },
  {
    name: "fit rejects costEvery 0",
    call: () => model().fit(X(), Y(), { ...fitOptions, costEvery: 0 }),
    error: RangeError,
    message: /^fit: expected costEvery to be an integer >= 1, received 0$/,
  },
  {
    name: "fit rejects an onCost that is not a function",
    call: () => model().fit(X(), Y(), { ...fitOptions, onCost: any("log") }),
    error: TypeError,
    message: /^fit: expected onCost to be a function, received string "log"$/,
  },
  {
    name: "fit rejects gram: 'yes'",
    call: () => model().fit(X(), Y(), { ...fitOptions, gram: any("yes") }),
    error: TypeError,
    message: /^fit: expected gram to be true, false or "auto", received string "yes"$/,
  },
  {
    name: "fit rejects missing options",
    call: () => model().fit(X(), Y(), any(undefined)),
    error: TypeError,
    message: /^fit: expected options \{ learningRate, iterations \}$/,
  },
  // ---------------------------------------------------------------- fitAsync (rejections)
  {
    name: "fitAsync rejects learning rate NaN",
    call: () => model().fitAsync(X(), Y(), { ...fitOptions, learningRate: NaN }),
    error: RangeError,
    message: /^fitAsync: expected learningRate to be a finite number > 0, received NaN$/,
  },
  {
    name: "fitAsync rejects negative iterations",
    call: () => model().fitAsync(X(), Y(), { ...fitOptions, iterations: -3 }),
    error: RangeError,
    message: /^fitAsync: expected iterations to be an integer >= 0, received -3$/,
  },
  {
    name: "fitAsync rejects a float32 look-alike X",
    call: () => model().fitAsync(float32Like(4, 3), Y(), fitOptions),
    error: TypeError,
    message: /^fitAsync: expected X to be a Matrix, received Object$/,
  },
  {
    name: "fitAsync rejects Infinity in X",
    call: () => model().fitAsync(withValue(X(), 11, -Infinity), Y(), fitOptions),
    error: RangeError,
    message: /^fitAsync: expected X to hold finite values, received -Infinity at \[3, 2\]$/,
  },
  {
    name: "fitAsync rejects labels outside [0, 1]",
    call: () => model().fitAsync(X(), Matrix.from([[1, 0, -1]]), fitOptions),
    error: RangeError,
    message: /^fitAsync: expected Y values in \[0, 1\], received -1 at \[0, 2\]$/,
  },
  {
    name: "fitAsync rejects a signal that is not an AbortSignal",
    call: () => model().fitAsync(X(), Y(), { ...fitOptions, signal: any({ aborted: false }) }),
    error: TypeError,
    message: /^fitAsync: expected signal to be an AbortSignal, received Object$/,
  },
  {
    name: "fitAsync rejects an onProgress that is not a function",
    call: () => model().fitAsync(X(), Y(), { ...fitOptions, onProgress: any(5) }),
    error: TypeError,
    message: /^fitAsync: expected onProgress to be a function, received number 5$/,
  },
  // ---------------------------------------------------------------- predict / accuracy / models
  {
    name: "predict rejects X whose rows differ from W1 cols",
    call: () => predict(z(5, 3), params()),
    error: RangeError,
    message: /^predict: W1 is \[3, 4\] but X is \[5, 3\]; W1\.cols must equal X\.rows$/,
  },
  {
    name: "predict rejects an output layer of 2 units",
    call: () => predict(X(), initializeParametersDeep([4, 3, 2])),
    error: RangeError,
    message: /^predict: expected W2 to have 1 row \(binary output\), received \[2, 3\]$/,
  },
  {
    name: "predict rejects parameters without b1",
    call: () => predict(X(), without(params(), "b1")),
    error: TypeError,
    message: /^predict: parameters is missing "b1" \(expected W1\.\.W2 and b1\.\.b2\)$/,
  },
  {
    name: "Model.predict rejects X whose rows differ from n_0",
    call: () => model().predict(z(3, 3)),
    error: RangeError,
    message: /^predictProba: W1 is \[3, 4\] but X is \[3, 3\]; W1\.cols must equal X\.rows$/,
  },
  {
    name: "accuracy rejects predictions and labels of different lengths",
    call: () => accuracy(Matrix.from([[1, 0]]), Y()),
    error: RangeError,
    message: /^accuracy: expected Y to be \[1, 2\] \(one label per example\), received \[1, 3\]$/,
  },
  {
    name: "accuracy rejects a label of 3",
    call: () => accuracy(Matrix.from([[1, 0, 1]]), Matrix.from([[1, 3, 0]])),
    error: RangeError,
    message: /^accuracy: expected Y values in \[0, 1\], received 3 at \[0, 1\]$/,
  },
  {
    name: "accuracy rejects predictions that are not a Matrix",
    call: () => accuracy(any([1, 0, 1]), Y()),
    error: TypeError,
    message: /^accuracy: expected predictions to be a Matrix, received Array\(3\)$/,
  },
  {
    name: "twoLayerModel rejects layer dims given as a string with a TypeError",
    call: () => twoLayerModel(X(), Y(), any("4,3,1")),
    error: TypeError,
    message: /^twoLayerModel: expected layersDims to be \[nx, nh, ny\], received "4,3,1"$/,
  },
  {
    name: "lLayerModel rejects a negative learning rate",
    call: () => lLayerModel(X(), Y(), [4, 3, 1], { learningRate: -0.01, numIterations: 1 }),
    error: RangeError,
    message: /^(lLayerModel|fit): expected learningRate to be a finite number > 0, received -0\.01$/,
  },
  // ---------------------------------------------------------------- setNumThreads
  ...([0, -1, 1.5, NaN] as const).map((n): BadInputCase => ({
    name: `setNumThreads rejects ${n}`,
    call: () => setNumThreads(n),
    error: RangeError,
    message: new RegExp(`^setNumThreads: expected n to be an integer >= 1, received ${n}$`),
  })),
  {
    name: "setNumThreads rejects a string",
    call: () => setNumThreads(any("2")),
    error: TypeError,
    message: /^setNumThreads: expected n to be an integer >= 1, received string "2"$/,
  },
];

for (const c of publicCases) {
  test(`public: ${c.name}`, async (t) => {
    let returned: unknown;
    let thrown: unknown;
    let threw = false;
    try {
      returned = c.call();
    } catch (error) {
      threw = true;
      thrown = error;
    }
    const expectation = { instanceOf: c.error, message: c.message };
    if (c.name.startsWith("fitAsync")) {
      // fitAsync validates inside an async function: bad input rejects, it never throws synchronously.
      t.false(threw, `fitAsync threw synchronously: ${String(thrown)}`);
      t.true(returned instanceof Promise);
    }
    if (returned instanceof Promise) {
      await t.throwsAsync(returned, expectation);
    } else {
      t.throws(() => {
        if (threw) throw thrown;
        return returned;
      }, expectation);
    }
  });
}

test("public: the table covers at least 60 cases", (t) => {
  t.true(publicCases.length >= 60, `${publicCases.length} cases`);
  t.is(new Set(publicCases.map((c) => c.name)).size, publicCases.length, "case names are unique");
});

test("public: a model whose fitAsync rejected bad options is not left training", async (t) => {
  const m = model();
  await t.throwsAsync(m.fitAsync(X(), Y(), { ...fitOptions, signal: any({}) }));
  t.false(m.training, "the model still says it is training");
  await t.throwsAsync(m.fitAsync(X(), Y(), { ...fitOptions, learningRate: -1 }), { instanceOf: RangeError });
  t.false(m.training);
});

test("public: a Matrix over a subarray view at an offset gives the same results as a fresh one", (t) => {
  const rng = new RandomState(3);
  const fresh = { X: rng.randn(4, 3), W1: rng.randn(3, 4), b1: rng.randn(3, 1), W2: rng.randn(1, 3) };
  const parameters = { W1: fresh.W1, b1: fresh.b1, W2: fresh.W2, b2: z(1, 1) };
  const viewParameters = {
    W1: viewMatrix(fresh.W1, 1),
    b1: viewMatrix(fresh.b1, 2),
    W2: viewMatrix(fresh.W2, 3),
    b2: viewMatrix(z(1, 1), 4),
  };
  const a = lModelForward(fresh.X, parameters);
  const b = lModelForward(viewMatrix(fresh.X, 5), viewParameters);
  t.deepEqual(Array.from(b.AL.data), Array.from(a.AL.data));
  const ga = lModelBackward(a.AL, Y(), a.caches);
  const gb = lModelBackward(b.AL, Y(), b.caches);
  for (const key of Object.keys(ga)) t.deepEqual(Array.from(gb[key]!.data), Array.from(ga[key]!.data), key);
  const fa = Model.fromParameters(parameters).fit(fresh.X, Y(), fitOptions);
  const fb = Model.fromParameters(viewParameters).fit(viewMatrix(fresh.X, 7), viewMatrix(Y(), 1), fitOptions);
  t.deepEqual(fb.costs, fa.costs);
});

test("public: an aborted fitAsync rejects with AbortError, not a validation error", async (t) => {
  await t.throwsAsync(model().fitAsync(X(), Y(), { ...fitOptions, signal: AbortSignal.abort() }), {
    instanceOf: AbortError,
  });
});

// ------------------------------------------------------------------ raw native bindings, in children

// Every child starts in test.before, before any test of this file runs (see ChildBatch).
const children = new ChildBatch();
const child = (name: string) => new URL(`./children/${name}`, import.meta.url);
children.add("native-cases", child("native-cases.ts"));
const getterEntries = ["trainIterations", "trainIterationsAsync", "gramBegin", "gramMaterialize"];
for (const entry of getterEntries) {
  children.add(`getter ${entry}`, child("plan-getter-detach.ts"), [entry], { nodeArgs: ["--expose-gc"] });
}
// Not timing assertions: these calls answer at once when they are right; the kill ends a hang. The
// children print "ready" just before the call, so a slow start (ASan, a loaded machine) is not a hang.
children.add("mt-zero-key", child("mt-zero-key.ts"), [], { killAfterReadyMs: 10_000 });
const sparseTargets = ["initializeParametersDeep", "Model", "Matrix.from"];
for (const target of sparseTargets) {
  children.add(`sparse ${target}`, child("sparse-array.ts"), [target], { killAfterReadyMs: 10_000 });
}

test.before(() => children.runAll());

interface ChildLine {
  name: string;
  kind: "start" | "error-case" | "work-case";
  errorName?: string | null;
  message?: string;
  problem?: string;
}

/** The native-cases child's results by case name, how it ended, and the last case it started;
 * parsed once for the ~130 tests that read it. */
let parsedNativeRun: ReturnType<typeof parseNativeRun> | undefined;
const nativeRun = () => (parsedNativeRun ??= parseNativeRun());
async function parseNativeRun() {
  const result = await children.get("native-cases");
  const all = jsonLines<ChildLine>(result.stdout);
  return {
    exit: describeExit(result),
    ok: result.code === 0 && result.signal === null,
    lines: new Map(all.filter((l) => l.kind !== "start").map((l) => [l.name, l])),
    last: all.at(-1)?.name ?? "(none)",
  };
}

/** The child's line for one case, or a failure naming where the child stopped. */
async function nativeLine(t: ExecutionContext, name: string): Promise<ChildLine | undefined> {
  const run = await nativeRun();
  const line = run.lines.get(name);
  if (line === undefined) t.fail(`no result: the child ended (${run.exit}) while running "${run.last}"`);
  return line;
}

test("native: the child running every raw-binding case exits with code 0 and no signal", async (t) => {
  const run = await nativeRun();
  t.true(run.ok, `child ended with ${run.exit}; last case started: ${run.last}`);
  t.true(nativeErrorCases.length >= 60, `${nativeErrorCases.length} native error cases`);
});

for (const c of nativeErrorCases) {
  test(`native: ${c.name}`, async (t) => {
    const line = await nativeLine(t, c.name);
    if (line === undefined) return;
    t.is(line.errorName, c.error.name, `${c.name}: ${line.message}`);
    t.regex(line.message ?? "", c.message);
  });
}

for (const c of nativeWorkCases) {
  test(`native works: ${c.name}`, async (t) => {
    const line = await nativeLine(t, c.name);
    if (line === undefined) return;
    t.is(line.problem, "");
  });
}

/** The single {errorName, message} line a one-call child printed, after checking how it ended. */
async function oneCall(t: ExecutionContext, key: string) {
  const result = await children.get(key);
  t.is(result.signal, null, `the child did not finish: ${describeExit(result)}`);
  t.is(result.code, 0, describeExit(result));
  const [line] = jsonLines<{ errorName: string | null; message: string }>(result.stdout);
  return line;
}

for (const entry of getterEntries) {
  test(`native: ${entry} re-checks a buffer that a later plan getter detached (no use after free)`, async (t) => {
    const line = await oneCall(t, `getter ${entry}`);
    t.true(
      line?.errorName === "TypeError" || line?.errorName === "RangeError",
      `expected a TypeError or RangeError, got ${line?.errorName}: ${line?.message}`,
    );
    t.regex(line?.message ?? "", /plan\.W\[0\]|detached/);
  });
}

test("native: mtRandn refuses an all-zero MT key instead of looping forever", async (t) => {
  const line = await oneCall(t, "mt-zero-key");
  t.is(line?.errorName, "RangeError", line?.message);
  t.regex(line?.message ?? "", /^mtRandn: .*(zero|state|key)/i);
});

for (const target of sparseTargets) {
  test(`public: ${target} refuses a sparse array claiming 2^32 - 1 elements without walking it`, async (t) => {
    const line = await oneCall(t, `sparse ${target}`);
    t.true(
      line?.errorName === "RangeError" || line?.errorName === "TypeError",
      `expected a RangeError or TypeError, got ${line?.errorName}: ${line?.message}`,
    );
    t.regex(line?.message ?? "", new RegExp(`^${target.replace(".", "\\.")}: `));
  });
}
