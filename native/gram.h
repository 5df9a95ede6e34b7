// The Gram path of the full-batch engine: when m < n_0, layer 1 trains through G = X^T X (m, m)
// instead of the (n_1, n_0) W1, and W1 is settled from what it was at the start of the run.
// train.cc calls these hooks and holds no Gram arithmetic of its own. No Node-API here.
#pragma once

#include <vector>

#include "parallel_gemm.h"
#include "train.h"

namespace blasnet {

// Buffers: G = X^T X is (m, m); S (n_1, m) accumulates (lr/m) dZ1 over the whole run; Z1 (n_1, m)
// is carried from iteration to iteration instead of being recomputed from W1. dW[1], which the
// Gram path never computes, keeps W1 as it was when the run began, so settling W1 is
// W1 = W1_start - S X^T however often it happens: the same bits whether a run settles once at its
// end or after every chunk, synchronous or not.

// The products the Gram path adds to a run's (sizes the GEMM workspace).
template <typename T>
void gram_products(const Network<T>& net, std::vector<GemmShape>* shapes);

// A[1] = g(Z1): relu, or sigmoid when layer 1 is the output layer (no hidden layer).
template <typename T>
void gram_forward(Network<T>& net);

// Layer 1's update: Z1 -= (lr/m) dZ1 G + lr db1, S += (lr/m) dZ1, b1 -= lr db1.
template <typename T>
void gram_update(Network<T>& net, const GemmTeam<T>& team, T lr);

// W1 = W1_start - S X^T, inside the caller's BLAS hold and SingleThreadedBlas.
template <typename T>
void gram_settle(Network<T>& net, const GemmTeam<T>& team);

// Setup before a run's first iteration: G = X^T X, S = 0, Z1 = W1 X + b1, dW[1] = W1.
// Returns TrainResult's splitThreads for its products. The caller holds the BLAS lock.
template <typename T>
int gram_begin(Network<T>& net);

// gram_settle on its own (with the run's workspace); returns as gram_begin.
template <typename T>
int gram_materialize(Network<T>& net);

}  // namespace blasnet
