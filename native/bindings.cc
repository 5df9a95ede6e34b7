// Binding glue for the single-kernel exports: unpack and re-check arguments, call a kernel.
// Each export serves float64 and float32; the first buffer's type picks the precision.
#include "bindings.h"

#include "blas_threads.h"
#include "check.h"
#include "kernels.h"
#include "parallel_gemm.h"

namespace blasnet {

namespace {

template <typename T>
Napi::Value GemmT(const Napi::CallbackInfo& info) {
  const char* fn = "gemm";
  const int M = Dim(info, 3, fn, "M"), N = Dim(info, 4, fn, "N"), K = Dim(info, 5, fn, "K");
  const bool transA = info[6].ToBoolean(), transB = info[7].ToBoolean();
  const T alpha = static_cast<T>(Finite(info, 8, fn, "alpha"));
  const T beta = static_cast<T>(Finite(info, 9, fn, "beta"));
  const bool onTeam = info.Length() > 10 && info[10].ToBoolean();
  T* C = View<T>(info, 0, fn, "C", M, N);
  const T* A = View<T>(info, 1, fn, "A", M, K);
  const T* B = View<T>(info, 2, fn, "B", K, N);
  // Split as a full-batch run would split this product, or with onTeam as a mini-batch step does,
  // so the bench's roofline shows what runs.
  const GemmWorkspace<T> work({{M, N, K}}, onTeam);
  const SingleThreadedBlas single(work.gemm());
  parallel_gemm<T>(work.gemm(), transA, transB, M, N, K, alpha, A, B, beta, C);
  return Napi::Number::New(info.Env(), work.gemm().widest);
}

template <typename T>
Napi::Value LinearForwardT(const Napi::CallbackInfo& info) {
  const char* fn = "linearForward";
  const int nOut = Dim(info, 4, fn, "nOut"), nIn = Dim(info, 5, fn, "nIn"), m = Dim(info, 6, fn, "m");
  T* Z = View<T>(info, 0, fn, "Z", nOut, m);
  const T* W = View<T>(info, 1, fn, "W", nOut, nIn);
  const T* APrev = View<T>(info, 2, fn, "APrev", nIn, m);
  const T* b = View<T>(info, 3, fn, "b", nOut, 1);
  linear_forward<T>(Z, W, APrev, b, nOut, nIn, m);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value LinearActivationForwardT(const Napi::CallbackInfo& info) {
  const char* fn = "linearActivationForward";
  const int nOut = Dim(info, 5, fn, "nOut"), nIn = Dim(info, 6, fn, "nIn"), m = Dim(info, 7, fn, "m");
  const Activation act = ActivationArg(info, 8, fn, true);
  T* A = View<T>(info, 0, fn, "A", nOut, m);
  T* Z = View<T>(info, 1, fn, "Z", nOut, m);
  const T* W = View<T>(info, 2, fn, "W", nOut, nIn);
  const T* APrev = View<T>(info, 3, fn, "APrev", nIn, m);
  const T* b = View<T>(info, 4, fn, "b", nOut, 1);
  linear_activation_forward<T>(A, Z, W, APrev, b, nOut, nIn, m, act);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value ActivationForwardT(const Napi::CallbackInfo& info) {
  const char* fn = "activationForward";
  const int n = Dim(info, 2, fn, "n");
  const Activation act = ActivationArg(info, 3, fn);
  T* A = View<T>(info, 0, fn, "A", n, 1);
  const T* Z = View<T>(info, 1, fn, "Z", n, 1);
  activation_forward<T>(A, Z, n, act);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value ActivationBackwardT(const Napi::CallbackInfo& info) {
  const char* fn = "activationBackward";
  const int n = Dim(info, 3, fn, "n");
  const Activation act = ActivationArg(info, 4, fn);
  T* dZ = View<T>(info, 0, fn, "dZ", n, 1);
  const T* dA = View<T>(info, 1, fn, "dA", n, 1);
  const T* Z = View<T>(info, 2, fn, "Z", n, 1);
  activation_backward<T>(dZ, dA, Z, n, act);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value LinearBackwardT(const Napi::CallbackInfo& info) {
  const char* fn = "linearBackward";
  const int nOut = Dim(info, 6, fn, "nOut"), nIn = Dim(info, 7, fn, "nIn"), m = Dim(info, 8, fn, "m");
  T* dAPrev = IsNullish(info, 0) ? nullptr : View<T>(info, 0, fn, "dAPrev", nIn, m);
  T* dW = View<T>(info, 1, fn, "dW", nOut, nIn);
  T* db = View<T>(info, 2, fn, "db", nOut, 1);
  const T* dZ = View<T>(info, 3, fn, "dZ", nOut, m);
  const T* APrev = View<T>(info, 4, fn, "APrev", nIn, m);
  const T* W = View<T>(info, 5, fn, "W", nOut, nIn);
  linear_backward<T>(dAPrev, dW, db, dZ, APrev, W, nOut, nIn, m);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value LinearActivationBackwardT(const Napi::CallbackInfo& info) {
  const char* fn = "linearActivationBackward";
  const int nOut = Dim(info, 8, fn, "nOut"), nIn = Dim(info, 9, fn, "nIn"), m = Dim(info, 10, fn, "m");
  const Activation act = ActivationArg(info, 11, fn);
  T* dAPrev = IsNullish(info, 0) ? nullptr : View<T>(info, 0, fn, "dAPrev", nIn, m);
  T* dW = View<T>(info, 1, fn, "dW", nOut, nIn);
  T* db = View<T>(info, 2, fn, "db", nOut, 1);
  T* dZ = View<T>(info, 3, fn, "dZ", nOut, m);
  const T* dA = View<T>(info, 4, fn, "dA", nOut, m);
  const T* Z = View<T>(info, 5, fn, "Z", nOut, m);
  const T* APrev = View<T>(info, 6, fn, "APrev", nIn, m);
  const T* W = View<T>(info, 7, fn, "W", nOut, nIn);
  linear_activation_backward<T>(dAPrev, dW, db, dZ, dA, Z, APrev, W, nOut, nIn, m, act);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value CrossEntropyCostT(const Napi::CallbackInfo& info) {
  const char* fn = "crossEntropyCost";
  const int m = Dim(info, 2, fn, "m");
  const T* AL = View<T>(info, 0, fn, "AL", 1, m);
  const T* Y = View<T>(info, 1, fn, "Y", 1, m);
  return Napi::Number::New(info.Env(), cross_entropy_cost<T>(AL, Y, m));
}

template <typename T>
Napi::Value SgdUpdateT(const Napi::CallbackInfo& info) {
  const char* fn = "sgdUpdate";
  const double learningRate = Finite(info, 2, fn, "learningRate");
  if (!(learningRate > 0)) {
    throw Napi::RangeError::New(
        info.Env(), std::string(fn) + ": expected learningRate to be a finite number > 0, received " +
                        std::to_string(learningRate));
  }
  const int n = Dim(info, 3, fn, "n");
  T* param = View<T>(info, 0, fn, "param", n, 1);
  const T* grad = View<T>(info, 1, fn, "grad", n, 1);
  sgd_update<T>(param, grad, static_cast<T>(learningRate), n);
  return info.Env().Undefined();
}

// Routes one export to its float64 or float32 instantiation.
template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&),
          size_t kFirstBuffer>
Napi::Value Dispatch(const Napi::CallbackInfo& info) {
  const BlasHold hold;
  return IsFloat32Array(info[kFirstBuffer]) ? F32(info) : F64(info);
}

}  // namespace

void RegisterKernelBindings(Napi::Env env, Napi::Object exports) {
  Export<Dispatch<GemmT<double>, GemmT<float>, 0>>(env, exports, "gemm");
  Export<Dispatch<LinearForwardT<double>, LinearForwardT<float>, 0>>(env, exports, "linearForward");
  Export<Dispatch<LinearActivationForwardT<double>, LinearActivationForwardT<float>, 0>>(
      env, exports, "linearActivationForward");
  Export<Dispatch<ActivationForwardT<double>, ActivationForwardT<float>, 0>>(env, exports,
                                                                             "activationForward");
  Export<Dispatch<ActivationBackwardT<double>, ActivationBackwardT<float>, 0>>(env, exports,
                                                                               "activationBackward");
  Export<Dispatch<LinearBackwardT<double>, LinearBackwardT<float>, 1>>(env, exports, "linearBackward");
  Export<Dispatch<LinearActivationBackwardT<double>, LinearActivationBackwardT<float>, 1>>(
      env, exports, "linearActivationBackward");
  Export<Dispatch<CrossEntropyCostT<double>, CrossEntropyCostT<float>, 0>>(env, exports, "crossEntropyCost");
  Export<Dispatch<SgdUpdateT<double>, SgdUpdateT<float>, 0>>(env, exports, "sgdUpdate");
}

}  // namespace blasnet
