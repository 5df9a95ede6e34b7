// Prints, one per line, each OpenBLAS x86 kernel this CPU can run (for scripts/test-cores.sh).
import { cpuFlags, runnableKernels } from "../lib/cpu-kernels.js";

const flags = cpuFlags();
if (flags !== undefined) for (const kernel of runnableKernels(flags)) console.log(kernel);
