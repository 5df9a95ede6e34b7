// The mini-batch engine: whole optimizer steps over caller-owned buffers sized once per run for the
// largest batch. Gather, forward (hidden activation, dropout, output head), cost, backward, L2 and
// the gd / momentum / Adam update, as the trainer fixture's spec orders them. No Node-API here;
// steps_bindings.cc builds a StepNet from JavaScript arrays.
#pragma once

#include <cstdint>
#include <vector>

#include "kernels.h"
#include "train.h"

namespace blasnet {

enum class Optimizer { kGd = 0, kMomentum = 1, kAdam = 2 };

// Index l = 1..L (index 0 unused). W[l] is (n_l, n_(l-1)), b[l] is (n_l, 1); dW, db, vW, vb, sW, sb
// are shaped like them (v for momentum and Adam, s for Adam only). Z, A, dZ[l] are (n_l, capacity),
// D[l] (l < L, dropout only) likewise. X is (n_0, m), Y is (n_L, m); Xb and Yb are (n_0, capacity)
// and (n_L, capacity), or null when every batch is the whole set in order (X and Y are then used).
// A batch gathered from XT fills Xb as (capacity, n_0) instead: its examples as rows.
// order holds m column indices: the epoch's visiting order.
template <typename T>
struct StepNet {
  std::vector<int> dims;
  int m = 0;
  int capacity = 0;
  const T* X = nullptr;   // null when XT is given (the batches are then gathered from XT)
  const T* XT = nullptr;  // (m, n_0), or null
  const T* Y = nullptr;
  T* Xb = nullptr;
  T* Yb = nullptr;
  const int32_t* order = nullptr;
  std::vector<T*> W, b, dW, db, Z, A, dZ, D, vW, vb, sW, sb;
  uint32_t* key = nullptr;  // the dropout stream (numpy's legacy MT19937), advanced step by step
  int32_t* pos = nullptr;
  Activation hidden = Activation::kRelu;
  Activation output = Activation::kSigmoid;
  Optimizer optimizer = Optimizer::kGd;
  double learningRate = 0, beta1 = 0, beta2 = 0, epsilon = 0, l2 = 0, keepProb = 1;
  int layers() const { return static_cast<int>(dims.size()) - 1; }
};

// Runs batches firstBatch .. firstBatch + count - 1 of the epoch (batch j is columns
// order[j * capacity ...] of at most capacity examples). costs[i] receives batch i's cost (with the
// L2 term). *t counts optimizer steps from 1 (Adam's bias correction) and is advanced per update.
// Stops before an update whose cost or gradients are not finite. Polls `cancel` between steps and
// holds the BLAS lock during each.
template <typename T>
TrainResult train_steps(StepNet<T>& net, int firstBatch, int count, double* t, double* costs,
                        const CancelFlags& cancel);

}  // namespace blasnet
