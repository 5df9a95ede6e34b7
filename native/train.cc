// The training engine: whole iterations with every buffer preallocated by the caller.
#include "train.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "blas_threads.h"
#include "gram.h"
#include "kernels.h"
#include "parallel_gemm.h"

namespace blasnet {

// Forward, dW and dA per layer, and the Gram path's own.
template <typename T>
std::vector<GemmShape> run_products(const Network<T>& net) {
  const int m = net.m;
  std::vector<GemmShape> shapes;
  for (int l = 1; l <= net.layers(); ++l) {
    const int nOut = net.dims[l], nIn = net.dims[l - 1];
    shapes.push_back({nOut, m, nIn});
    shapes.push_back({nOut, nIn, m});
    if (l > 1) shapes.push_back({nIn, m, nOut});
  }
  if (net.onGramPath()) gram_products(net, &shapes);
  return shapes;
}

namespace {

bool Raised(const int* flag) { return flag != nullptr && __atomic_load_n(flag, __ATOMIC_RELAXED) != 0; }

// A = g(W APrev + b), with A as its own Z: the engine keeps no Z for relu layers, because
// relu'(Z) > 0 exactly where A > 0 (NaN included), and the output layer's dZ needs only AL.
template <typename T>
void ForwardLayers(Network<T>& net, const GemmTeam<T>& team, int firstLayer) {
  const int L = net.layers();
  for (int l = firstLayer; l <= L; ++l) {
    const T* APrev = l == 1 ? net.X : net.A[l - 1];
    parallel_gemm<T>(team, false, false, net.dims[l], net.m, net.dims[l - 1], T(1), net.W[l], APrev, T(0),
                     net.A[l]);
    bias_activation<T>(net.A[l], net.A[l], net.b[l], net.dims[l], net.m,
                       l == L ? Activation::kSigmoid : Activation::kRelu);
  }
}

// One pass per hidden layer after its dA GEMM: relu' mask, the db row mean, and the finiteness
// check (a NaN or infinity anywhere in a row reaches its sum), instead of three passes over dZ.
template <typename T>
bool MaskedRowMeans(T* dZ, T* db, const T* A, int n, int m) {
  const T invM = T(1) / T(m);
  bool finite = true;
  for (int i = 0; i < n; ++i) {
    T* row = dZ + static_cast<size_t>(i) * m;
    const T* aRow = A + static_cast<size_t>(i) * m;
    T sum = T(0);
    for (int j = 0; j < m; ++j) {
      const T v = aRow[j] > T(0) ? row[j] : T(0);
      row[j] = v;
      sum += v;
    }
    db[i] = invM * sum;
    finite = finite && std::isfinite(sum);
  }
  return finite;
}

// Backward from dZ[L] = AL - Y, which is what the seed's dAL * s * (1 - s) simplifies to,
// without its divisions (finite even when the sigmoid saturates at exactly 0 or 1).
// dW is computed from layer `firstLayer` up (the Gram path needs no dW1), and no layer computes
// dA0: nothing uses it. Returns false, before any parameter changes, when a gradient is not finite.
template <typename T>
bool Backward(Network<T>& net, const GemmTeam<T>& team, int firstLayer) {
  const int L = net.layers();
  const int m = net.m;
  const T invM = T(1) / T(m);
  bool finite = true;
  for (int i = 0; i < net.dims[L]; ++i) {
    const size_t offset = static_cast<size_t>(i) * m;
    T sum = T(0);
    for (int j = 0; j < m; ++j) {
      const T d = net.A[L][offset + j] - net.Y[offset + j];
      net.dZ[L][offset + j] = d;
      sum += d;
    }
    net.db[L][i] = invM * sum;
    finite = finite && std::isfinite(sum);
  }
  for (int l = L; l >= 1 && finite; --l) {
    const int nOut = net.dims[l], nIn = net.dims[l - 1];
    if (l >= firstLayer) {
      const T* APrev = l == 1 ? net.X : net.A[l - 1];
      parallel_gemm<T>(team, false, true, nOut, nIn, m, invM, net.dZ[l], APrev, T(0), net.dW[l]);
    }
    if (l > 1) {
      // dA[l-1] = W^T dZ lands in dZ[l-1] and is masked there: one gradient buffer per layer.
      parallel_gemm<T>(team, true, false, nIn, m, nOut, T(1), net.W[l], net.dZ[l], T(0), net.dZ[l - 1]);
      finite = MaskedRowMeans(net.dZ[l - 1], net.db[l - 1], net.A[l - 1], nIn, m);
    }
  }
  return finite;
}

// Plain gradient descent on layers firstLayer..L.
template <typename T>
void Update(Network<T>& net, T lr, int firstLayer) {
  for (int l = firstLayer; l <= net.layers(); ++l) {
    const size_t wSize = static_cast<size_t>(net.dims[l]) * net.dims[l - 1];
    sgd_update<T>(net.W[l], net.dW[l], lr, wSize);
    sgd_update<T>(net.b[l], net.db[l], lr, net.dims[l]);
  }
}

}  // namespace

template <typename T>
static TrainResult RunIterations(Network<T>& net, const GemmTeam<T>& team, T learningRate, int count,
                                 long firstIteration, int costEvery, double* costs,
                                 const CancelFlags& cancel) {
  TrainResult result;
  // The Gram path trains layer 1 itself (gram.h); the generic layers start above it.
  const bool gram = net.onGramPath();
  const int firstLayer = gram ? 2 : 1;
  const int L = net.layers();
  for (int i = 0; i < count; ++i) {
    if (Raised(cancel.caller) || Raised(cancel.owner)) {
      result.status = TrainStatus::kCancelled;
      return result;
    }
    // One iteration at a time holds the process-wide BLAS lock, so concurrent runs interleave.
    const BlasHold hold;
    const SingleThreadedBlas single(team);
    if (gram) gram_forward(net);
    ForwardLayers(net, team, firstLayer);
    costs[i] = std::numeric_limits<double>::quiet_NaN();
    if ((firstIteration + i) % costEvery == 0) {
      costs[i] = cross_entropy_cost<T>(net.A[L], net.Y, net.m * net.dims[L]);
      if (!std::isfinite(costs[i])) {
        result.status = TrainStatus::kNonFiniteCost;
        return result;
      }
    }
    if (!Backward(net, team, firstLayer)) {
      result.status = TrainStatus::kNonFiniteGradient;
      return result;
    }
    Update(net, learningRate, firstLayer);
    if (gram) gram_update(net, team, learningRate);
    result.completed = i + 1;
  }
  return result;
}

template <typename T>
TrainResult train_iterations(Network<T>& net, T learningRate, int count, long firstIteration, int costEvery,
                             double* costs, const CancelFlags& cancel, bool settle) {
  const auto start = std::chrono::steady_clock::now();
  const double blasStart = blas_seconds_on_this_thread();
  const GemmWorkspace<T> work(run_products(net));
  TrainResult result =
      RunIterations(net, work.gemm(), learningRate, count, firstIteration, costEvery, costs, cancel);
  if (net.onGramPath() && (settle || result.status != TrainStatus::kOk)) {
    const auto settleStart = std::chrono::steady_clock::now();
    const BlasHold hold;
    const SingleThreadedBlas single(work.gemm());
    gram_settle(net, work.gemm());
    result.settleSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - settleStart).count();
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.blasSeconds = blas_seconds_on_this_thread() - blasStart;
  result.splitThreads = work.gemm().widest;
  return result;
}

template struct Network<double>;
template struct Network<float>;
template TrainResult train_iterations<double>(Network<double>&, double, int, long, int, double*,
                                              const CancelFlags&, bool);
template TrainResult train_iterations<float>(Network<float>&, float, int, long, int, double*,
                                             const CancelFlags&, bool);
template std::vector<GemmShape> run_products<double>(const Network<double>&);
template std::vector<GemmShape> run_products<float>(const Network<float>&);

}  // namespace blasnet
