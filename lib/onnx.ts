// Models as ONNX graphs: Gemm and activation nodes over the model's W and b as initializers, input
// [batch, n_0] with examples as rows (the ONNX convention, the transpose of blasnet's columns),
// output [batch, n_L] probabilities, in the model's dtype. Encoded with onnx-proto, the ONNX
// protobuf messages generated for protobufjs.
import onnxProto from "onnx-proto";
import { LEAKY_RELU_ALPHA } from "./activations.js";
import { writeFileAtomic } from "./atomic-write.js";
import { type SavableModel, assertPath, contentsOf } from "./model-file.js";
import { ACTIVATIONS, HIDDEN, OUTPUTS } from "./native.js";
import type { Hidden, Output } from "./types.js";

const { onnx } = onnxProto;

/** The opset the graph needs: Gemm, Relu, Tanh, LeakyRelu, Sigmoid and Softmax (axis 1) as in 13. */
const OPSET = 13;
/** ONNX IR version 8, what onnx-proto's ONNX 1.10 writes and every current runtime reads. */
const IR_VERSION = 8;

function tensorType(elemType: number, dims: (number | string)[]) {
  return {
    tensorType: {
      elemType,
      shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
    },
  };
}

/**
 * The ONNX model bytes of a model: per layer `Gemm(A, W_l, b_l, transB=1)` then its activation;
 * input "X" [batch, n_0], output "probabilities" [batch, n_L].
 * @throws {RangeError} for an activation ONNX export does not know
 */
export function encodeOnnx(model: SavableModel): Uint8Array {
  const { layerDims, dtype, hidden, output, parameters } = contentsOf(model);
  // Each activation's ONNX op comes from the table; null for leaky relu (see below).
  const hiddenOp = (HIDDEN as readonly string[]).includes(hidden)
    ? ACTIVATIONS[hidden as Hidden].onnx
    : undefined;
  const outputOp = (OUTPUTS as readonly string[]).includes(output)
    ? ACTIVATIONS[output as Output].onnx
    : undefined;
  if (hiddenOp === undefined || outputOp === undefined) {
    throw new RangeError(`exportOnnx: cannot export activations ${hidden} / ${output}`);
  }
  const elemType = dtype === "float64" ? onnx.TensorProto.DataType.DOUBLE : onnx.TensorProto.DataType.FLOAT;
  const raw = (data: Float64Array) => {
    const typed = dtype === "float64" ? Float64Array.from(data) : Float32Array.from(data);
    // Typed arrays are in the platform's byte order, little-endian on every platform Node supports,
    // which is what raw_data requires.
    return new Uint8Array(typed.buffer);
  };
  const L = layerDims.length - 1;
  const initializer = [];
  const node = [];
  let input = "X";
  for (let l = 1; l <= L; l++) {
    const W = parameters[`W${l}`]!;
    const b = parameters[`b${l}`]!;
    initializer.push({ name: `W${l}`, dataType: elemType, dims: [W.rows, W.cols], rawData: raw(W.data) });
    // b as [n_l], broadcast over the batch rows by Gemm.
    initializer.push({ name: `b${l}`, dataType: elemType, dims: [b.rows], rawData: raw(b.data) });
    node.push({
      opType: "Gemm",
      name: `gemm${l}`,
      input: [input, `W${l}`, `b${l}`],
      output: [`Z${l}`],
      attribute: [{ name: "transB", type: onnx.AttributeProto.AttributeType.INT, i: 1 }],
    });
    const last = l === L;
    const out = last ? "probabilities" : `A${l}`;
    if (last) {
      const attribute =
        outputOp === "Softmax" ? [{ name: "axis", type: onnx.AttributeProto.AttributeType.INT, i: 1 }] : [];
      node.push({
        opType: outputOp,
        name: `${outputOp.toLowerCase()}${l}`,
        input: [`Z${l}`],
        output: [out],
        attribute,
      });
    } else if (hiddenOp !== null) {
      node.push({ opType: hiddenOp, name: `${hiddenOp.toLowerCase()}${l}`, input: [`Z${l}`], output: [out] });
    } else {
      // Leaky relu as Max(Z, alpha * Z): the same values for every Z (alpha < 1), and onnxruntime
      // has no double LeakyRelu kernel.
      node.push({ opType: "Mul", name: `alpha${l}`, input: [`Z${l}`, "alpha"], output: [`alphaZ${l}`] });
      node.push({ opType: "Max", name: `leakyrelu${l}`, input: [`Z${l}`, `alphaZ${l}`], output: [out] });
    }
    input = out;
  }
  if (hidden === "leakyRelu" && L > 1) {
    initializer.push({
      name: "alpha",
      dataType: elemType,
      dims: [],
      rawData: raw(Float64Array.of(LEAKY_RELU_ALPHA)),
    });
  }
  const message = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: "blasnet",
    opsetImport: [{ domain: "", version: OPSET }],
    graph: {
      name: "blasnet",
      node,
      initializer,
      input: [{ name: "X", type: tensorType(elemType, ["batch", layerDims[0]!]) }],
      output: [{ name: "probabilities", type: tensorType(elemType, ["batch", layerDims[L]!]) }],
    },
  });
  return onnx.ModelProto.encode(message).finish();
}

/** Writes a model's ONNX graph atomically (lib/atomic-write.ts). */
export async function exportOnnx(fn: string, model: SavableModel, path: unknown): Promise<void> {
  assertPath(fn, path);
  await writeFileAtomic(fn, path, encodeOnnx(model));
}
