// npm install hook: make sure the system can build the addon (OpenBLAS, cmake, a C++ compiler),
// then build it with cmake-js. Prints a few plain lines, never a page of CMake noise.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const say = (line) => console.log(`blasnet: ${line}`);
const manualHint =
  "install the Debian/Ubuntu packages libopenblas-dev cmake g++ (sudo apt-get install libopenblas-dev cmake g++), then run npm install again";

function onPath(command) {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

function hasOpenBlas() {
  const includeDirs = ["/usr/include", "/usr/local/include", "/opt/OpenBLAS/include"];
  const libDirs = ["/usr/lib", "/usr/local/lib", "/usr/lib64", "/opt/OpenBLAS/lib"];
  for (const base of ["/usr/include", "/usr/lib"]) {
    for (const entry of safeList(base)) {
      if (entry.endsWith("-linux-gnu")) {
        includeDirs.push(path.join(base, entry));
        libDirs.push(path.join(base, entry));
      }
    }
  }
  const header = includeDirs.some((dir) => existsSync(path.join(dir, "cblas.h")));
  const library = libDirs.some((dir) => safeList(dir).some((f) => /^libopenblas[^/]*\.so/.test(f)));
  return header && library;
}

function safeList(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function missingPackages() {
  const missing = [];
  if (!hasOpenBlas()) missing.push("libopenblas-dev");
  if (!onPath("cmake")) missing.push("cmake");
  if (!onPath("c++") && !onPath("g++")) missing.push("g++");
  return missing;
}

function aptInstall(packages) {
  const allowed = process.env.BLASNET_NO_APT !== "1";
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!allowed || !isRoot || !onPath("apt-get")) {
    const why = !allowed ? " (BLASNET_NO_APT=1)" : "";
    say(`missing ${packages.join(", ")}${why}: ${manualHint}.`);
    process.exit(1);
  }
  say(`missing ${packages.join(", ")}: installing with apt-get (set BLASNET_NO_APT=1 to stop this)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  // apt's own chatter is shown only when it fails.
  const quiet = { stdio: ["ignore", "pipe", "pipe"], env, encoding: "utf8" };
  try {
    execFileSync("apt-get", ["update", "-qq"], quiet);
    execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], quiet);
  } catch (error) {
    console.error(`${error.stdout ?? ""}${error.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n"));
    say(`apt-get could not install ${packages.join(", ")}: ${manualHint}.`);
    process.exit(1);
  }
}

function buildAddon() {
  const require = createRequire(import.meta.url);
  const cmakeJs = require.resolve("cmake-js/bin/cmake-js");
  const args = [cmakeJs, "compile", "--directory", root];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n");
    console.error(output.slice(-25).join("\n"));
    say(`building the native addon failed (output above); after fixing, run npm run build:native.`);
    process.exit(1);
  }
  say("native addon built (build/Release/blasnet.node)");
}

const missing = missingPackages();
if (missing.length > 0) aptInstall(missing);
buildAddon();
