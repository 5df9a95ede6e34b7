// Binding glue for the RandomState kernels: re-check the TS-owned state buffers, then call native/random.h.
#include <cmath>
#include <cstdint>
#include <string>

#include "bindings.h"
#include "check.h"
#include "random.h"

namespace blasnet {

namespace {

// The data of argument i as a typed array of T, not detached, and (unless length is SIZE_MAX) of
// exactly `length` elements. *count receives the element count.
template <typename T>
T* RandomView(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name, size_t length,
              size_t* count) {
  const std::string shape = length == SIZE_MAX ? std::string() : " of length " + std::to_string(length);
  Napi::TypedArrayOf<T> array = TypedValue<T>(info.Env(), info[i], Where(info, fn), name, shape);
  const size_t n = array.ElementLength();
  if (length != SIZE_MAX && n != length) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + "expected " + name + " to be " +
                                                TypeName<T>(shape) + ", received length " +
                                                std::to_string(n));
  }
  if (count != nullptr) *count = n;
  return array.Data();
}

uint32_t* StateArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  return RandomView<uint32_t>(info, i, fn, "state", kMtN, nullptr);
}

// The position holder; its value must be a valid index into the key (624 = regenerate first).
int32_t* PosArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  int32_t* pos = RandomView<int32_t>(info, i, fn, "pos", 1, nullptr);
  if (*pos < 0 || *pos > kMtN) {
    throw Napi::RangeError::New(
        info.Env(), Where(info, fn) + "expected pos[0] to be in [0, 624], received " + std::to_string(*pos));
  }
  return pos;
}

double* OutArg(const Napi::CallbackInfo& info, size_t i, const char* fn, size_t* n) {
  return RandomView<double>(info, i, fn, "out", SIZE_MAX, n);
}

Napi::Value MtSeed(const Napi::CallbackInfo& info) {
  const char* fn = "mtSeed";
  Napi::Env env = info.Env();
  uint32_t* key = StateArg(info, 0, fn);
  int32_t* pos = RandomView<int32_t>(info, 1, fn, "pos", 1, nullptr);
  if (info.Length() <= 2 || !info[2].IsNumber()) {
    throw Napi::TypeError::New(env, Where(info, fn) + "expected seed to be a number");
  }
  const double seed = info[2].As<Napi::Number>().DoubleValue();
  if (!(seed >= 0 && seed <= 4294967295.0) || std::floor(seed) != seed) {
    throw Napi::RangeError::New(env, Where(info, fn) +
                                         "expected seed to be an integer in [0, 2^32 - 1], received " +
                                         std::to_string(seed));
  }
  int p = 0;
  mt_seed(key, &p, static_cast<uint32_t>(seed));
  *pos = p;
  return env.Undefined();
}

Napi::Value MtRandomSample(const Napi::CallbackInfo& info) {
  const char* fn = "mtRandomSample";
  uint32_t* key = StateArg(info, 0, fn);
  int32_t* pos = PosArg(info, 1, fn);
  size_t n = 0;
  double* out = OutArg(info, 2, fn, &n);
  // The kernel indexes the key with a local copy: out may alias pos's buffer, and a write through
  // out must not move the index out of bounds.
  int p = *pos;
  mt_random_sample(key, &p, out, n);
  *pos = p;
  return info.Env().Undefined();
}

Napi::Value MtRandn(const Napi::CallbackInfo& info) {
  const char* fn = "mtRandn";
  uint32_t* key = StateArg(info, 0, fn);
  int32_t* pos = PosArg(info, 1, fn);
  double* gauss = RandomView<double>(info, 2, fn, "gauss", 2, nullptr);
  size_t n = 0;
  double* out = OutArg(info, 3, fn, &n);
  // An all-zero MT19937 state (never produced by seeding) draws zeros forever, and the polar
  // method would reject them forever: refuse it rather than hang.
  bool degenerate = (key[0] & 0x80000000u) == 0;
  for (int i = 1; degenerate && i < kMtN; ++i) degenerate = key[i] == 0;
  if (degenerate) {
    throw Napi::RangeError::New(
        info.Env(), Where(info, fn) + "expected a seeded MT19937 state, received an all-zero one");
  }
  int p = *pos;  // a local index, as in MtRandomSample
  mt_randn(key, &p, gauss, out, n);
  *pos = p;
  return info.Env().Undefined();
}

Napi::Value MtPermutation(const Napi::CallbackInfo& info) {
  const char* fn = "mtPermutation";
  uint32_t* key = StateArg(info, 0, fn);
  int32_t* pos = PosArg(info, 1, fn);
  size_t n = 0;
  int32_t* out = RandomView<int32_t>(info, 2, fn, "out", SIZE_MAX, &n);
  int p = *pos;  // a local index, as in MtRandomSample
  mt_permutation(key, &p, out, n);
  *pos = p;
  return info.Env().Undefined();
}

Napi::Value MtDropoutMask(const Napi::CallbackInfo& info) {
  const char* fn = "mtDropoutMask";
  uint32_t* key = StateArg(info, 0, fn);
  int32_t* pos = PosArg(info, 1, fn);
  const double keepProb = Finite(info, 3, fn, "keepProb");
  if (!(keepProb > 0 && keepProb <= 1)) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + "expected keepProb to be in (0, 1], received " +
                                                std::to_string(keepProb));
  }
  int p = *pos;
  size_t n = 0;
  if (IsFloat32Array(info[2])) {
    float* D = RandomView<float>(info, 2, fn, "D", SIZE_MAX, &n);
    mt_dropout_mask<float>(key, &p, D, keepProb, n);
  } else {
    double* D = RandomView<double>(info, 2, fn, "D", SIZE_MAX, &n);
    mt_dropout_mask<double>(key, &p, D, keepProb, n);
  }
  *pos = p;
  return info.Env().Undefined();
}

}  // namespace

void RegisterRandomBindings(Napi::Env env, Napi::Object exports) {
  Export<MtSeed>(env, exports, "mtSeed");
  Export<MtRandomSample>(env, exports, "mtRandomSample");
  Export<MtRandn>(env, exports, "mtRandn");
  Export<MtPermutation>(env, exports, "mtPermutation");
  Export<MtDropoutMask>(env, exports, "mtDropoutMask");
}

}  // namespace blasnet
