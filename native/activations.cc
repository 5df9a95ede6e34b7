// The activation table: forward and derivative of every activation, written as numpy writes them
// so results match it, plus the column-wise softmax. One place per code of kernels.h Activation.
#include <cmath>

#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

template <typename T>
static inline T Sigmoid(T z) {
  return T(1) / (T(1) + std::exp(-z));
}

template <typename T>
BLASNET_VECTOR_CLONES void activation_forward(T* A, const T* Z, size_t n, Activation act) {
  switch (act) {
    case Activation::kRelu:
      for (size_t i = 0; i < n; ++i) A[i] = Z[i] > T(0) ? Z[i] : T(0);
      break;
    case Activation::kSigmoid:
      for (size_t i = 0; i < n; ++i) A[i] = Sigmoid(Z[i]);
      break;
    case Activation::kTanh:
      // glibc's tanh, as numpy's np.tanh calls it.
      for (size_t i = 0; i < n; ++i) A[i] = std::tanh(Z[i]);
      break;
    case Activation::kLeakyRelu: {
      const T alpha = T(kLeakyReluAlpha);
      for (size_t i = 0; i < n; ++i) A[i] = Z[i] > T(0) ? Z[i] : alpha * Z[i];
      break;
    }
    case Activation::kSoftmax:
      break;  // column-wise: softmax_columns
  }
}

// relu' zeroes dA where Z <= 0; sigmoid' is dA * s * (1 - s), multiplied in that order;
// tanh' is dA * (1 - t^2); leaky relu' passes dA where Z > 0, else alpha * dA.
template <typename T>
BLASNET_VECTOR_CLONES void activation_backward(T* dZ, const T* dA, const T* Z, size_t n, Activation act) {
  switch (act) {
    case Activation::kRelu:
      for (size_t i = 0; i < n; ++i) dZ[i] = Z[i] > T(0) ? dA[i] : T(0);
      break;
    case Activation::kSigmoid:
      for (size_t i = 0; i < n; ++i) {
        const T s = Sigmoid(Z[i]);
        dZ[i] = dA[i] * s * (T(1) - s);
      }
      break;
    case Activation::kTanh:
      for (size_t i = 0; i < n; ++i) {
        const T t = std::tanh(Z[i]);
        dZ[i] = dA[i] * (T(1) - t * t);
      }
      break;
    case Activation::kLeakyRelu: {
      const T alpha = T(kLeakyReluAlpha);
      for (size_t i = 0; i < n; ++i) dZ[i] = Z[i] > T(0) ? dA[i] : alpha * dA[i];
      break;
    }
    case Activation::kSoftmax:
      break;  // the output layer's dZ = AL - Y comes from the loss, not from a derivative
  }
}

template <typename T>
void softmax_columns(T* A, const T* Z, int rows, int cols) {
  // Column j is strided by cols; the few classes of a softmax keep this cheap.
  const size_t stride = static_cast<size_t>(cols);
  for (int j = 0; j < cols; ++j) {
    T max = Z[j];
    for (int i = 1; i < rows; ++i) {
      const T z = Z[i * stride + j];
      if (z > max || std::isnan(z)) max = z;
    }
    T sum = T(0);
    for (int i = 0; i < rows; ++i) {
      const T e = std::exp(Z[i * stride + j] - max);
      A[i * stride + j] = e;
      sum += e;
    }
    for (int i = 0; i < rows; ++i) A[i * stride + j] = A[i * stride + j] / sum;
  }
}

template void activation_forward<double>(double*, const double*, size_t, Activation);
template void activation_forward<float>(float*, const float*, size_t, Activation);
template void activation_backward<double>(double*, const double*, const double*, size_t, Activation);
template void activation_backward<float>(float*, const float*, const float*, size_t, Activation);
template void softmax_columns<double>(double*, const double*, int, int);
template void softmax_columns<float>(float*, const float*, int, int);

}  // namespace blasnet
