// Builders of model files for the bad-file tests: a valid file taken apart into its header and
// data, and reassembled from a header edited as JSON or text.
import { Model } from "../../lib/index.js";

/** The header JSON text and the data bytes of a model file. */
export function splitFile(bytes: Uint8Array): { header: string; data: Buffer } {
  const buffer = Buffer.from(bytes);
  const n = Number(buffer.readBigUInt64LE(0));
  return { header: buffer.subarray(8, 8 + n).toString("utf8"), data: buffer.subarray(8 + n) };
}

/** A file from a header text (its length written as given, or `declaredLength`) and data bytes. */
export function joinFile(header: string, data: Uint8Array, declaredLength?: bigint): Buffer {
  const json = Buffer.from(header, "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(declaredLength ?? BigInt(json.length));
  return Buffer.concat([length, json, data]);
}

/** A file from a header object edited by `edit` (the data kept). */
export function editHeader(bytes: Uint8Array, edit: (header: Record<string, unknown>) => void): Buffer {
  const { header, data } = splitFile(bytes);
  const parsed = JSON.parse(header);
  edit(parsed);
  return joinFile(JSON.stringify(parsed), data);
}

/** The file of a small [3, 2, 1] model. */
export function smallFile(dtype: "float64" | "float32" = "float64"): Uint8Array {
  return new Model([3, 2, 1], { seed: 4, dtype }).toBuffer();
}
