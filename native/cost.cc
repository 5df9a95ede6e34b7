// The cross-entropy cost and the gradient-descent update.
#include <cmath>

#include "kernels.h"

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
void sgd_update(T* param, const T* grad, T learningRate, size_t n) {
  // Written as the seed's W - learningRate * dW rather than an axpy with -learningRate,
  // so float64 results round exactly as numpy's do.
  for (size_t i = 0; i < n; ++i) param[i] = param[i] - learningRate * grad[i];
}

template double cross_entropy_cost<double>(const double*, const double*, int);
template double cross_entropy_cost<float>(const float*, const float*, int);
template void sgd_update<double>(double*, const double*, double, size_t);
template void sgd_update<float>(float*, const float*, float, size_t);

}  // namespace blasnet
