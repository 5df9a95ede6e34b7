// The elementwise loops over the activation table (activations.h), and the column-wise softmax.
#include <cmath>

#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

// One loop per code, each applying that code's row of the table (activations.h). The loops stay
// here, inside the cloned functions, so every clone vectorises them at its own width.
template <typename T>
BLASNET_VECTOR_CLONES void activation_forward(T* A, const T* Z, size_t n, Activation act) {
  switch (act) {
    case Activation::kRelu:
      for (size_t i = 0; i < n; ++i) A[i] = Relu::Forward(Z[i]);
      break;
    case Activation::kSigmoid:
      for (size_t i = 0; i < n; ++i) A[i] = Sigmoid::Forward(Z[i]);
      break;
    case Activation::kTanh:
      for (size_t i = 0; i < n; ++i) A[i] = Tanh::Forward(Z[i]);
      break;
    case Activation::kLeakyRelu:
      for (size_t i = 0; i < n; ++i) A[i] = LeakyRelu::Forward(Z[i]);
      break;
    case Activation::kSoftmax:
      break;  // column-wise: softmax_columns
  }
}

template <typename T>
BLASNET_VECTOR_CLONES void activation_backward(T* dZ, const T* dA, const T* Z, size_t n, Activation act) {
  switch (act) {
    case Activation::kRelu:
      for (size_t i = 0; i < n; ++i) dZ[i] = Relu::Backward(dA[i], Z[i]);
      break;
    case Activation::kSigmoid:
      for (size_t i = 0; i < n; ++i) dZ[i] = Sigmoid::Backward(dA[i], Z[i]);
      break;
    case Activation::kTanh:
      for (size_t i = 0; i < n; ++i) dZ[i] = Tanh::Backward(dA[i], Z[i]);
      break;
    case Activation::kLeakyRelu:
      for (size_t i = 0; i < n; ++i) dZ[i] = LeakyRelu::Backward(dA[i], Z[i]);
      break;
    case Activation::kSoftmax:
      break;  // the output layer's dZ = AL - Y comes from the loss, not from a derivative
  }
}

template <typename T>
void softmax_columns(T* A, const T* Z, int rows, int cols) {
  softmax_columns<T>(A, Z, rows, cols, cols);
}

template <typename T>
void softmax_columns(T* A, const T* Z, int rows, int cols, int rowStride) {
  // Column j is strided; the few classes of a softmax keep this cheap.
  const size_t stride = static_cast<size_t>(rowStride);
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
template void softmax_columns<double>(double*, const double*, int, int, int);
template void softmax_columns<float>(float*, const float*, int, int, int);

}  // namespace blasnet
