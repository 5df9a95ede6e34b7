// What the command line draws for a person at a terminal: the progress bar (cli-progress) and the
// cost chart (asciichart), both on stderr, and only when stderr is a terminal and not under CI.
import asciichart from "asciichart";
import cliProgress from "cli-progress";

/** Where a command writes: results to stdout, everything else to stderr. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown; isTTY?: boolean };
  env: Record<string, string | undefined>;
}

/** Whether to draw for a person: stderr is a terminal, CI is unset (or "0"/"false"), not --quiet/--json. */
export function interactive(io: CliIO, flags: { quiet?: boolean; json?: boolean }): boolean {
  const ci = io.env.CI;
  const underCi = ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
  return io.stderr.isTTY === true && !underCi && !flags.quiet && !flags.json;
}

/** A training progress bar: epochs done, the latest cost. */
export interface Progress {
  update(epochsDone: number, cost: number | undefined): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** A progress bar on stderr when `draw`, else one that does nothing. */
export function progressBar(io: CliIO, draw: boolean, epochs: number): Progress {
  if (!draw) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: "training |{bar}| epoch {value}/{total} | cost {cost} | {duration_formatted}",
      stream: io.stderr as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(epochs, 0, { cost: "-" });
  return {
    update(done, cost) {
      bar.update(done, { cost: cost === undefined ? "-" : cost.toFixed(5) });
    },
    stop() {
      bar.stop();
    },
  };
}

/** A small chart of the costs per epoch: training in blue, validation in red. */
export function costChart(train: readonly number[], validation?: readonly number[]): string {
  const finite = (values: readonly number[]) => values.map((v) => (Number.isFinite(v) ? v : NaN));
  const series = [finite(train), ...(validation === undefined ? [] : [finite(validation)])];
  // asciichart draws one column per value: keep at most 60 by sampling evenly.
  const sampled = series.map((s) =>
    s.length <= 60 ? s : Array.from({ length: 60 }, (_, i) => s[Math.round((i * (s.length - 1)) / 59)]!),
  );
  const chart = asciichart.plot(sampled, {
    height: 8,
    colors: [asciichart.blue, asciichart.red],
    format: (x: number) => x.toFixed(4).padStart(9),
  });
  const legend = `${asciichart.blue}── training cost${asciichart.reset}${
    validation === undefined ? "" : `   ${asciichart.red}── validation cost${asciichart.reset}`
  }   (per epoch)`;
  return `${chart}\n${legend}\n`;
}
