// The Gram path (gram.h): its setup, its layer-1 forward and update, and settling W1.
#include "gram.h"

#include <algorithm>

#include "kernels.h"

namespace blasnet {

template <typename T>
void gram_products(const Network<T>& net, std::vector<GemmShape>* shapes) {
  const int m = net.m;
  shapes->push_back({net.dims[1], m, m});
  shapes->push_back({m, m, net.dims[0]});
}

template <typename T>
void gram_forward(Network<T>& net) {
  activation_forward<T>(net.A[1], net.gram.Z1, static_cast<size_t>(net.dims[1]) * net.m,
                        net.layers() == 1 ? Activation::kSigmoid : Activation::kRelu);
}

template <typename T>
void gram_update(Network<T>& net, const GemmTeam<T>& team, T lr) {
  // Z1 <- Z1 - (lr/m) dZ1 G - lr db1 is exactly what W1 -= lr dW1; b1 -= lr db1 would give,
  // at n_1 m^2 flops instead of two n_1 n_0 m products.
  const int n1 = net.dims[1], m = net.m;
  const T scale = lr / T(m);
  parallel_gemm<T>(team, false, false, n1, m, m, -scale, net.dZ[1], net.gram.G, T(1), net.gram.Z1);
  for (int i = 0; i < n1; ++i) {
    const T step = lr * net.db[1][i];
    T* zRow = net.gram.Z1 + static_cast<size_t>(i) * m;
    T* sRow = net.gram.S + static_cast<size_t>(i) * m;
    const T* dRow = net.dZ[1] + static_cast<size_t>(i) * m;
    for (int j = 0; j < m; ++j) {
      zRow[j] -= step;
      sRow[j] += scale * dRow[j];
    }
  }
  sgd_update<T>(net.b[1], net.db[1], lr, n1);
}

template <typename T>
void gram_settle(Network<T>& net, const GemmTeam<T>& team) {
  const int n0 = net.dims[0], n1 = net.dims[1], m = net.m;
  std::copy(net.dW[1], net.dW[1] + static_cast<size_t>(n1) * n0, net.W[1]);
  parallel_gemm<T>(team, false, true, n1, n0, m, T(-1), net.gram.S, net.X, T(1), net.W[1]);
}

template <typename T>
int gram_begin(Network<T>& net) {
  const int n0 = net.dims[0], n1 = net.dims[1], m = net.m;
  const GemmWorkspace<T> work(run_products(net));
  const SingleThreadedBlas single(work.gemm());
  parallel_gemm<T>(work.gemm(), true, false, m, m, n0, T(1), net.X, net.X, T(0), net.gram.G);
  std::fill(net.gram.S, net.gram.S + static_cast<size_t>(n1) * m, T(0));
  std::copy(net.W[1], net.W[1] + static_cast<size_t>(n1) * n0, net.dW[1]);
  parallel_gemm<T>(work.gemm(), false, false, n1, m, n0, T(1), net.W[1], net.X, T(0), net.gram.Z1);
  add_bias<T>(net.gram.Z1, net.b[1], n1, m);
  return work.gemm().widest;
}

template <typename T>
int gram_materialize(Network<T>& net) {
  const GemmWorkspace<T> work(run_products(net));
  const SingleThreadedBlas single(work.gemm());
  gram_settle(net, work.gemm());
  return work.gemm().widest;
}

#define BLASNET_GRAM(T)                                                       \
  template void gram_products<T>(const Network<T>&, std::vector<GemmShape>*); \
  template void gram_forward<T>(Network<T>&);                                 \
  template void gram_update<T>(Network<T>&, const GemmTeam<T>&, T);           \
  template void gram_settle<T>(Network<T>&, const GemmTeam<T>&);              \
  template int gram_begin<T>(Network<T>&);                                    \
  template int gram_materialize<T>(Network<T>&);
BLASNET_GRAM(double)
BLASNET_GRAM(float)
#undef BLASNET_GRAM

}  // namespace blasnet
