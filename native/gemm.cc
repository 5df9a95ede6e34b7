// A thin row-major wrapper over cblas ?gemm, so the kernels speak in matrix shapes only.
#include "gemm.h"

#include <cblas.h>

#include "kernels.h"

namespace blasnet {

namespace {
CBLAS_TRANSPOSE Op(bool transpose) { return transpose ? CblasTrans : CblasNoTrans; }

// Seconds this thread has spent inside BLAS. Per thread, so concurrent runs never share it; a run
// reads the difference across its own iterations (two clock reads per GEMM, ~40 ns).
thread_local double blasSeconds = 0;
}  // namespace

BlasTimer::~BlasTimer() {
  blasSeconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

double blas_seconds_on_this_thread() { return blasSeconds; }

template <>
void gemm_strided<double>(bool transA, bool transB, int M, int N, int K, double alpha, const double* A,
                          int lda, const double* B, int ldb, double beta, double* C, int ldc) {
  cblas_dgemm(CblasRowMajor, Op(transA), Op(transB), M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <>
void gemm_strided<float>(bool transA, bool transB, int M, int N, int K, float alpha, const float* A, int lda,
                         const float* B, int ldb, float beta, float* C, int ldc) {
  cblas_sgemm(CblasRowMajor, Op(transA), Op(transB), M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

// Leading dimensions follow from row-major storage of the stored (untransposed) operands.
template <typename T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, const T* B, T beta, T* C) {
  BlasTimer timer;
  gemm_strided<T>(transA, transB, M, N, K, alpha, A, transA ? M : K, B, transB ? K : N, beta, C, N);
}

template void gemm<double>(bool, bool, int, int, int, double, const double*, const double*, double, double*);
template void gemm<float>(bool, bool, int, int, int, float, const float*, const float*, float, float*);

}  // namespace blasnet
