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

// Code written for AVX2 with FMA (intrinsics), compiled beside the baseline and run only where
// cpu_has_avx2_fma() says the CPU has both: Adam's exact quotients, the step's products.
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define BLASNET_FMA_TARGET __attribute__((target("avx2,fma")))
#define BLASNET_FMA_INLINE __attribute__((target("avx2,fma"), always_inline)) inline

namespace blasnet {

inline bool cpu_has_avx2_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

}  // namespace blasnet
#endif
