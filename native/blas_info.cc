// OpenBLAS thread control and build information.
#include <cblas.h>

#include "bindings.h"
#include "blas_threads.h"
#include "check.h"

namespace blasnet {

namespace {

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  const int n = Dim(info, 0, "setNumThreads", "n");
  request_blas_threads(n);
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), blas_threads());
}

Napi::Value BlasInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("config", Napi::String::New(env, openblas_get_config()));
  out.Set("coreName", Napi::String::New(env, openblas_get_corename()));
  out.Set("threads", Napi::Number::New(env, blas_threads()));
  out.Set("parallel", Napi::Number::New(env, openblas_get_parallel()));
  return out;
}

}  // namespace

void RegisterBlasBindings(Napi::Env env, Napi::Object exports) {
  Export<SetNumThreads>(env, exports, "setNumThreads");
  Export<GetNumThreads>(env, exports, "getNumThreads");
  Export<BlasInfo>(env, exports, "blasInfo");
}

}  // namespace blasnet
