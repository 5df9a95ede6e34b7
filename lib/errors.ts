// How blasnet's error text is built, and its own error classes. Messages read
// `<function>: expected <what>, received <what came>`; shapes are written `[rows, cols]`.
// validate.ts builds its checks on these.
import { type Matrix, describe } from "./matrix.js";

export { describe };
export { ModelFormatError } from "./model-format-error.js";

/** `[rows, cols]`, the way every message writes a shape. */
export function shapeOf(m: Pick<Matrix, "rows" | "cols">): string {
  return `[${m.rows}, ${m.cols}]`;
}

/** `"a", "b" or "c"`: a list of allowed strings as messages write it. */
export function oneOfText(allowed: readonly string[]): string {
  const list = allowed.map((a) => `"${a}"`);
  return list.length > 1 ? `${list.slice(0, -1).join(", ")} or ${list.at(-1)}` : (list[0] ?? "");
}

/**
 * One of a list of strings: `fn: expected name "a", "b" or "c", received ...`, a RangeError for an
 * unknown string and a TypeError for anything else.
 */
export function assertOneOf<T extends string>(
  fn: string,
  name: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if (!allowed.includes(value as T)) {
    const kind = typeof value === "string" ? RangeError : TypeError;
    throw new kind(`${fn}: expected ${name} ${oneOfText(allowed)}, received ${describe(value)}`);
  }
}

/** What an aborted fitAsync rejects with: an Error named "AbortError", as Node's own APIs use. */
export class AbortError extends Error {
  override readonly name = "AbortError";
  readonly code = "ABORT_ERR";
}
