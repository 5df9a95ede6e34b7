// A mini-batch step's products, C = alpha * A op(B) with A (M, K) and op(B) (K, N) row-major (B
// itself (N, K) when transposed), on a kernel of blasnet's own. It packs one column strip of op(B)
// at a time (one block of depth by two registers, kept in L1 for every row of A) and writes C once
// per block of depth, where OpenBLAS packs both operands and zeroes C first: at a batch of 64,
// dW1 = (1/b) dZ1 X_b is only 64 deep and spent a sixth of its time so, and Z1 = W1 X_b (784 deep,
// 64 wide) ran 15 % faster here.
// Each value is summed over k in order by FMAs from +0 within a block of depth, and each block's sum
// is scaled by alpha and added to C (+0 first), the blocks cut where OpenBLAS's Haswell and Zen
// dgemm cut them (256 deep; the last 257 to 511 in two halves on multiples of 4): in float64 the
// same bits as dgemm on an AVX2 machine (an odd M's last row, which dgemm sums otherwise, is left to
// dgemm). In float32 every value is summed so; sgemm's own bits depend on where its blocks start.
// Examples as columns take the transposed strip, so a step gives the same bits whichever way its
// batch is laid out.
#pragma once

namespace blasnet {

constexpr int kDepthBlock = 256;
// Beyond one block of depth, products at most this wide: each strip reads all of A's block again
// (from L2), and OpenBLAS's packed panels win once there are more than eight strips (dW1 at batch
// 1024, 784 wide, ran 12 % slower here).
constexpr int kMaxDeepColumns = 64;

// Whether the kernel should take a product of this width and depth (the whole product's, so that
// every block of a split product runs on the same code).
inline bool strip_gemm_takes(int N, int K) { return K <= kDepthBlock || N <= kMaxDeepColumns; }

// Computes C (ldc) and returns true, or returns false and touches nothing: an empty product, or a
// CPU without AVX2 and FMA (the caller then calls gemm).
template <typename T>
bool strip_gemm(bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T* C,
                int ldc);

}  // namespace blasnet
