// The numeric kernels of blasnet: plain functions over caller-owned buffers, no Node-API.
// Every matrix is row-major with examples as columns; templates serve float64 and float32.
#pragma once

#include <cstddef>

namespace blasnet {

enum class Activation { kRelu = 0, kSigmoid = 1 };

// C (M, N) = alpha * op(A) op(B) + beta * C, row-major, op = transpose when the flag is set.
template <typename T>
void gemm(bool transA, bool transB, int M, int N, int K, T alpha, const T* A, const T* B, T beta, T* C);

// Seconds the calling thread has spent inside gemm so far (for the share-of-time-in-BLAS figure).
double blas_seconds_on_this_thread();

// A = g(Z) elementwise over n values.
template <typename T>
void activation_forward(T* A, const T* Z, size_t n, Activation act);

// dZ = dA * g'(Z) elementwise over n values.
template <typename T>
void activation_backward(T* dZ, const T* dA, const T* Z, size_t n, Activation act);

// W is (nOut, nIn), APrev is (nIn, m), b is (nOut, 1); Z is (nOut, m).
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

// dZ is (nOut, m), APrev is (nIn, m), W is (nOut, nIn); dW is (nOut, nIn), db is (nOut, 1),
// dAPrev is (nIn, m) and is skipped when null (the input layer's gradient is rarely needed).
template <typename T>
void linear_backward(T* dAPrev, T* dW, T* db, const T* dZ, const T* APrev, const T* W, int nOut, int nIn,
                     int m);

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

}  // namespace blasnet
