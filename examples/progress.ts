// A one-line terminal progress bar for the examples (drawn only when stderr is a terminal).

export interface ProgressBar {
  update(done: number, total: number, note?: string): void;
  /** Prints a line above the bar without garbling it. */
  log(line: string): void;
  done(): void;
}

/**
 * A progress bar on stderr, or a no-op one when stderr is not a TTY (logs still print).
 * @example const bar = progressBar("training"); bar.update(10, 100); bar.done();
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  const interactive = stream.isTTY === true;
  let last = "";
  const clear = () => {
    if (interactive && last !== "") stream.write("\r\x1b[K");
  };
  return {
    update(done, total, note = "") {
      if (!interactive) return;
      const width = 30;
      const filled = Math.round((width * done) / Math.max(total, 1));
      last = `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${note}`;
      stream.write(`\r\x1b[K${last}`);
    },
    log(line) {
      clear();
      console.log(line);
      if (interactive && last !== "") stream.write(last);
    },
    done() {
      clear();
      last = "";
    },
  };
}
