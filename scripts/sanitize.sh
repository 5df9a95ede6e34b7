#!/usr/bin/env bash
# Builds the addon with AddressSanitizer + UndefinedBehaviorSanitizer into build-asan/, runs the
# whole test suite against it with the ASan runtime preloaded into node (any report fails the run),
# then runs the soak under LeakSanitizer and fails on any leak allocated by blasnet's own code.
set -euo pipefail
cd "$(dirname "$0")/.."

npx cmake-js compile --out build-asan --CDBLASNET_SANITIZE=ON --config RelWithDebInfo >/tmp/blasnet-asan-build.log 2>&1 ||
  { tail -30 /tmp/blasnet-asan-build.log; exit 1; }
addon="$PWD/build-asan/RelWithDebInfo/blasnet.node"
[ -f "$addon" ] || addon="$PWD/build-asan/Release/blasnet.node"

# Node itself is not built with ASan: its own allocations at exit are not ours to report, so leak
# detection is off here (the leak check is a separate job); every other error aborts the process,
# which the tests notice as a crash.
export LD_PRELOAD="$(gcc -print-file-name=libasan.so) $(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:halt_on_error=1:detect_odr_violation=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
export BLASNET_ADDON_PATH="$addon"
echo "sanitize: running the test suite against $addon"
npx ava "$@"

echo "sanitize: LeakSanitizer over the soak (training, small calls, fitAsync runs)"
echo "sanitize: its RSS lines are not a verdict here (ASan holds freed memory in quarantine); LSan's report is"
report=$(mktemp)
ASAN_OPTIONS="detect_leaks=1:detect_odr_violation=0" node --expose-gc --import tsx scripts/soak.ts --quick 2>"$report" || true
node scripts/lsan-ours.mjs <"$report"
rm -f "$report"
