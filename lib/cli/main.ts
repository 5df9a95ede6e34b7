#!/usr/bin/env node
// The `blasnet` executable (package.json "bin"): runs the command line and sets the exit code.
import { runCli } from "./run.js";

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
