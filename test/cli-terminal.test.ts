// What the command line draws for a person: the progress bar and the cost chart appear on a
// terminal's stderr, and never when stderr is piped, under CI, or with --quiet / --json.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import test from "ava";
import { runCli } from "../lib/cli/run.js";
import { costChart, interactive } from "../lib/cli/terminal.js";

test("interactive needs a terminal on stderr and no CI, --quiet or --json", (t) => {
  const io = (isTTY: boolean, env: Record<string, string> = {}) => ({
    stdout: { write: () => true },
    stderr: { write: () => true, isTTY },
    env,
  });
  t.true(interactive(io(true), {}));
  t.false(interactive(io(false), {}));
  t.false(interactive(io(true, { CI: "true" }), {}));
  t.false(interactive(io(true, { CI: "1" }), {}));
  t.true(interactive(io(true, { CI: "false" }), {}));
  t.true(interactive(io(true, { CI: "" }), {}));
  t.false(interactive(io(true), { quiet: true }));
  t.false(interactive(io(true), { json: true }));
});

test("costChart draws both curves and a legend", (t) => {
  const chart = costChart([1, 0.5, 0.25], [1.1, 0.7, 0.6]);
  t.true(chart.split("\n").length >= 9);
  t.regex(chart, /training cost/);
  t.regex(chart, /validation cost/);
  t.regex(chart, /1\.1000/); // the highest cost labels the top of the axis
});

test("train on a terminal draws the progress bar and the chart on stderr, and not when piped", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "blasnet-cli-tty-"));
  try {
    const csv = join(dir, "data.csv");
    const rows = Array.from({ length: 30 }, (_, j) => `${j % 2 ? 1 : -1},${j / 30},${j % 2 ? "b" : "a"}`);
    await writeFile(csv, ["u,v,label", ...rows].join("\n") + "\n");
    const runOn = async (isTTY: boolean) => {
      let stdout = "";
      let stderr = "";
      const stderrStream = { write: (s: string) => ((stderr += s), true), isTTY, columns: 100 };
      const argv = ["train", "--data", csv, "--target", "label", "--save", join(dir, "m.safetensors")];
      const code = await runCli([...argv, "--epochs", "5"], {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: stderrStream,
        env: {},
      });
      return { code, stdout, stderr };
    };
    const tty = await runOn(true);
    t.is(tty.code, 0, tty.stderr);
    t.regex(tty.stderr, /training \|.*\| epoch \d\/5/);
    t.regex(tty.stderr, /training cost/);
    t.regex(tty.stdout, /^trained \[2, 64, 32, 1\]/);
    const piped = await runOn(false);
    t.is(piped.code, 0);
    t.is(piped.stderr, "");
    t.regex(piped.stdout, /^trained \[2, 64, 32, 1\]/); // the same results on stdout either way
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
