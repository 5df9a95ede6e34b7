// Reads a LeakSanitizer report on stdin and prints the leaks allocated by blasnet's own code: those
// whose first frame above the allocator is in native/ or blasnet.node. Node and V8 are not built
// for LSan and report their own process-lifetime allocations, which are not ours to fix.
// Exit code 1 when any leak is ours.
import { readFileSync } from "node:fs";

const report = readFileSync(0, "utf8");
const blocks = report
  .split(/\n(?=(?:Direct|Indirect) leak of )/)
  .filter((b) => /^(Direct|Indirect) leak of /.test(b));
const ours = blocks.filter((block) => {
  const allocator = block.split("\n").find((line) => /^\s+#1 /.test(line)) ?? "";
  return /\/native\/|blasnet\.node/.test(allocator);
});
console.log(
  `lsan: ${blocks.length} leak reports in total, ${ours.length} allocated by blasnet's native code`,
);
for (const block of ours) console.log(block.split("\n").slice(0, 8).join("\n"));
process.exitCode = ours.length > 0 ? 1 : 0;
