// relu / sigmoid forward and backward, written as the seed writes them so results match numpy.
#include <cmath>

#include "kernels.h"

namespace blasnet {

template <typename T>
static inline T Sigmoid(T z) {
  return T(1) / (T(1) + std::exp(-z));
}

template <typename T>
void activation_forward(T* A, const T* Z, size_t n, Activation act) {
  if (act == Activation::kRelu) {
    for (size_t i = 0; i < n; ++i) A[i] = Z[i] > T(0) ? Z[i] : T(0);
  } else {
    for (size_t i = 0; i < n; ++i) A[i] = Sigmoid(Z[i]);
  }
}

// The seed: relu' zeroes dA where Z <= 0; sigmoid' is dA * s * (1 - s), multiplied in that order.
template <typename T>
void activation_backward(T* dZ, const T* dA, const T* Z, size_t n, Activation act) {
  if (act == Activation::kRelu) {
    for (size_t i = 0; i < n; ++i) dZ[i] = Z[i] > T(0) ? dA[i] : T(0);
  } else {
    for (size_t i = 0; i < n; ++i) {
      const T s = Sigmoid(Z[i]);
      dZ[i] = dA[i] * s * (T(1) - s);
    }
  }
}

template void activation_forward<double>(double*, const double*, size_t, Activation);
template void activation_forward<float>(float*, const float*, size_t, Activation);
template void activation_backward<double>(double*, const double*, const double*, size_t, Activation);
template void activation_backward<float>(float*, const float*, const float*, size_t, Activation);

}  // namespace blasnet
