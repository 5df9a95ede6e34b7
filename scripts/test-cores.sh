#!/usr/bin/env bash
# The kernel-dependent tests (every result checked against numpy or plain loops, thread-count bit
# identity) once under each OpenBLAS kernel this CPU can run (lib/cpu-kernels.ts): a user may name
# any of them in OPENBLAS_CORETYPE. OpenBLAS picks the kernel at library load, so each runs in its
# own ava process. BLASNET_KERNEL_SWEEP shortens the cat runs to their first 500 iterations
# (test/cat-app.test.ts), the longest part of each kernel's pass.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t cores < <(npx tsx scripts/runnable-kernels.ts)
if [ ${#cores[@]} -eq 0 ]; then
  echo "test-cores: no x86 kernel of OpenBLAS's table runs here (not x86-64 Linux); nothing to run"
  exit 0
fi
tests=()
for name in forward linear backward activations cost gradcheck cat-app model examples-as-rows async \
  checkpoint trainer-functional trainer-engine trainer-runs threads properties strip-gemm; do
  tests+=("test/$name.test.ts")
done
for core in "${cores[@]}"; do
  echo "test-cores: OPENBLAS_CORETYPE=$core"
  OPENBLAS_CORETYPE=$core BLASNET_KERNEL_SWEEP=1 npx ava "${tests[@]}"
done
