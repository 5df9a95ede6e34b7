// The numeric kernels of blasnet: plain functions over caller-owned buffers, no Node-API.
// Every matrix is row-major with examples as columns; templates serve float64 and float32.
#pragma once

#include <cstddef>

#include "activations.h"

namespace blasnet {

template <typename T>
struct GemmTeam;  // parallel_gemm.h: how a run's products are split over the thread team

// C (M, N) = alpha * op(A) op(B) + beta * C, row-major, op = transpose when the flag is set.
template <typename T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, const T* B, T beta, T* C);

// Seconds the calling thread has spent inside gemm so far (for the share-of-time-in-BLAS figure).
double blas_seconds_on_this_thread();

// A = g(Z) elementwise over n values (every activation but kSoftmax, which leaves A untouched).
template <typename T>
void activation_forward(T* A, const T* Z, size_t n, Activation act);

// dZ = dA * g'(Z) elementwise over n values (every activation but kSoftmax, which leaves dZ untouched).
template <typename T>
void activation_backward(T* dZ, const T* dA, const T* Z, size_t n, Activation act);

// Z and A are (rows, cols): A[:, j] = exp(Z[:, j] - max(Z[:, j])) / sum, the sum taken down
// the column in row order as numpy's e.sum(axis=0) does. Finite for any finite Z. A may be Z.
// With rowStride, the (rows, cols) block of a matrix whose rows are rowStride apart.
template <typename T>
void softmax_columns(T* A, const T* Z, int rows, int cols);
template <typename T>
void softmax_columns(T* A, const T* Z, int rows, int cols, int rowStride);

// W is (nOut, nIn), APrev is (nIn, m), b is (nOut, 1); Z is (nOut, m): one gemm call, then the bias
// (the functional API; the mini-batch step runs its bias and activation in the product's blocks).
template <typename T>
void linear_forward(T* Z, const T* W, const T* APrev, const T* b, int nOut, int nIn, int m);

// Z += b, one bias per row: after the product, as numpy's W.dot(A) + b rounds.
template <typename T>
void add_bias(T* Z, const T* b, int nOut, int m);

// Z += b (per row), then A = g(Z), in one pass over each row while it is in cache. A may be Z.
template <typename T>
void bias_activation(T* A, T* Z, const T* b, int nOut, int m, Activation act);

// As linear_forward, then A = g(Z); bias and activation share one pass over Z. A may be Z itself.
template <typename T>
void linear_activation_forward(T* A, T* Z, const T* W, const T* APrev, const T* b, int nOut, int nIn, int m,
                               Activation act);

// How a layer's input holds its m examples: as the columns of (nIn, m), or as the rows of (m, nIn),
// a batch gathered from X^T. The products read either in place, and OpenBLAS packs both into the
// same panels: every kernel gives the same bits (test/examples-as-rows.test.ts).
enum class Examples { kAsColumns, kAsRows };

// Work on a finished block of a product's output, run by the thread that computed the block while it
// is still in that thread's cache: rows [r0, r1) and columns [c0, c1) of C. Empty: nothing to run.
struct BlockEpilogue {
  void (*run)(void* context, int r0, int r1, int c0, int c1) = nullptr;
  void* context = nullptr;
};

// dZ is (nOut, m), APrev is (nIn, m) (or (m, nIn), as `layout` says), W is (nOut, nIn); dW is
// (nOut, nIn), db is (nOut, 1), dAPrev is (nIn, m) and is skipped when null (the input layer's
// gradient is rarely needed). With a team, each product runs as its shape-fixed blocks
// (parallel_gemm); without, as one gemm call (the functional API). afterWeights runs on dW's
// blocks, afterInputs on dAPrev's.
template <typename T>
void linear_backward(T* dAPrev, T* dW, T* db, const T* dZ, const T* APrev, const T* W, int nOut, int nIn,
                     int m, const GemmTeam<T>* team = nullptr, Examples layout = Examples::kAsColumns,
                     BlockEpilogue afterWeights = {}, BlockEpilogue afterInputs = {});

// dZ = dA * g'(Z), then linear_backward; dZ is written because callers keep it.
template <typename T>
void linear_activation_backward(T* dAPrev, T* dW, T* db, T* dZ, const T* dA, const T* Z, const T* APrev,
                                const T* W, int nOut, int nIn, int m, Activation act);

// AL and Y are (1, m): -(1/m) sum(Y log AL + (1 - Y) log(1 - AL)), the seed's formula and order.
template <typename T>
double cross_entropy_cost(const T* AL, const T* Y, int m);

// param -= learningRate * grad over n values.
template <typename T>
void sgd_update(T* param, const T* grad, T learningRate, size_t n);

// AL and Y are (C, m): -(1/m) sum(Y log AL), skipping Y == 0 terms (0 in numpy unless AL is 0).
template <typename T>
double softmax_cross_entropy_cost(const T* AL, const T* Y, int C, int m);

// sum(x * x) over n values, accumulated in double (the L2 term's np.sum(np.square(W))).
template <typename T>
double sum_squares(const T* x, size_t n);

// out = out + c * x over n values (the L2 gradient's dW + (l2 / m) * W).
template <typename T>
void add_scaled(T* out, const T* x, T c, size_t n);

// Momentum over n values: v = beta * v + (1 - beta) * grad; param = param - learningRate * v.
template <typename T>
void momentum_update(T* param, T* v, const T* grad, T beta, T learningRate, size_t n);

// Adam over n values, the notebook's order: v = b1 v + (1 - b1) g; vc = v / c1;
// s = b2 s + (1 - b2) g^2; sc = s / c2; param = param - lr vc / (sqrt(sc) + eps),
// where c1 = 1 - b1^t and c2 = 1 - b2^t are computed by the caller (C pow, as Python's ** is).
template <typename T>
void adam_update(T* param, T* v, T* s, const T* grad, T learningRate, T beta1, T beta2, T epsilon, T c1, T c2,
                 size_t n);

// The leading whole vectors of adam_update with v / c1 and s / c2 done by FMAs, to the same bits
// (native/adam_fma.cc). Returns how many values it updated: 0 without AVX2 and FMA, or for a divisor
// outside its range.
template <typename T>
size_t adam_update_exact_fma(T* param, T* v, T* s, const T* grad, T learningRate, T beta1, T beta2, T epsilon,
                             T c1, T c2, size_t n);

// A = (A * D) / keepProb over n values, D holding 0/1: inverted dropout, forward (A) and backward (dA).
template <typename T>
void dropout_apply(T* A, const T* D, T keepProb, size_t n);

// X is (rows, cols), idx holds count column indices in [0, cols); out is (rows, count),
// out[:, j] = X[:, idx[j]] (numpy's X[:, idx]).
template <typename T>
void gather_columns(T* out, const T* X, const int* idx, int rows, int cols, int count);

// in is (rows, cols); out is (cols, rows) = in^T, converted to Out.
template <typename Out, typename In>
void transpose_into(Out* out, const In* in, int rows, int cols);

// XT is (m, cols): examples as rows, X^T. idx holds count example indices in [0, m); out is
// (count, cols), out[j, :] = XT[idx[j], :]: the batch with examples as rows, one copied row each.
template <typename T>
void gather_rows(T* out, const T* XT, const int* idx, int cols, int count);

// Whether none of n values is NaN or infinite; read from the exponent bits, so it vectorises.
template <typename T>
bool all_finite(const T* x, size_t n);

}  // namespace blasnet
