// Binding glue for the training engine: a plan object of typed arrays becomes a Network; runs are
// synchronous (trainIterations) or on the libuv pool (trainIterationsAsync, a Promise).
#include <napi.h>

#include <limits>
#include <memory>
#include <string>

#include "bindings.h"
#include "blas_lock.h"
#include "check.h"
#include "train.h"

namespace blasnet {

namespace {

Napi::Value Property(const Napi::Object& plan, const char* key) {
  Napi::Value v = plan.Get(key);
  if (v.IsUndefined()) {
    throw Napi::TypeError::New(plan.Env(), std::string("train: plan is missing \"") + key + "\"");
  }
  return v;
}

// Element i of plan[key] (an array of typed arrays) as a T buffer of rows * cols values.
// Strong references to every array a run touches, so none can be collected while it is in flight.
using KeepAlive = std::vector<Napi::ObjectReference>;

template <typename T>
T* Keep(Napi::TypedArrayOf<T> array, KeepAlive* keep) {
  if (keep != nullptr) keep->push_back(Napi::Persistent(Napi::Object(array)));
  return array.Data();
}

template <typename T>
T* PlanBuffer(const Napi::Object& plan, const char* key, uint32_t i, size_t rows, size_t cols,
              KeepAlive* keep) {
  Napi::Env env = plan.Env();
  Napi::Value list = Property(plan, key);
  if (!list.IsArray())
    throw Napi::TypeError::New(env, std::string("train: plan.") + key + " must be an array");
  Napi::Value item = list.As<Napi::Array>().Get(i);
  const std::string name = std::string(key) + "[" + std::to_string(i) + "]";
  if (!item.IsTypedArray() || item.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::kType) {
    throw Napi::TypeError::New(env,
                               "train: expected plan." + name + " to be a " + TypedArrayTraits<T>::kName);
  }
  Napi::TypedArrayOf<T> array = item.As<Napi::TypedArrayOf<T>>();
  if (array.ArrayBuffer().IsDetached() || array.ElementLength() != rows * cols) {
    throw Napi::RangeError::New(env, "train: expected plan." + name + " to hold [" + std::to_string(rows) +
                                         ", " + std::to_string(cols) + "] values, received " +
                                         std::to_string(array.ElementLength()));
  }
  return Keep(array, keep);
}

template <typename T>
T* PlanSingle(const Napi::Object& plan, const char* key, size_t rows, size_t cols, KeepAlive* keep) {
  Napi::Env env = plan.Env();
  Napi::Value item = Property(plan, key);
  if (!item.IsTypedArray() || item.As<Napi::TypedArray>().TypedArrayType() != TypedArrayTraits<T>::kType) {
    throw Napi::TypeError::New(
        env, std::string("train: expected plan.") + key + " to be a " + TypedArrayTraits<T>::kName);
  }
  Napi::TypedArrayOf<T> array = item.As<Napi::TypedArrayOf<T>>();
  if (array.ArrayBuffer().IsDetached() || array.ElementLength() != rows * cols) {
    throw Napi::RangeError::New(env, std::string("train: expected plan.") + key + " to hold " +
                                         std::to_string(rows * cols) + " values, received " +
                                         std::to_string(array.ElementLength()));
  }
  return Keep(array, keep);
}

int PositiveInt(Napi::Env env, Napi::Value v, const std::string& name) {
  if (!v.IsNumber()) throw Napi::TypeError::New(env, "train: expected " + name + " to be a number");
  const double d = v.As<Napi::Number>().DoubleValue();
  if (!(d >= 1 && d <= 2147483647.0) || static_cast<double>(static_cast<int>(d)) != d) {
    throw Napi::RangeError::New(env, "train: expected " + name + " to be a positive integer");
  }
  return static_cast<int>(d);
}

// Re-checks every buffer of the plan against its dims (O(L)) and gathers the raw pointers.
template <typename T>
Network<T> ParsePlan(const Napi::Object& plan, KeepAlive* keep = nullptr) {
  Napi::Env env = plan.Env();
  Network<T> net;
  Napi::Value dimsValue = Property(plan, "dims");
  if (!dimsValue.IsArray()) throw Napi::TypeError::New(env, "train: plan.dims must be an array");
  Napi::Array dims = dimsValue.As<Napi::Array>();
  if (dims.Length() < 2) throw Napi::RangeError::New(env, "train: plan.dims needs at least two sizes");
  for (uint32_t l = 0; l < dims.Length(); ++l) {
    net.dims.push_back(PositiveInt(env, dims.Get(l), "plan.dims[" + std::to_string(l) + "]"));
  }
  net.m = PositiveInt(env, Property(plan, "m"), "plan.m");
  const int L = net.layers();
  const size_t m = net.m;
  net.X = PlanSingle<T>(plan, "X", net.dims[0], m, keep);
  net.Y = PlanSingle<T>(plan, "Y", net.dims[L], m, keep);
  for (auto* list : {&net.W, &net.b, &net.Z, &net.A, &net.dZ, &net.dW, &net.db}) list->assign(L + 1, nullptr);
  for (int l = 1; l <= L; ++l) {
    const size_t nOut = net.dims[l], nIn = net.dims[l - 1];
    const uint32_t i = l - 1;
    net.W[l] = PlanBuffer<T>(plan, "W", i, nOut, nIn, keep);
    net.b[l] = PlanBuffer<T>(plan, "b", i, nOut, 1, keep);
    net.Z[l] = PlanBuffer<T>(plan, "Z", i, nOut, m, keep);
    net.A[l] = PlanBuffer<T>(plan, "A", i, nOut, m, keep);
    net.dZ[l] = PlanBuffer<T>(plan, "dZ", i, nOut, m, keep);
    net.dW[l] = PlanBuffer<T>(plan, "dW", i, nOut, nIn, keep);
    net.db[l] = PlanBuffer<T>(plan, "db", i, nOut, 1, keep);
  }
  Napi::Value G = plan.Get("G");
  if (!G.IsUndefined() && !G.IsNull()) {
    net.G = PlanSingle<T>(plan, "G", m, m, keep);
    net.S = PlanSingle<T>(plan, "S", net.dims[1], m, keep);
  }
  return net;
}

Napi::Object PlanArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(info.Env(), "train: expected a plan object as the first argument");
  }
  return info[0].As<Napi::Object>();
}

