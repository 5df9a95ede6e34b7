// Argument checks shared by the contender processes: a bad argument is one line on stderr, exit 1.

/** A fail(message) that prints `<prefix>: message` and exits 1. */
export function failWith(prefix: string): (message: string) => never {
  return (message) => {
    process.stderr.write(`${prefix}: ${message}\n`);
    process.exit(1);
  };
}

/** `text` as an integer >= min, or a failure naming the argument. */
export function intArg(
  fail: (message: string) => never,
  name: string,
  text: string | undefined,
  min: number,
): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) fail(`expected ${name} to be an integer >= ${min}, received ${text}`);
  return n;
}
