// Inverted dropout: A = A * D; A = A / keepProb, the same two roundings forward (A) and backward (dA).
// The masks themselves come from the numpy-exact stream (random.cc mt_dropout_mask).
#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

template <typename T>
BLASNET_VECTOR_CLONES void dropout_apply(T* A, const T* D, T keepProb, size_t n) {
  for (size_t i = 0; i < n; ++i) A[i] = (A[i] * D[i]) / keepProb;
}

template void dropout_apply<double>(double*, const double*, double, size_t);
template void dropout_apply<float>(float*, const float*, float, size_t);

}  // namespace blasnet
