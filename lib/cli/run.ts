// The blasnet command: its subcommands and options (commander), and the rule that every failure is
// one line on stderr and an exit code (0 success, 1 a failed run, 2 bad usage), never a stack trace.
import { Command, CommanderError, Option } from "commander";
import { HIDDEN, OUTPUTS } from "../native.js";
import { CliError, EXIT, oneLine, usageError } from "./errors.js";
import { blasnetVersion, infoCommand } from "./info.js";
import {
  fraction,
  integer,
  keepProbability,
  layerList,
  nonNegativeNumber,
  positiveInteger,
  positiveNumber,
} from "./options.js";
import type { CliIO } from "./terminal.js";
import { type TrainFlags, train } from "./train.js";
import { evaluateCommand, exportCommand, predictCommand } from "./use.js";

/** --json and --quiet, which every command takes (commander adds --help). */
function withOutputFlags(command: Command): Command {
  return command
    .option("--json", "print the results as one JSON value on stdout")
    .option("-q, --quiet", "print only the essential results (no progress, chart or summary)");
}

function program(io: CliIO): Command {
  const blasnet = new Command("blasnet")
    .description("Train fully-connected neural networks on CSV, .npz or cat .h5 data, and use them.")
    .version(blasnetVersion(), "-V, --version")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`blasnet: ${text.replace(/^error: /, "")}`),
    })
    .addHelpText(
      "after",
      "\nExit codes: 0 success, 1 a failed run (bad data or model file, training diverged), 2 bad usage.\n" +
        "Run blasnet <command> --help for a command's options.",
    );

  withOutputFlags(
    blasnet
      .command("train")
      .description("train a classifier and save it (with its feature scaling and class names)")
      .requiredOption("--data <file>", "training data: CSV with a header, .npz (X, y) or a cat .h5 file")
      .option("--target <column>", "the CSV column to predict (required for CSV)")
      .requiredOption("--save <file>", "where to write the model (.safetensors)")
      .option(
        "--layers <sizes>",
        'hidden layer sizes, e.g. 64,32 ("none" for no hidden layer)',
        layerList,
        [64, 32],
      )
      .addOption(new Option("--hidden <activation>", "hidden activation").choices(HIDDEN).default("relu"))
      .addOption(
        new Option("--output <head>", "output head: auto is sigmoid for two classes, softmax for more")
          .choices(["auto", ...OUTPUTS])
          .default("auto"),
      )
      .addOption(
        new Option("--scale <method>", "feature scaling, stored in the model file")
          .choices(["standard", "minmax", "none"])
          .default("standard"),
      )
      .option("--epochs <n>", "passes over the training data", positiveInteger, 20)
      .option("--batch-size <n>", "mini-batch size", positiveInteger, 64)
      .addOption(
        new Option("--optimizer <name>", "optimizer").choices(["gd", "momentum", "adam"]).default("adam"),
      )
      .option("--learning-rate <rate>", "learning rate", positiveNumber, 0.001)
      .option("--l2 <lambda>", "L2 regularisation", nonNegativeNumber, 0)
      .option("--keep-prob <p>", "dropout: the probability of keeping a hidden unit", keepProbability, 1)
      .option(
        "--validation-split <fraction>",
        "fraction of the examples held out for validation",
        fraction,
        0.1,
      )
      .option("--seed <n>", "seed of the weights, the split and the shuffles", integer, 1)
      .addOption(
        new Option("--dtype <dtype>", "precision").choices(["float64", "float32"]).default("float64"),
      )
      .option("--plot <file.svg>", "write the cost per epoch as an SVG"),
  ).action(async (flags: TrainFlags) => train(flags, io));

  withOutputFlags(
    blasnet
      .command("predict")
      .description("write predictions as CSV on stdout: the class name, or with --proba the probabilities")
      .requiredOption("--model <file>", "a model file written by blasnet train")
      .requiredOption("--data <file>", "the data: CSV with the model's feature columns, .npz or .h5")
      .option("--proba", "print one probability column per class instead of the class"),
  ).action(async (flags) => predictCommand(flags, io));

  withOutputFlags(
    blasnet
      .command("evaluate")
      .description("print the accuracy, the cost and the confusion matrix on labelled data")
      .requiredOption("--model <file>", "a model file written by blasnet train")
      .requiredOption("--data <file>", "labelled data: CSV with the target column, .npz with y, or .h5"),
  ).action(async (flags) => evaluateCommand(flags, io));

  withOutputFlags(
    blasnet
      .command("export")
      .description(
        "write the model as ONNX or numpy .npz, with its feature scaling folded into the first layer",
      )
      .requiredOption("--model <file>", "a model file written by blasnet train")
      .option("--onnx <file>", "write an ONNX graph")
      .option("--npz <file>", "write W1, b1, ... as an .npz archive"),
  ).action(async (flags: { model: string; onnx?: string; npz?: string; json?: boolean; quiet?: boolean }) => {
    if (flags.onnx === undefined && flags.npz === undefined)
      throw usageError("give --onnx <file> or --npz <file> (or both)");
    await exportCommand(flags, io);
  });

  withOutputFlags(
    blasnet
      .command("info")
      .description("print the blasnet and OpenBLAS versions, the core kernel, threads and memory limit"),
  ).action((flags) => infoCommand(flags, io));

  return blasnet;
}

/**
 * Runs the blasnet command line on `argv` (the arguments after the command's name).
 * @returns the exit code: 0 success, 1 a failed run, 2 bad usage
 * @example process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env })
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const command = argv.find((a) => !a.startsWith("-"));
  try {
    await program(io).parseAsync([...argv], { from: "user" });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its one line (or the help) already.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const where = command === undefined ? "blasnet" : `blasnet ${command}`;
    io.stderr.write(`${where}: ${oneLine(error)}\n`);
    if (io.env.BLASNET_DEBUG && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return error instanceof CliError ? error.exitCode : EXIT.failed;
  }
}
