// Binding glue for the memory ledger (memory.h). Each environment (the main thread, each worker)
// keeps the total it has reserved: it can release no more than that, so no caller can drive the
// process's count below what others hold, and whatever an environment still holds when it is torn
// down (a terminated worker, whose models are never collected) is released with it.
#include <cmath>
#include <cstdint>
#include <string>

#include "bindings.h"
#include "check.h"
#include "memory.h"

namespace blasnet {

namespace {

// What one environment holds through memoryReserve. Only its own JavaScript thread touches it.
struct EnvReservations {
  uint64_t bytes = 0;
};

void ReleaseEnvironment(void* data) {
  auto* held = static_cast<EnvReservations*>(data);
  memory_release(held->bytes);
  delete held;
}

// Argument 0 as a byte count: an integer in [0, 2^53 - 1].
uint64_t BytesArg(const Napi::CallbackInfo& info, const char* fn) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw Napi::TypeError::New(env, Where(info, fn) + "expected bytes to be a number");
  }
  const double v = info[0].As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 9007199254740991.0) || std::floor(v) != v) {
    throw Napi::RangeError::New(
        env,
        Where(info, fn) + "expected bytes to be an integer in [0, 2^53 - 1], received " + std::to_string(v));
  }
  return static_cast<uint64_t>(v);
}

EnvReservations& Held(const Napi::CallbackInfo& info) {
  // The data of these functions is their environment's EnvReservations (see the registration).
  return *static_cast<EnvReservations*>(info.Data());
}

Napi::Value MemoryReserve(const Napi::CallbackInfo& info) {
  const uint64_t bytes = BytesArg(info, "memoryReserve");
  if (!memory_reserve(bytes)) return Napi::Boolean::New(info.Env(), false);
  Held(info).bytes += bytes;
  return Napi::Boolean::New(info.Env(), true);
}

Napi::Value MemoryRelease(const Napi::CallbackInfo& info) {
  const uint64_t bytes = BytesArg(info, "memoryRelease");
  EnvReservations& held = Held(info);
  if (bytes > held.bytes) {
    throw Napi::RangeError::New(info.Env(), "memoryRelease: cannot release " + std::to_string(bytes) +
                                                " bytes, this environment holds " +
                                                std::to_string(held.bytes));
  }
  held.bytes -= bytes;
  memory_release(bytes);
  return info.Env().Undefined();
}

Napi::Value MemoryFits(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), memory_fits(BytesArg(info, "memoryFits")));
}

Napi::Value SetMemoryLimit(const Napi::CallbackInfo& info) {
  set_memory_limit(BytesArg(info, "setMemoryLimit"));
  return info.Env().Undefined();
}

Napi::Value InitMemoryLimit(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), init_memory_limit(BytesArg(info, "initMemoryLimit")));
}

Napi::Value MemoryInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("limit", Napi::Number::New(env, static_cast<double>(memory_limit())));
  out.Set("inUse", Napi::Number::New(env, static_cast<double>(memory_in_use())));
  out.Set("defaultLimit", Napi::Number::New(env, static_cast<double>(default_memory_limit())));
  return out;
}

// exports[name] = F with the environment's reservations as its data. Not Guarded (check.h), whose
// data is the name: these allocate nothing natively, and their messages carry their names.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
void ExportWithHeld(Napi::Env env, Napi::Object exports, const char* name, EnvReservations* held) {
  exports.Set(name, Napi::Function::New(env, F, name, held));
}

}  // namespace

void RegisterMemoryBindings(Napi::Env env, Napi::Object exports) {
  auto* held = new EnvReservations();
  if (napi_add_env_cleanup_hook(env, ReleaseEnvironment, held) != napi_ok) {
    delete held;
    throw Napi::Error::New(env, "blasnet: could not register the memory ledger's cleanup hook");
  }
  ExportWithHeld<MemoryReserve>(env, exports, "memoryReserve", held);
  ExportWithHeld<MemoryRelease>(env, exports, "memoryRelease", held);
  Export<MemoryFits>(env, exports, "memoryFits");
  Export<SetMemoryLimit>(env, exports, "setMemoryLimit");
  Export<InitMemoryLimit>(env, exports, "initMemoryLimit");
  Export<MemoryInfo>(env, exports, "memoryInfo");
}

}  // namespace blasnet
