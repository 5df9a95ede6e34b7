// Which of OpenBLAS's x86-64 kernels this CPU can execute, from the flags in /proc/cpuinfo.
import { readFileSync } from "node:fs";

const AVX512 = ["avx512f", "avx512dq", "avx512cd", "avx512bw", "avx512vl"];

/**
 * The instruction sets each kernel of OpenBLAS's x86-64 DYNAMIC_ARCH build uses, as /proc/cpuinfo
 * names them (pni is SSE3), strongest first. OPENBLAS_CORETYPE may name any of them on any CPU, and
 * OpenBLAS obeys: a kernel using instructions the CPU lacks dies of SIGILL at its first product.
 */
export const OPENBLAS_X86_KERNELS: Readonly<Record<string, readonly string[]>> = {
  Cooperlake: [...AVX512, "avx512_bf16"],
  SkylakeX: AVX512,
  Zen: ["avx2", "fma"],
  Haswell: ["avx2", "fma"],
  Excavator: ["avx2", "fma", "fma4"],
  Steamroller: ["avx", "fma", "fma4"],
  Piledriver: ["avx", "fma", "fma4"],
  Bulldozer: ["avx", "fma4"],
  Sandybridge: ["avx"],
  Nehalem: ["sse4_2"],
  Penryn: ["sse4_1"],
  Core2: ["ssse3"],
  Atom: ["ssse3"],
  Barcelona: ["pni"],
  Prescott: ["pni"],
};

/** The CPU's flags, or undefined where /proc/cpuinfo is not there to read (not Linux). */
export function cpuFlags(): Set<string> | undefined {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("flags"));
    return new Set((line ?? "").split(":")[1]?.trim().split(/\s+/) ?? []);
  } catch {
    return undefined;
  }
}

/** What the named kernel needs and the CPU lacks; empty for a kernel outside the table (not x86). */
export function missingFeatures(kernel: string, flags: ReadonlySet<string>): string[] {
  return (OPENBLAS_X86_KERNELS[kernel] ?? []).filter((f) => !flags.has(f));
}

/** Every kernel of the table this CPU can run, strongest first. */
export function runnableKernels(flags: ReadonlySet<string>): string[] {
  return Object.keys(OPENBLAS_X86_KERNELS).filter((k) => missingFeatures(k, flags).length === 0);
}

/**
 * The kernel blasnet names when OPENBLAS_CORETYPE is unset, or undefined to leave OpenBLAS's own
 * choice. OpenBLAS 0.3.21 does not recognise some current Xeons and AMD parts and falls back to
 * Prescott (5x slower dgemm); SkylakeX and Haswell cover every CPU with AVX-512 or AVX2 and FMA.
 */
export function preferredKernel(flags: ReadonlySet<string>): string | undefined {
  return ["SkylakeX", "Haswell"].find((k) => missingFeatures(k, flags).length === 0);
}
