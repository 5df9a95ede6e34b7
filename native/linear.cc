// Linear (+activation) forward and backward: one GEMM per product plus fused elementwise passes.
#include "kernels.h"
#include "parallel_gemm.h"
#include "vectorize.h"

namespace blasnet {

namespace {

// db (nOut, 1) = (1/m) * the row sums of dZ (nOut, m), each summed left to right, eight rows at a
// time: one chain of dependent adds runs at the adder's latency, eight side by side at its
// throughput. Each row's sum is still the same additions in the same order, so the same bits.
template <typename T>
void BiasGradient(T* db, const T* dZ, int nOut, int m) {
  constexpr int kRows = 8;
  const T invM = T(1) / T(m);
  const size_t stride = static_cast<size_t>(m);
  int i = 0;
  for (; i + kRows <= nOut; i += kRows) {
    const T* rows = dZ + static_cast<size_t>(i) * stride;
    T sum[kRows] = {};
    for (size_t j = 0; j < stride; ++j) {
      for (int r = 0; r < kRows; ++r) sum[r] += rows[r * stride + j];
    }
    for (int r = 0; r < kRows; ++r) db[i + r] = invM * sum[r];
  }
  for (; i < nOut; ++i) {
    const T* row = dZ + static_cast<size_t>(i) * stride;
    T sum = T(0);
    for (size_t j = 0; j < stride; ++j) sum += row[j];
    db[i] = invM * sum;
  }
}

}  // namespace

template <typename T>
void linear_forward(T* Z, const T* W, const T* APrev, const T* b, int nOut, int nIn, int m) {
  // The bias is added after the product, as numpy's W.dot(A) + b rounds.
  gemm<T>(false, false, nOut, m, nIn, T(1), W, APrev, T(0), Z);
  add_bias<T>(Z, b, nOut, m);
}

template <typename T>
BLASNET_VECTOR_CLONES void add_bias(T* Z, const T* b, int nOut, int m) {
  for (int i = 0; i < nOut; ++i) {
    T* row = Z + static_cast<size_t>(i) * m;
    for (int j = 0; j < m; ++j) row[j] += b[i];
  }
}

template <typename T>
void linear_activation_forward(T* A, T* Z, const T* W, const T* APrev, const T* b, int nOut, int nIn, int m,
                               Activation act) {
  // W is (nOut, nIn), APrev is (nIn, m), b is (nOut, 1); Z and A are (nOut, m).
  gemm<T>(false, false, nOut, m, nIn, T(1), W, APrev, T(0), Z);
  bias_activation<T>(A, Z, b, nOut, m, act);
}

template <typename T>
void bias_activation(T* A, T* Z, const T* b, int nOut, int m, Activation act) {
  if (act == Activation::kSoftmax) {
    // Column-wise: every row's bias must be in before any column is normalised.
    add_bias<T>(Z, b, nOut, m);
    softmax_columns<T>(A, Z, nOut, m);
    return;
  }
  for (int i = 0; i < nOut; ++i) {
    const size_t offset = static_cast<size_t>(i) * m;
    T* zRow = Z + offset;
    for (int j = 0; j < m; ++j) zRow[j] += b[i];
    activation_forward<T>(A + offset, zRow, m, act);
  }
}

template <typename T>
void linear_backward(T* dAPrev, T* dW, T* db, const T* dZ, const T* APrev, const T* W, int nOut, int nIn,
                     int m, const GemmTeam<T>* team, Examples layout, BlockEpilogue afterWeights,
                     BlockEpilogue afterInputs) {
  // dW = (1/m) dZ APrev^T: APrev (nIn, m) is read transposed inside BLAS, (m, nIn) as it is.
  const GemmCall<T> weights{
      false, layout == Examples::kAsColumns, nOut, nIn, m, T(1) / T(m), dZ, APrev, T(0), dW, afterWeights};
  // dAPrev = W^T dZ, (nIn, m).
  const GemmCall<T> inputs{true, false, nIn, m, nOut, T(1), W, dZ, T(0), dAPrev, afterInputs};
  // Neither reads the other's output: on a team, a hidden layer's products too small to split (a
  // batch-64 step's) each get a thread instead of running one after the other.
  const GemmCall<T> both[] = {weights, inputs};
  const GemmTeam<T> oneCallEach;  // no team (the functional API): one gemm call per product
  parallel_gemm_together<T>(team != nullptr ? *team : oneCallEach, both, dAPrev != nullptr ? 2 : 1);
  BiasGradient<T>(db, dZ, nOut, m);
}

template <typename T>
void linear_activation_backward(T* dAPrev, T* dW, T* db, T* dZ, const T* dA, const T* Z, const T* APrev,
                                const T* W, int nOut, int nIn, int m, Activation act) {
  activation_backward<T>(dZ, dA, Z, static_cast<size_t>(nOut) * m, act);
  linear_backward<T>(dAPrev, dW, db, dZ, APrev, W, nOut, nIn, m);
}

template void linear_forward<double>(double*, const double*, const double*, const double*, int, int, int);
template void linear_forward<float>(float*, const float*, const float*, const float*, int, int, int);
template void linear_activation_forward<double>(double*, double*, const double*, const double*, const double*,
                                                int, int, int, Activation);
template void linear_activation_forward<float>(float*, float*, const float*, const float*, const float*, int,
                                               int, int, Activation);
template void add_bias<double>(double*, const double*, int, int);
template void add_bias<float>(float*, const float*, int, int);
template void bias_activation<double>(double*, double*, const double*, int, int, Activation);
template void bias_activation<float>(float*, float*, const float*, int, int, Activation);
template void linear_backward<double>(double*, double*, double*, const double*, const double*, const double*,
                                      int, int, int, const GemmTeam<double>*, Examples, BlockEpilogue,
                                      BlockEpilogue);
template void linear_backward<float>(float*, float*, float*, const float*, const float*, const float*, int,
                                     int, int, const GemmTeam<float>*, Examples, BlockEpilogue,
                                     BlockEpilogue);
template void linear_activation_backward<double>(double*, double*, double*, double*, const double*,
                                                 const double*, const double*, const double*, int, int, int,
                                                 Activation);
template void linear_activation_backward<float>(float*, float*, float*, float*, const float*, const float*,
                                                const float*, const float*, int, int, int, Activation);

}  // namespace blasnet
