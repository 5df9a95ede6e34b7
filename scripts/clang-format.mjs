// Runs clang-format (the binary shipped in the clang-format npm package) over native/:
// --check fails on any difference, --fix rewrites the files.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const nativeDir = path.join(root, "native");
const files = readdirSync(nativeDir)
  .filter((f) => /\.(cc|h)$/.test(f))
  .map((f) => path.join(nativeDir, f));
const binary = createRequire(import.meta.url)("clang-format").getNativeBinary();
const fix = process.argv.includes("--fix");
const args = fix ? ["-i", ...files] : ["--dry-run", "--Werror", ...files];
const result = spawnSync(binary, args, { stdio: "inherit" });
if (result.status !== 0) {
  console.error("clang-format: native/ is not formatted; run npm run format");
  process.exit(result.status ?? 1);
}
