// Elementwise loops are compiled for AVX-512 and AVX2 beside the baseline, and the loader picks the
// widest the CPU runs (GCC function multiversioning). Without it the addon vectorises for SSE2
// only, and Adam's divisions and square roots cost as much as the step's GEMMs at batch 64.
// The clones give the same bits: each element sees the same IEEE operations in the same order
// (-ffp-contract=off keeps multiplies and adds unfused on every target, and no reduction is
// reassociated), so only the vector width differs.
#pragma once

#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__) && !defined(BLASNET_NO_CLONES)
#define BLASNET_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BLASNET_VECTOR_CLONES
#endif
