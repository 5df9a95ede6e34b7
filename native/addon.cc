// Module init: registers every binding. No mutable globals, so the addon loads in worker threads.
#include <napi.h>

#include "bindings.h"
#include "blas_lock.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  blasnet::InstallForkGuard();
  blasnet::RegisterKernelBindings(env, exports);
  blasnet::RegisterBlasBindings(env, exports);
  blasnet::RegisterTrainBindings(env, exports);
  blasnet::RegisterRandomBindings(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(blasnet, Init)
