// A product of small depth, C = alpha * A op(B) with A (M, K) and op(B) (K, N) row-major (B itself
// (N, K) when transposed) and K at most kMaxShallowDepth, by a kernel of blasnet's own: each value
// of C is summed over k in order by FMAs from +0, scaled by alpha, then has +0 added, as OpenBLAS's
// Haswell and Zen dgemm kernels do within one block of depth (they block K by 256) with beta 0: in
// float64 the same bits as dgemm on an AVX2 machine (an odd M's last row, which dgemm sums
// otherwise, is left to dgemm). In float32 every value is summed so; sgemm's own bits depend on
// where its blocks start.
// A mini-batch step's dW1 = (1/b) dZ1 X_b (X_b's examples as rows, depth = the batch) spent about a
// sixth of its time in OpenBLAS packing both operands and zeroing C before summing into it; this
// kernel packs only a column strip of op(B) (K by two registers, kept in L1 for every row of A) and
// writes C once. Examples as columns (dW = (1/b) dZ A_prev^T) take the transposed strip, so a step
// gives the same bits whichever way its batch is laid out.
#pragma once

namespace blasnet {

constexpr int kMaxShallowDepth = 256;

// Computes C (ldc) and returns true, or returns false and touches nothing: K outside
// [1, kMaxShallowDepth], or a CPU without AVX2 and FMA (the caller then calls gemm).
template <typename T>
bool shallow_gemm(bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T* C,
                  int ldc);

}  // namespace blasnet
