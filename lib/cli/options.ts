// Parsers for option values: each throws commander's InvalidArgumentError, which commander turns
// into one line naming the option, and the command into exit code 2.
import { InvalidArgumentError } from "commander";

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new InvalidArgumentError("expected an integer >= 1.");
  }
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError("expected an integer.");
  return n;
}

export function positiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0)
    throw new InvalidArgumentError("expected a number > 0.");
  return n;
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError("expected a number >= 0.");
  return n;
}

/** A probability in (0, 1]: --keep-prob. */
export function keepProbability(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n > 0 && n <= 1))
    throw new InvalidArgumentError("expected a number in (0, 1].");
  return n;
}

/** A fraction in [0, 1): --validation-split. */
export function fraction(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n < 1))
    throw new InvalidArgumentError("expected a number in [0, 1).");
  return n;
}

/** Hidden layer sizes, "64,32"; "" or "none" for no hidden layer. */
export function layerList(value: string): number[] {
  if (value.trim() === "" || value.trim() === "none") return [];
  return value.split(",").map((part) => {
    const n = Number(part.trim());
    if (!/^\s*\d+\s*$/.test(part) || !Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError(
        `expected comma-separated integers >= 1 (like 64,32), received "${part}".`,
      );
    }
    return n;
  });
}
