// Binding glue for the trainer's elementwise kernels (softmax, softmax cost, L2 pieces, momentum,
// Adam, dropout, column gather): re-check buffers and scalars, then call the kernel. Each export
// serves float64 and float32; the first buffer's type picks the precision.
#include <cmath>
#include <string>

#include "bindings.h"
#include "check.h"
#include "kernels.h"

namespace blasnet {

namespace {

// Argument i as a finite number within [low, high) (or [low, high] when closed), for hyperparameters.
double Bounded(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name, double low,
               double high, bool lowOpen, bool highOpen, const char* range) {
  const double v = Finite(info, i, fn, name);
  const bool ok = (lowOpen ? v > low : v >= low) && (highOpen ? v < high : v <= high);
  if (!ok) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + "expected " + name + " to be in " + range +
                                                ", received " + std::to_string(v));
  }
  return v;
}

double Positive(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return Bounded(info, i, fn, name, 0, INFINITY, true, true, "(0, Infinity)");
}

double Beta(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return Bounded(info, i, fn, name, 0, 1, false, true, "[0, 1)");
}

template <typename T>
Napi::Value SoftmaxForwardT(const Napi::CallbackInfo& info) {
  const char* fn = "softmaxForward";
  const int rows = Dim(info, 2, fn, "rows"), cols = Dim(info, 3, fn, "cols");
  T* A = View<T>(info, 0, fn, "A", rows, cols);
  const T* Z = View<T>(info, 1, fn, "Z", rows, cols);
  softmax_columns<T>(A, Z, rows, cols);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value SoftmaxCrossEntropyCostT(const Napi::CallbackInfo& info) {
  const char* fn = "softmaxCrossEntropyCost";
  const int C = Dim(info, 2, fn, "C"), m = Dim(info, 3, fn, "m");
  const T* AL = View<T>(info, 0, fn, "AL", C, m);
  const T* Y = View<T>(info, 1, fn, "Y", C, m);
  return Napi::Number::New(info.Env(), softmax_cross_entropy_cost<T>(AL, Y, C, m));
}

template <typename T>
Napi::Value SumSquaresT(const Napi::CallbackInfo& info) {
  const char* fn = "sumSquares";
  const int n = Dim(info, 1, fn, "n");
  const T* x = View<T>(info, 0, fn, "x", n, 1);
  return Napi::Number::New(info.Env(), sum_squares<T>(x, n));
}

template <typename T>
Napi::Value AddScaledT(const Napi::CallbackInfo& info) {
  const char* fn = "addScaled";
  const double c = Finite(info, 2, fn, "c");
  const int n = Dim(info, 3, fn, "n");
  T* out = View<T>(info, 0, fn, "out", n, 1);
  const T* x = View<T>(info, 1, fn, "x", n, 1);
  add_scaled<T>(out, x, static_cast<T>(c), n);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value MomentumUpdateT(const Napi::CallbackInfo& info) {
  const char* fn = "momentumUpdate";
  const double beta = Beta(info, 3, fn, "beta");
  const double learningRate = Positive(info, 4, fn, "learningRate");
  const int n = Dim(info, 5, fn, "n");
  T* param = View<T>(info, 0, fn, "param", n, 1);
  T* v = View<T>(info, 1, fn, "v", n, 1);
  const T* grad = View<T>(info, 2, fn, "grad", n, 1);
  momentum_update<T>(param, v, grad, static_cast<T>(beta), static_cast<T>(learningRate), n);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value AdamUpdateT(const Napi::CallbackInfo& info) {
  const char* fn = "adamUpdate";
  const double t = Finite(info, 4, fn, "t");
  if (!(t >= 1 && t <= 9007199254740991.0) || std::floor(t) != t) {
    throw Napi::RangeError::New(
        info.Env(), Where(info, fn) + "expected t to be an integer >= 1, received " + std::to_string(t));
  }
  const double learningRate = Positive(info, 5, fn, "learningRate");
  const double beta1 = Beta(info, 6, fn, "beta1");
  const double beta2 = Beta(info, 7, fn, "beta2");
  const double epsilon = Positive(info, 8, fn, "epsilon");
  const int n = Dim(info, 9, fn, "n");
  T* param = View<T>(info, 0, fn, "param", n, 1);
  T* v = View<T>(info, 1, fn, "v", n, 1);
  T* s = View<T>(info, 2, fn, "s", n, 1);
  const T* grad = View<T>(info, 3, fn, "grad", n, 1);
  // Python's beta1 ** t on floats is C pow(); computed once in double, as numpy's scalar is.
  const double c1 = 1.0 - std::pow(beta1, t);
  const double c2 = 1.0 - std::pow(beta2, t);
  adam_update<T>(param, v, s, grad, static_cast<T>(learningRate), static_cast<T>(beta1),
                 static_cast<T>(beta2), static_cast<T>(epsilon), static_cast<T>(c1), static_cast<T>(c2), n);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value DropoutApplyT(const Napi::CallbackInfo& info) {
  const char* fn = "dropoutApply";
  const double keepProb = Bounded(info, 2, fn, "keepProb", 0, 1, true, false, "(0, 1]");
  const int n = Dim(info, 3, fn, "n");
  T* A = View<T>(info, 0, fn, "A", n, 1);
  const T* D = View<T>(info, 1, fn, "D", n, 1);
  dropout_apply<T>(A, D, static_cast<T>(keepProb), n);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value GatherColumnsT(const Napi::CallbackInfo& info) {
  const char* fn = "gatherColumns";
  const int rows = Dim(info, 3, fn, "rows"), cols = Dim(info, 4, fn, "cols"),
            count = Dim(info, 5, fn, "count");
  T* out = View<T>(info, 0, fn, "out", rows, count);
  const T* X = View<T>(info, 1, fn, "X", rows, cols);
  Napi::TypedArrayOf<int32_t> idxArray = TypedValue<int32_t>(info.Env(), info[2], Where(info, fn), "idx");
  if (idxArray.ElementLength() != static_cast<size_t>(count)) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + "expected idx to hold " +
                                                std::to_string(count) + " values, received " +
                                                std::to_string(idxArray.ElementLength()));
  }
  const int32_t* idx = idxArray.Data();
  // O(count), like the gather itself: an index out of range would read outside X.
  for (int j = 0; j < count; ++j) {
    if (idx[j] < 0 || idx[j] >= cols) {
      throw Napi::RangeError::New(info.Env(), Where(info, fn) + "expected idx values in [0, " +
                                                  std::to_string(cols) + "), received " +
                                                  std::to_string(idx[j]) + " at " + std::to_string(j));
    }
  }
  gather_columns<T>(out, X, idx, rows, cols, count);
  return info.Env().Undefined();
}

// out (cols, rows) = X^T, X float64 (rows, cols), out float64 or float32.
template <typename T>
Napi::Value TransposeIntoT(const Napi::CallbackInfo& info) {
  const char* fn = "transposeInto";
  const int rows = Dim(info, 2, fn, "rows"), cols = Dim(info, 3, fn, "cols");
  T* out = View<T>(info, 0, fn, "out", cols, rows);
  const double* X = View<double>(info, 1, fn, "X", rows, cols);
  transpose_into<T, double>(out, X, rows, cols);
  return info.Env().Undefined();
}

template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&)>
Napi::Value Dispatch(const Napi::CallbackInfo& info) {
  return IsFloat32Array(info[0]) ? F32(info) : F64(info);
}

}  // namespace

void RegisterTrainerBindings(Napi::Env env, Napi::Object exports) {
  Export<Dispatch<SoftmaxForwardT<double>, SoftmaxForwardT<float>>>(env, exports, "softmaxForward");
  Export<Dispatch<SoftmaxCrossEntropyCostT<double>, SoftmaxCrossEntropyCostT<float>>>(
      env, exports, "softmaxCrossEntropyCost");
  Export<Dispatch<SumSquaresT<double>, SumSquaresT<float>>>(env, exports, "sumSquares");
  Export<Dispatch<AddScaledT<double>, AddScaledT<float>>>(env, exports, "addScaled");
  Export<Dispatch<MomentumUpdateT<double>, MomentumUpdateT<float>>>(env, exports, "momentumUpdate");
  Export<Dispatch<AdamUpdateT<double>, AdamUpdateT<float>>>(env, exports, "adamUpdate");
  Export<Dispatch<DropoutApplyT<double>, DropoutApplyT<float>>>(env, exports, "dropoutApply");
  Export<Dispatch<GatherColumnsT<double>, GatherColumnsT<float>>>(env, exports, "gatherColumns");
  Export<Dispatch<TransposeIntoT<double>, TransposeIntoT<float>>>(env, exports, "transposeInto");
}

}  // namespace blasnet