bool PlanIsFloat32(const Napi::Object& plan) {
  Napi::Value X = plan.Get("X");
  return X.IsTypedArray() && X.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
}

struct RunArgs {
  double learningRate;
  int count;
  long firstIteration;
  int costEvery;
  double* costs;
  const int* cancel;
};

// (plan, learningRate, count, firstIteration, costEvery, costs: Float64Array(count), cancel: Int32Array |
// null)
RunArgs ParseRunArgs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RunArgs args{};
  args.learningRate = Finite(info, 1, "train", "learningRate");
  if (!(args.learningRate > 0)) throw Napi::RangeError::New(env, "train: expected learningRate > 0");
  args.count = Dim(info, 2, "train", "count");
  const double first = Finite(info, 3, "train", "firstIteration");
  if (first < 0 || first > 9007199254740991.0) throw Napi::RangeError::New(env, "train: bad firstIteration");
  args.firstIteration = static_cast<long>(first);
  args.costEvery = Dim(info, 4, "train", "costEvery");
  args.costs = View<double>(info, 5, "train", "costs", args.count, 1);
  args.cancel = nullptr;
  if (!IsNullish(info, 6)) {
    if (!info[6].IsTypedArray() || info[6].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array ||
        info[6].As<Napi::Int32Array>().ElementLength() < 1) {
      throw Napi::TypeError::New(env, "train: expected cancel to be an Int32Array of length >= 1 or null");
    }
    args.cancel = info[6].As<Napi::Int32Array>().Data();
  }
  return args;
}

