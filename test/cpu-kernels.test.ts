// OpenBLAS's kernels against the CPU: blasnet names a fast one, and refuses, with an Error instead
// of a SIGILL, one that OPENBLAS_CORETYPE forces onto a CPU without its instructions.
import test from "ava";
import {
  OPENBLAS_X86_KERNELS,
  cpuFlags,
  missingFeatures,
  preferredKernel,
  runnableKernels,
} from "../lib/cpu-kernels.js";
import { describeExit, jsonLines, runTsChild } from "./helpers/child.js";

const zen3 = new Set(["pni", "ssse3", "sse4_1", "sse4_2", "avx", "avx2", "fma"]);
const sapphireRapids = new Set([
  ...zen3,
  "avx512f",
  "avx512dq",
  "avx512cd",
  "avx512bw",
  "avx512vl",
  "avx512_bf16",
]);
const bulldozer = new Set(["pni", "ssse3", "sse4_1", "sse4_2", "avx", "fma4"]);
const oneProduct = new URL("./children/one-product.ts", import.meta.url);

test("every x86 kernel names its instruction sets, so a forced kernel can be checked", (t) => {
  for (const [kernel, needs] of Object.entries(OPENBLAS_X86_KERNELS)) t.true(needs.length > 0, kernel);
  t.deepEqual(missingFeatures("SkylakeX", zen3), ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"]);
  t.deepEqual(missingFeatures("Bulldozer", sapphireRapids), ["fma4"]);
  t.deepEqual(missingFeatures("ARMV8", zen3), [], "a kernel outside the table is never refused");
});

test("the runnable kernels follow the CPU's flags, strongest first", (t) => {
  t.deepEqual(runnableKernels(zen3).slice(0, 3), ["Zen", "Haswell", "Sandybridge"]);
  t.deepEqual(runnableKernels(sapphireRapids).slice(0, 3), ["Cooperlake", "SkylakeX", "Zen"]);
  t.true(runnableKernels(bulldozer).includes("Bulldozer"));
  t.false(runnableKernels(bulldozer).includes("Haswell"));
});

test("blasnet prefers SkylakeX with AVX-512, Haswell with AVX2, else OpenBLAS's own choice", (t) => {
  t.is(preferredKernel(sapphireRapids), "SkylakeX");
  t.is(preferredKernel(zen3), "Haswell");
  t.is(preferredKernel(bulldozer), undefined);
});

const flags = cpuFlags();
const linux = flags === undefined ? test.skip : test;

// OpenBLAS itself falls back from some forced kernels (0.3.21 turns Cooperlake into Haswell on a CPU
// without AVX-512 bf16) and keeps others (SkylakeX on the same CPU): each forced kernel this CPU lacks
// either loads a kernel it can run, or is refused; none may reach a SIGILL.
linux(
  "every kernel this CPU cannot run is refused at import, unless OpenBLAS falls back on its own",
  async (t) => {
    const lacking = Object.keys(OPENBLAS_X86_KERNELS).filter((k) => missingFeatures(k, flags!).length > 0);
    if (lacking.length === 0) {
      t.log("this CPU runs every x86 kernel in the table; nothing to refuse");
      t.pass();
      return;
    }
    const runnable = runnableKernels(flags!);
    for (const kernel of lacking) {
      const result = await runTsChild(oneProduct, [], { env: { OPENBLAS_CORETYPE: kernel } });
      t.is(result.signal, null, `${kernel}: ${describeExit(result)}`);
      if (result.code === 0) {
        const coreName = (jsonLines(result.stdout)[0] as { coreName?: string } | undefined)?.coreName ?? "";
        t.true(runnable.includes(coreName), `${kernel} fell back to "${coreName}"`);
        t.log(`OPENBLAS_CORETYPE=${kernel}: OpenBLAS fell back to ${coreName}`);
        continue;
      }
      t.is(result.code, 1, `${kernel}: ${describeExit(result)}`);
      t.regex(
        result.stderr,
        new RegExp(`OPENBLAS_CORETYPE=${kernel} makes OpenBLAS run its ${kernel} kernel`),
      );
      t.regex(result.stderr, new RegExp(`Unset OPENBLAS_CORETYPE or name one of ${runnable[0]}`));
    }
  },
);

linux("every kernel this CPU can run loads and computes a product", async (t) => {
  for (const kernel of runnableKernels(flags!)) {
    const result = await runTsChild(oneProduct, [], { env: { OPENBLAS_CORETYPE: kernel } });
    t.is(result.code, 0, `${kernel}: ${describeExit(result)}`);
    t.deepEqual(jsonLines(result.stdout), [{ coreName: kernel, Z: [7, 10, 16, 23] }]);
  }
});
