// The command line's two kinds of failure and their exit codes: 2 when the command line itself is
// wrong (an unknown option, a malformed or missing value), 1 when a run with a good command line
// fails (a file missing or malformed, a column not there, training that diverged).

/** Exit codes: 0 success, 1 a failed run, 2 bad usage. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

/** An error whose message is the one line the user sees, and the exit code that goes with it. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The command line is wrong: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}

/** The run failed on its input or its work: exit 1. */
export function inputError(message: string): CliError {
  return new CliError(message, EXIT.failed);
}

/**
 * The one line to print for any error: a CliError's message as it is; a library error's without
 * its leading "function: " (the command names the context); a Node I/O error's code and path.
 */
export function oneLine(error: unknown): string {
  let text: string;
  if (error instanceof CliError) text = error.message;
  else if (error instanceof Error) {
    const io = error as NodeJS.ErrnoException;
    if (io.code === "ENOENT" && io.path !== undefined) text = `${io.path}: no such file or directory`;
    else if (io.code === "EACCES" && io.path !== undefined) text = `${io.path}: permission denied`;
    else if (io.code === "EISDIR" && io.path !== undefined) text = `${io.path}: is a directory`;
    else text = error.message.replace(/^[A-Za-z.]+: /, "");
  } else text = String(error);
  return text.replace(/\s*\n\s*/g, " ").trim();
}
