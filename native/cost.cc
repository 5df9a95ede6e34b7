// The cross-entropy costs (sigmoid and softmax), the L2 term's pieces and the gradient-descent update.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

template <typename T>
double cross_entropy_cost(const T* AL, const T* Y, int m) {
  // AL and Y are (1, m). Accumulate in double even for float32 models: the cost is reported.
  double sum = 0.0;
  for (int j = 0; j < m; ++j) {
    const double a = AL[j];
    const double y = Y[j];
    sum += y * std::log(a) + (1.0 - y) * std::log(1.0 - a);
  }
  return (-1.0 / m) * sum;
}

template <typename T>
BLASNET_VECTOR_CLONES void sgd_update(T* param, const T* grad, T learningRate, size_t n) {
  // Written as the seed's W - learningRate * dW rather than an axpy with -learningRate,
  // so float64 results round exactly as numpy's do.
  for (size_t i = 0; i < n; ++i) param[i] = param[i] - learningRate * grad[i];
}

template <typename T>
double softmax_cross_entropy_cost(const T* AL, const T* Y, int C, int m) {
  // AL and Y are (C, m). A zero label contributes 0 * log(AL) = 0 in numpy, unless AL is 0 too
  // (a softmax that underflowed): skipping it keeps such a cost finite.
  double sum = 0.0;
  const size_t n = static_cast<size_t>(C) * m;
  for (size_t i = 0; i < n; ++i) {
    const double y = Y[i];
    if (y != 0.0) sum += y * std::log(static_cast<double>(AL[i]));
  }
  return (-1.0 / m) * sum;
}

template <typename T>
double sum_squares(const T* x, size_t n) {
  double sum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    const double v = x[i];
    sum += v * v;
  }
  return sum;
}

template <typename T>
BLASNET_VECTOR_CLONES void add_scaled(T* out, const T* x, T c, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = out[i] + c * x[i];
}

template <typename T>
BLASNET_VECTOR_CLONES bool all_finite(const T* x, size_t n) {
  using Bits = std::conditional_t<sizeof(T) == 8, uint64_t, uint32_t>;
  const Bits exponent = sizeof(T) == 8 ? Bits(0x7ff0000000000000ull) : Bits(0x7f800000u);
  Bits bad = 0;
  for (size_t i = 0; i < n; ++i) {
    Bits bits;
    std::memcpy(&bits, x + i, sizeof bits);
    bad |= static_cast<Bits>((bits & exponent) == exponent);
  }
  return bad == 0;
}

template bool all_finite<double>(const double*, size_t);
template bool all_finite<float>(const float*, size_t);
template double softmax_cross_entropy_cost<double>(const double*, const double*, int, int);
template double softmax_cross_entropy_cost<float>(const float*, const float*, int, int);
template double sum_squares<double>(const double*, size_t);
template double sum_squares<float>(const float*, size_t);
template void add_scaled<double>(double*, const double*, double, size_t);
template void add_scaled<float>(float*, const float*, float, size_t);
template double cross_entropy_cost<double>(const double*, const double*, int);
template double cross_entropy_cost<float>(const float*, const float*, int);
template void sgd_update<double>(double*, const double*, double, size_t);
template void sgd_update<float>(float*, const float*, float, size_t);

}  // namespace blasnet
