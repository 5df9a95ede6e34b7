// Whole training iterations over caller-owned buffers: forward, cost, backward and update, fused.
// No Node-API here; train_bindings.cc builds a Network from JavaScript arrays.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace blasnet {

// Buffers of an L-layer network for m examples; index l = 1..L (index 0 unused, X stands for A[0]).
// W[l] is (n_l, n_(l-1)), b[l] is (n_l, 1), A/dZ[l] are (n_l, m), dW[l], db[l] like W[l], b[l].
// No Z is kept: relu' is read off A, and the output layer's dZ is AL - Y.
// gram holds the Gram path's buffers (gram.h), all null when the run does not take it.
template <typename T>
struct Network {
  std::vector<int> dims;  // n_0 .. n_L
  int m = 0;
  const T* X = nullptr;
  const T* Y = nullptr;
  std::vector<T*> W, b, A, dZ, dW, db;
  struct {
    T* G = nullptr;
    T* S = nullptr;
    T* Z1 = nullptr;
  } gram;
  int layers() const { return static_cast<int>(dims.size()) - 1; }
  bool onGramPath() const { return gram.G != nullptr; }
};

// Why a run stopped early.
enum class TrainStatus { kOk = 0, kCancelled = 1, kNonFiniteGradient = 2, kNonFiniteCost = 3 };

struct TrainResult {
  TrainStatus status = TrainStatus::kOk;
  int completed = 0;         // iterations whose update was applied
  double seconds = 0;        // wall time of the run
  double blasSeconds = 0;    // of which inside BLAS
  double settleSeconds = 0;  // of which settling W1 at its end (the Gram path, gram.h)
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
// during each one. On the Gram path (call gram_begin first) W1 is settled at the end of the call
// when `settle` is set or the call stopped early, and is stale otherwise.
template <typename T>
TrainResult train_iterations(Network<T>& net, T learningRate, int count, long firstIteration, int costEvery,
                             double* costs, const CancelFlags& cancel, bool settle = false);

// Every product (M, N, K) a run of net makes; GemmWorkspace sizes itself and picks team mode from it.
template <typename T>
std::vector<std::array<int, 3>> run_products(const Network<T>& net);

}  // namespace blasnet
