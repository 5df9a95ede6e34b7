// What gemm.cc shares with parallel_gemm.cc: the raw strided product and the BLAS-time meter.
#pragma once

#include <chrono>

namespace blasnet {

// C (M, N) = alpha * op(A) op(B) + beta * C with explicit row-major leading dimensions, so a
// caller can address a block of a larger matrix. Untimed: callers wrap it in a BlasTimer.
template <typename T>
void gemm_strided(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                  int ldb, T beta, T* C, int ldc);

// Adds its own lifetime to the calling thread's BLAS seconds (blas_seconds_on_this_thread).
class BlasTimer {
 public:
  BlasTimer() : start_(std::chrono::steady_clock::now()) {}
  ~BlasTimer();
  BlasTimer(const BlasTimer&) = delete;
  BlasTimer& operator=(const BlasTimer&) = delete;

 private:
  std::chrono::steady_clock::time_point start_;
};

}  // namespace blasnet
