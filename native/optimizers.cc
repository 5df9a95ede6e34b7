// The momentum and Adam updates of the "optimization methods" notebook, in its order of operations.
#include <cmath>

#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

template <typename T>
BLASNET_VECTOR_CLONES void momentum_update(T* param, T* v, const T* grad, T beta, T learningRate, size_t n) {
  const T oneMinusBeta = T(1) - beta;  // numpy's (1 - beta) is one Python float
  for (size_t i = 0; i < n; ++i) {
    v[i] = beta * v[i] + oneMinusBeta * grad[i];
    param[i] = param[i] - learningRate * v[i];
  }
}

namespace {

template <typename T>
BLASNET_VECTOR_CLONES void AdamDividing(T* param, T* v, T* s, const T* grad, T learningRate, T beta1, T beta2,
                                        T epsilon, T c1, T c2, size_t n) {
  const T oneMinusBeta1 = T(1) - beta1;
  const T oneMinusBeta2 = T(1) - beta2;
  for (size_t i = 0; i < n; ++i) {
    const T g = grad[i];
    v[i] = beta1 * v[i] + oneMinusBeta1 * g;
    const T vc = v[i] / c1;
    s[i] = beta2 * s[i] + oneMinusBeta2 * (g * g);
    const T sc = s[i] / c2;
    param[i] = param[i] - learningRate * vc / (std::sqrt(sc) + epsilon);
  }
}

}  // namespace

// The FMA kernel takes the whole vectors where the CPU has FMA; the divider loop the rest.
template <typename T>
void adam_update(T* param, T* v, T* s, const T* grad, T learningRate, T beta1, T beta2, T epsilon, T c1, T c2,
                 size_t n) {
  const size_t done =
      adam_update_exact_fma<T>(param, v, s, grad, learningRate, beta1, beta2, epsilon, c1, c2, n);
  AdamDividing<T>(param + done, v + done, s + done, grad + done, learningRate, beta1, beta2, epsilon, c1, c2,
                  n - done);
}

template void momentum_update<double>(double*, double*, const double*, double, double, size_t);
template void momentum_update<float>(float*, float*, const float*, float, float, size_t);
template void adam_update<double>(double*, double*, double*, const double*, double, double, double, double,
                                  double, double, size_t);
template void adam_update<float>(float*, float*, float*, const float*, float, float, float, float, float,
                                 float, size_t);

}  // namespace blasnet
