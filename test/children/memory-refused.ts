// Child process of memory.test.ts: allocations the system refuses although they are within the
// memory limit. The process caps its own address space (prlimit --as) at 256 MiB above what it
// uses, so the next allocation of more fails: a native one (the raw gemm's scratch for its split
// K blocks, a std::bad_alloc) and JavaScript ones (V8's "Array buffer allocation failed"). Each
// must be a RangeError naming the bytes. The slack leaves V8 room for its own heap: when it cannot
// commit that, V8 aborts, whatever blasnet does. Prints one JSON line and exits 0, or
// {unavailable} without prlimit or under AddressSanitizer.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Matrix, Model, memoryInfo, setMemoryLimit, setNumThreads } from "../../lib/index.js";
import { native } from "../../lib/native.js";
import { errorOf, printJson as print } from "../helpers/child.js";

// Under AddressSanitizer (npm run test:sanitize) a refused operator new reports and aborts by
// design, whatever the program would do with a std::bad_alloc: nothing to test there.
if (process.env.ASAN_OPTIONS !== undefined) {
  print({ unavailable: "AddressSanitizer's allocator aborts on a refused operator new" });
  process.exit(0);
}
setNumThreads(1);
setMemoryLimit(Number.MAX_SAFE_INTEGER); // only the system refuses here
// A product deep enough to run as four K blocks: its scratch is 3 * n * n doubles (273.4 MiB);
// A and B are never touched, so they take address space but no memory.
const n = 3456;
const K = 8 * n;
const C = new Float64Array(n * n);
const A = new Float64Array(n * K);
const B = new Float64Array(K * n);
const vmSize = Number(/VmSize:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))![1]) * 1024;
try {
  execFileSync("prlimit", [`--pid=${process.pid}`, `--as=${vmSize + 256 * 2 ** 20}`], { stdio: "ignore" });
} catch (error) {
  print({ unavailable: `prlimit failed: ${(error as Error).message}` });
  process.exit(0);
}
const gemm = errorOf(() => native.gemm(C, A, B, n, n, K, false, false, 1, 0));
const afterGemm = memoryInfo().inUse;
const zeros = errorOf(() => Matrix.zeros(16384, 16384));
const model = errorOf(() => new Model([16384, 16384, 1]));
print({ gemm, afterGemm, zeros, model, inUse: memoryInfo().inUse });
