// Products OpenBLAS's own threads leave a core idle on: one output dimension of a few rows (a
// first layer's n_1), or an inner dimension that dwarfs the output (X times something small).
// OpenBLAS 0.3.21 runs W1 X for the cat data (20 x 12288 x 209) at the speed of one core with two
// threads; split into blocks on threads of ours, each calling single-threaded BLAS, it runs at two.
#pragma once

#include <cstddef>

#include "thread_team.h"

namespace blasnet {

// Where a split product gets its threads and, for inner-dimension splits, its partial sums.
template <typename T>
struct GemmTeam {
  ThreadTeam* team = nullptr;  // null or one thread: every product is one plain BLAS call
  T* scratch = nullptr;        // parallel_gemm_scratch(...) elements for the largest product
};

// Elements of scratch that parallel_gemm needs for this shape (0 when it would not split the
// inner dimension).
size_t parallel_gemm_scratch(int M, int N, int K);

// As gemm. Inner-dimension products (when team.scratch is set) always run as the same blocks, added
// in the same order, even on one thread; row and column splits leave every element's sum as one
// BLAS call makes it. So results never depend on the thread count.
template <typename T>
void parallel_gemm(const GemmTeam<T>& team, bool transA, bool transB, int M, int N, int K, T alpha,
                   const T* A, const T* B, T beta, T* C);

// Whether any product of this shape would be split (a run that has none needs no team).
bool parallel_gemm_splits(int M, int N, int K);

}  // namespace blasnet
