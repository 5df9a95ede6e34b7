// Whole training iterations over caller-owned buffers: forward, cost, backward and update, fused.
// No Node-API here; train_bindings.cc builds a Network from JavaScript arrays.
#pragma once

#include <cstddef>
#include <vector>

namespace blasnet {

// Buffers of an L-layer network for m examples; index l = 1..L (index 0 unused, X stands for A[0]).
// W[l] is (n_l, n_(l-1)), b[l] is (n_l, 1), A/dZ[l] are (n_l, m), dW[l], db[l] like W[l], b[l].
// No Z is kept: relu' is read off A, and the output layer's dZ is AL - Y.
// Gram path (layer 1 only, when m < n_0): G is X^T X (m, m), S accumulates (lr/m) dZ1 (n_1, m),
// and Z1 (n_1, m) is carried from iteration to iteration instead of being recomputed from W1.
template <typename T>
struct Network {
  std::vector<int> dims;  // n_0 .. n_L
  int m = 0;
  const T* X = nullptr;
  const T* Y = nullptr;
  std::vector<T*> W, b, A, dZ, dW, db;
  T* G = nullptr;
  T* S = nullptr;
  T* Z1 = nullptr;
  int layers() const { return static_cast<int>(dims.size()) - 1; }
};

// Why a run stopped early.
enum class TrainStatus { kOk = 0, kCancelled = 1, kNonFiniteGradient = 2, kNonFiniteCost = 3 };

struct TrainResult {
  TrainStatus status = TrainStatus::kOk;
  int completed = 0;       // iterations whose update was applied
  double seconds = 0;      // wall time of the run
  double blasSeconds = 0;  // of which inside BLAS
  // Of the rest, mini-batch runs only: gathering each batch's columns, and the optimizer's update.
  double gatherSeconds = 0;
  double optimizerSeconds = 0;
  int splitThreads = 0;  // the most threads that shared one of its products split into blocks (0: none)
};

// Flags other threads raise to stop a run between iterations; a null one is never raised.
struct CancelFlags {
  const int* caller = nullptr;  // fitAsync's AbortSignal, through a shared Int32Array
  const int* owner = nullptr;   // the run's environment is going away (async_hub.h)
};

// Runs `count` iterations of full-batch gradient descent. costs[i] receives the cost of iteration
// i of this call when (firstIteration + i) % costEvery == 0, NaN otherwise (costs has count slots).
// Stops before an update whose gradients are not finite, so the parameters stay the last finite ones.
// Polls `cancel` between iterations and holds the BLAS lock (BlasHold)
// during each one. Call gram_begin first when net.G is set.
template <typename T>
TrainResult train_iterations(Network<T>& net, T learningRate, int count, long firstIteration, int costEvery,
                             double* costs, const CancelFlags& cancel);

// Gram path setup: G = X^T X, S = 0, Z1 = W1 X + b1. Returns TrainResult's splitThreads for its products.
template <typename T>
int gram_begin(Network<T>& net);

// Folds the accumulated S into W1 (W1 -= S X^T) and clears S; Z[1] stays valid. Returns as gram_begin.
template <typename T>
int gram_materialize(Network<T>& net);

}  // namespace blasnet
