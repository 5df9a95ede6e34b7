// A thin row-major wrapper over cblas ?gemm, so the kernels speak in matrix shapes only.
#include <cblas.h>

#include <chrono>

#include "kernels.h"

namespace blasnet {

namespace {
CBLAS_TRANSPOSE Op(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }

// Seconds this thread has spent inside BLAS. Per thread, so concurrent runs never share it; a run
// reads the difference across its own iterations (two clock reads per GEMM, ~40 ns).
thread_local double blasSeconds = 0;

struct BlasTimer {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  ~BlasTimer() {
    blasSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
};
}  // namespace

double blas_seconds_on_this_thread() { return blasSeconds; }

// Leading dimensions follow from row-major storage of the stored (untransposed) operands.
template <>
void gemm<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                  const double* B, double beta, double* C) {
  BlasTimer timer;
  cblas_dgemm(CblasRowMajor, Op(transA), Op(transB), M, N, K, alpha, A, transA ? M : K, B, transB ? K : N,
              beta, C, N);
}

template <>
void gemm<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, const float* B,
                 float beta, float* C) {
  BlasTimer timer;
  cblas_sgemm(CblasRowMajor, Op(transA), Op(transB), M, N, K, alpha, A, transA ? M : K, B, transB ? K : N,
              beta, C, N);
}

}  // namespace blasnet