Napi::Object ResultObject(Napi::Env env, const TrainResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", Napi::Number::New(env, static_cast<int>(r.status)));
  out.Set("completed", Napi::Number::New(env, r.completed));
  out.Set("seconds", Napi::Number::New(env, r.seconds));
  out.Set("blasSeconds", Napi::Number::New(env, r.blasSeconds));
  return out;
}

template <typename T>
Napi::Value TrainSync(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  const RunArgs a = ParseRunArgs(info);
  const TrainResult r = train_iterations<T>(net, static_cast<T>(a.learningRate), a.count, a.firstIteration,
                                            a.costEvery, a.costs, a.cancel, &BlasLock());
  return ResultObject(info.Env(), r);
}

// Runs on the libuv pool. Its buffers belong to it until the promise settles: it holds references
// to the plan (and so to every array in it), the costs and the cancel flag, and the TypeScript
// Model refuses a second run while one is in flight.
template <typename T>
class TrainWorker : public Napi::AsyncWorker {
 public:
  TrainWorker(Napi::Env env, const Napi::CallbackInfo& info, KeepAlive keep, Network<T> net, RunArgs args)
      : Napi::AsyncWorker(env, "blasnet.train"),
        deferred_(Napi::Promise::Deferred::New(env)),
        net_(std::move(net)),
        args_(args),
        refs_(std::move(keep)) {
    for (size_t i = 5; i < info.Length() && i < 7; ++i) {
      if (info[i].IsObject()) refs_.push_back(Napi::Persistent(info[i].As<Napi::Object>()));
    }
  }

  Napi::Promise Promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      result_ =
          train_iterations<T>(net_, static_cast<T>(args_.learningRate), args_.count, args_.firstIteration,
                              args_.costEvery, args_.costs, args_.cancel, &BlasLock());
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override { deferred_.Resolve(ResultObject(Env(), result_)); }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  Network<T> net_;
  RunArgs args_;
  TrainResult result_;
  KeepAlive refs_;
};

template <typename T>
Napi::Value TrainAsync(const Napi::CallbackInfo& info) {
  KeepAlive keep;
  Network<T> net = ParsePlan<T>(PlanArg(info), &keep);
  const RunArgs a = ParseRunArgs(info);
  auto* worker = new TrainWorker<T>(info.Env(), info, std::move(keep), std::move(net), a);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

template <typename T>
Napi::Value GramBegin(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  if (net.G == nullptr) throw Napi::TypeError::New(info.Env(), "gramBegin: plan has no G and S");
  std::lock_guard<std::mutex> hold(BlasLock());
  gram_begin<T>(net);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value GramMaterialize(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  if (net.G == nullptr) throw Napi::TypeError::New(info.Env(), "gramMaterialize: plan has no G and S");
  std::lock_guard<std::mutex> hold(BlasLock());
  gram_materialize<T>(net);
  return info.Env().Undefined();
}

template <typename T>
Napi::Value ForwardPass(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  std::lock_guard<std::mutex> hold(BlasLock());
  forward_pass<T>(net);
  return info.Env().Undefined();
}

template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&)>
Napi::Value ByPlanType(const Napi::CallbackInfo& info) {
  return PlanIsFloat32(PlanArg(info)) ? F32(info) : F64(info);
}

}  // namespace

void RegisterTrainBindings(Napi::Env env, Napi::Object exports) {
  exports.Set("trainIterations", Napi::Function::New(env, ByPlanType<TrainSync<double>, TrainSync<float>>));
  exports.Set("trainIterationsAsync",
              Napi::Function::New(env, ByPlanType<TrainAsync<double>, TrainAsync<float>>));
  exports.Set("gramBegin", Napi::Function::New(env, ByPlanType<GramBegin<double>, GramBegin<float>>));
  exports.Set("gramMaterialize",
              Napi::Function::New(env, ByPlanType<GramMaterialize<double>, GramMaterialize<float>>));
  exports.Set("forwardPass", Napi::Function::New(env, ByPlanType<ForwardPass<double>, ForwardPass<float>>));
}

}  // namespace blasnet
