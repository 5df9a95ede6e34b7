#!/usr/bin/env bash
# The kernel-dependent tests (thread-count bit identity, kernels against plain loops) once under
# each OpenBLAS core type blasnet may pick on this CPU: Haswell wherever AVX2 and FMA exist,
# SkylakeX where AVX-512 does too. A kernel named in OPENBLAS_CORETYPE is chosen at library load,
# so each runs in its own ava process.
set -euo pipefail
cd "$(dirname "$0")/.."

flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
cores=()
has avx2 fma && cores+=(Haswell)
has avx512f avx512dq avx512cd avx512bw avx512vl && cores+=(SkylakeX)
if [ ${#cores[@]} -eq 0 ]; then
  echo "test-cores: this CPU has neither AVX2 nor AVX-512; nothing to run"
  exit 0
fi
for core in "${cores[@]}"; do
  echo "test-cores: OPENBLAS_CORETYPE=$core"
  OPENBLAS_CORETYPE=$core npx ava test/threads.test.ts test/properties.test.ts
done
