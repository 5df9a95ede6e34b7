// Reading a run plan (the buffers lib/plan.ts and lib/fit.ts build) in the glue of both training
// engines (train_bindings.cc, steps_bindings.cc): its properties, its buffers, the cancel argument
// and the outcome object. Every message starts with the engine's prefix ("train: ").
#pragma once

#include <napi.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "check.h"
#include "promise_job.h"
#include "train.h"

namespace blasnet {

// Argument 0, the plan object.
inline Napi::Object PlanArg(const Napi::CallbackInfo& info, const char* where) {
  if (info.Length() < 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(info.Env(),
                               std::string(where) + "expected a plan object as the first argument");
  }
  return info[0].As<Napi::Object>();
}

// Argument i, the caller's cancel flag: an Int32Array of length >= 1, or null (never raised).
inline const int* CancelArg(const Napi::CallbackInfo& info, size_t i, const char* where) {
  if (IsNullish(info, i)) return nullptr;
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
      info[i].As<Napi::Int32Array>().ElementLength() < 1) {
    throw Napi::TypeError::New(
        info.Env(), std::string(where) + "expected cancel to be an Int32Array of length >= 1 or null");
  }
  return info[i].As<Napi::Int32Array>().Data();
}

// The fields of a run's outcome both engines report; each adds its own.
inline Napi::Object OutcomeObject(Napi::Env env, const TrainResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", Napi::Number::New(env, static_cast<int>(r.status)));
  out.Set("completed", Napi::Number::New(env, r.completed));
  out.Set("seconds", Napi::Number::New(env, r.seconds));
  out.Set("blasSeconds", Napi::Number::New(env, r.blasSeconds));
  out.Set("splitThreads", Napi::Number::New(env, r.splitThreads));
  return out;
}

// Reads one plan. Buffers are queued (Later) while properties are read and checked only by TakeAll,
// once every property has been read: a getter that detaches a buffer read earlier cannot leave a
// dangling pointer behind (no JavaScript runs between check and use). `keep`, when not null,
// receives a reference to every buffer taken (an asynchronous run holds them).
class PlanReader {
 public:
  PlanReader(const Napi::Object& plan, const char* where, KeepAlive* keep)
      : plan_(plan), where_(where), keep_(keep) {}

  Napi::Env Env() const { return plan_.Env(); }
  const std::string& where() const { return where_; }

  // plan[key]; a TypeError when it is missing.
  Napi::Value Property(const char* key) const {
    Napi::Value v = plan_.Get(key);
    if (v.IsUndefined()) throw Napi::TypeError::New(Env(), where_ + "plan is missing \"" + key + "\"");
    return v;
  }

  // plan[key] and whether it is there (neither undefined nor null).
  std::pair<Napi::Value, bool> Optional(const char* key) const {
    Napi::Value v = plan_.Get(key);
    return {v, !v.IsUndefined() && !v.IsNull()};
  }

  // plan[key], a number in [lo, hi].
  double Number(const char* key, double lo, double hi) const {
    Napi::Value v = Property(key);
    if (!v.IsNumber()) {
      throw Napi::TypeError::New(Env(), where_ + "expected plan." + key + " to be a number");
    }
    const double x = v.As<Napi::Number>().DoubleValue();
    if (!(x >= lo && x <= hi)) {
      throw Napi::RangeError::New(Env(), where_ + "expected plan." + key + " to be in [" +
                                             std::to_string(lo) + ", " + std::to_string(hi) + "], received " +
                                             std::to_string(x));
    }
    return x;
  }

  // plan[key], an array (the per-layer lists).
  Napi::Array List(const char* key) const {
    Napi::Value list = Property(key);
    if (!list.IsArray()) throw Napi::TypeError::New(Env(), where_ + "plan." + key + " must be an array");
    return list.As<Napi::Array>();
  }

  // plan.dims: at least two sizes, each a positive int32; plan.m likewise.
  std::vector<int> Dims() const {
    Napi::Value value = Property("dims");
    if (!value.IsArray()) throw Napi::TypeError::New(Env(), where_ + "plan.dims must be an array");
    Napi::Array dims = value.As<Napi::Array>();
    if (dims.Length() < 2) throw Napi::RangeError::New(Env(), where_ + "plan.dims needs at least two sizes");
    std::vector<int> out;
    for (uint32_t l = 0; l < dims.Length(); ++l) {
      out.push_back(DimValue(Env(), dims.Get(l), where_, "plan.dims[" + std::to_string(l) + "]"));
    }
    return out;
  }
  int Dim(const char* key) const {
    return DimValue(Env(), Property(key), where_, std::string("plan.") + key);
  }

  // Queues `value` as a T buffer of rows * cols values named plan.<name>; TakeAll stores its data in *out.
  template <typename T, typename P>
  void Later(const Napi::Value& value, std::string name, size_t rows, size_t cols, P** out) {
    pending_.push_back({value, std::move(name), rows, cols,
                        [this, out](const Pending& p) { *out = Take<T>(p.value, p.name, p.rows, p.cols); }});
  }

  // Checks every queued buffer, in the order queued, and stores its data.
  void TakeAll() {
    for (const Pending& p : pending_) p.take(p);
    pending_.clear();
  }

  // `value` as a T buffer of rows * cols values named plan.<name>, checked now.
  template <typename T>
  T* Take(const Napi::Value& value, const std::string& name, size_t rows, size_t cols) const {
    Napi::TypedArrayOf<T> array = MatrixValue<T>(Env(), value, where_, "plan." + name, rows, cols);
    if (keep_ != nullptr) keep_->push_back(Napi::Persistent(Napi::Object(array)));
    return array.Data();
  }

 private:
  struct Pending {
    Napi::Value value;
    std::string name;
    size_t rows, cols;
    std::function<void(const Pending&)> take;
  };

  Napi::Object plan_;
  std::string where_;
  KeepAlive* keep_;
  std::vector<Pending> pending_;
};

// Picks the float32 or float64 instantiation of a plan export by the type of plan[kKey] (a buffer
// every plan has); the chosen one then checks every buffer against it. kWhere prefixes messages.
template <const char* kWhere, const char* kKey, Napi::Value (*F64)(const Napi::CallbackInfo&),
          Napi::Value (*F32)(const Napi::CallbackInfo&)>
Napi::Value ByPlanType(const Napi::CallbackInfo& info) {
  return IsFloat32Array(PlanArg(info, kWhere).Get(kKey)) ? F32(info) : F64(info);
}

}  // namespace blasnet
