// Module init: registers every binding. The process-wide state mirrors OpenBLAS's own (its lock
// and thread count) plus the memory ledger, which every thread shares as it shares the memory; the
// only per-environment state is what each environment has reserved, released when it goes away.
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
  blasnet::RegisterMemoryBindings(env, exports);
  blasnet::RegisterTrainerBindings(env, exports);
  blasnet::RegisterStepBindings(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(blasnet, Init)
