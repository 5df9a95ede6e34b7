// Module init: registers every binding. The only process-wide state mirrors OpenBLAS's own (its
// lock and thread count); nothing is per environment, so the addon loads in worker threads.
#include <napi.h>

#include "bindings.h"
#include "blas_lock.h"
#include "blas_threads.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  blasnet::InstallForkGuard();
  blasnet::blas_threads();  // pins the requested count to OpenBLAS's default before any run
  blasnet::RegisterKernelBindings(env, exports);
  blasnet::RegisterBlasBindings(env, exports);
  blasnet::RegisterTrainBindings(env, exports);
  blasnet::RegisterRandomBindings(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(blasnet, Init)
