// Binding glue for the training engine: a plan object of typed arrays becomes a Network; runs are
// synchronous (trainIterations) or on blasnet's training thread (trainIterationsAsync, a Promise).
#include <napi.h>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <system_error>

#include "bindings.h"
#include "blas_threads.h"
#include "check.h"
#include "gram.h"
#include "promise_job.h"
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

// A plan buffer read from JavaScript but not yet checked. Parsing reads every property first and
// only then checks lengths and takes data pointers, so a getter that detaches a buffer read
// earlier cannot leave a dangling pointer behind (no JavaScript runs between check and use).
template <typename T>
struct PendingBuffer {
  Napi::Value value;
  std::string name;
  size_t rows, cols;
  std::function<void(T*)> store;
};

template <typename T>
void TakeBuffer(Napi::Env env, const PendingBuffer<T>& p, KeepAlive* keep) {
  Napi::TypedArrayOf<T> array = MatrixValue<T>(env, p.value, "train: ", "plan." + p.name, p.rows, p.cols);
  if (keep != nullptr) keep->push_back(Napi::Persistent(Napi::Object(array)));
  p.store(array.Data());
}

// plan[key][i], for the per-layer lists.
Napi::Value ListItem(const Napi::Object& plan, const char* key, uint32_t i) {
  Napi::Value list = Property(plan, key);
  if (!list.IsArray()) {
    throw Napi::TypeError::New(plan.Env(), std::string("train: plan.") + key + " must be an array");
  }
  return list.As<Napi::Array>().Get(i);
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
    net.dims.push_back(DimValue(env, dims.Get(l), "train: ", "plan.dims[" + std::to_string(l) + "]"));
  }
  net.m = DimValue(env, Property(plan, "m"), "train: ", "plan.m");
  const int L = net.layers();
  const size_t m = net.m;
  std::vector<PendingBuffer<T>> pending;
  auto single = [&](const char* key, size_t rows, size_t cols, std::function<void(T*)> store) {
    pending.push_back({Property(plan, key), key, rows, cols, std::move(store)});
  };
  single("X", net.dims[0], m, [&net](T* p) { net.X = p; });
  single("Y", net.dims[L], m, [&net](T* p) { net.Y = p; });
  for (auto* list : {&net.W, &net.b, &net.A, &net.dZ, &net.dW, &net.db}) list->assign(L + 1, nullptr);
  // Every per-layer buffer has n_l rows; its columns are n_(l-1) (kFanIn), 1 (kOne) or m (kExamples).
  enum Cols { kFanIn, kOne, kExamples };
  const struct {
    const char* key;
    std::vector<T*>* list;
    Cols cols;
  } lists[] = {{"W", &net.W, kFanIn},      {"b", &net.b, kOne},     {"A", &net.A, kExamples},
               {"dZ", &net.dZ, kExamples}, {"dW", &net.dW, kFanIn}, {"db", &net.db, kOne}};
  for (int l = 1; l <= L; ++l) {
    const uint32_t i = l - 1;
    for (const auto& entry : lists) {
      const size_t cols = entry.cols == kFanIn ? net.dims[l - 1] : entry.cols == kOne ? 1 : m;
      std::vector<T*>* list = entry.list;
      pending.push_back({ListItem(plan, entry.key, i), std::string(entry.key) + "[" + std::to_string(i) + "]",
                         static_cast<size_t>(net.dims[l]), cols, [list, l](T* p) { (*list)[l] = p; }});
    }
  }
  Napi::Value G = plan.Get("G");
  if (!G.IsUndefined() && !G.IsNull()) {
    single("G", m, m, [&net](T* p) { net.gram.G = p; });
    single("S", net.dims[1], m, [&net](T* p) { net.gram.S = p; });
    single("Z1", net.dims[1], m, [&net](T* p) { net.gram.Z1 = p; });
  }
  // Every property has been read; from here on no JavaScript runs.
  for (const auto& p : pending) TakeBuffer(env, p, keep);
  return net;
}

Napi::Object PlanArg(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsObject()) {
    throw Napi::TypeError::New(info.Env(), "train: expected a plan object as the first argument");
  }
  return info[0].As<Napi::Object>();
}

struct RunArgs {
  double learningRate;
  int count;
  long firstIteration;
  int costEvery;
  double* costs;
  const int* cancel;
  bool settle;
};

// (plan, learningRate, count, firstIteration, costEvery, costs: Float64Array(count), cancel: Int32Array |
// null, settle?: boolean): settle asks a Gram-path chunk to leave W1 current (gram.h).
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
  args.settle = false;
  if (!IsNullish(info, 7)) {
    if (!info[7].IsBoolean()) throw Napi::TypeError::New(env, "train: expected settle to be a boolean");
    args.settle = info[7].As<Napi::Boolean>().Value();
  }
  return args;
}

Napi::Object ResultObject(Napi::Env env, const TrainResult& r) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("status", Napi::Number::New(env, static_cast<int>(r.status)));
  out.Set("completed", Napi::Number::New(env, r.completed));
  out.Set("seconds", Napi::Number::New(env, r.seconds));
  out.Set("blasSeconds", Napi::Number::New(env, r.blasSeconds));
  out.Set("splitThreads", Napi::Number::New(env, r.splitThreads));
  out.Set("settleSeconds", Napi::Number::New(env, r.settleSeconds));
  return out;
}

template <typename T>
Napi::Value TrainSync(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  const RunArgs a = ParseRunArgs(info);
  const TrainResult r = train_iterations<T>(net, static_cast<T>(a.learningRate), a.count, a.firstIteration,
                                            a.costEvery, a.costs, {a.cancel, nullptr}, a.settle);
  return ResultObject(info.Env(), r);
}

// One fitAsync chunk of full-batch iterations on the training thread (promise_job.h).
template <typename T>
class TrainJob : public PromiseJob {
 public:
  TrainJob(Napi::Env env, const Napi::CallbackInfo& info, KeepAlive keep, Network<T> net, RunArgs args)
      : PromiseJob(env, "trainIterationsAsync", std::move(keep), info, 5, 7),
        net_(std::move(net)),
        args_(args) {
    callerCancel_ = args_.cancel;
  }

 protected:
  TrainResult Run(const CancelFlags& cancel) override {
    return train_iterations<T>(net_, static_cast<T>(args_.learningRate), args_.count, args_.firstIteration,
                               args_.costEvery, args_.costs, cancel, args_.settle);
  }
  Napi::Value Result(Napi::Env env, const TrainResult& r) const override { return ResultObject(env, r); }

 private:
  Network<T> net_;
  RunArgs args_;
};

template <typename T>
Napi::Value TrainAsync(const Napi::CallbackInfo& info) {
  KeepAlive keep;
  Network<T> net = ParsePlan<T>(PlanArg(info), &keep);
  const RunArgs a = ParseRunArgs(info);
  return SubmitJob(info.Env(),
                   std::make_unique<TrainJob<T>>(info.Env(), info, std::move(keep), std::move(net), a),
                   "trainIterationsAsync");
}

// gramBegin / gramMaterialize: one Gram-path step on a plan that has G, S and Z1.
template <typename T, int (*Step)(Network<T>&), const char* kName>
Napi::Value GramStep(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info));
  if (!net.onGramPath()) {
    throw Napi::TypeError::New(info.Env(), std::string(kName) + ": plan has no G, S and Z1");
  }
  const BlasHold hold;
  return Napi::Number::New(info.Env(), Step(net));
}
constexpr char kGramBegin[] = "gramBegin";
constexpr char kGramMaterialize[] = "gramMaterialize";

// beginRun() -> whether the process-wide run limit lets one more run begin; endRun().
Napi::Value BeginRun(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), AsyncHub::Of(info.Env()).BeginRun());
}
Napi::Value EndRun(const Napi::CallbackInfo& info) {
  AsyncHub::Of(info.Env()).EndRun();
  return info.Env().Undefined();
}

// setRunLimit(n): n an integer >= 0, 0 for no limit. runInfo() -> { limit, inProgress, queued }.
Napi::Value SetRunLimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const double n = Finite(info, 0, "setRunLimit", "n");
  if (!(n >= 0 && n <= 9007199254740991.0) || std::floor(n) != n) {
    throw Napi::RangeError::New(
        env, "setRunLimit: expected n to be an integer >= 0, received " + std::to_string(n));
  }
  set_run_limit(static_cast<long>(n));
  return env.Undefined();
}
Napi::Value RunInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("limit", Napi::Number::New(env, static_cast<double>(run_limit())));
  out.Set("inProgress", Napi::Number::New(env, static_cast<double>(runs_in_progress())));
  out.Set("queued", Napi::Number::New(env, queued_training_jobs()));
  return out;
}

template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&)>
Napi::Value ByPlanType(const Napi::CallbackInfo& info) {
  // The precision of X picks the instantiation; ParsePlan then checks every buffer against it.
  return IsFloat32Array(PlanArg(info).Get("X")) ? F32(info) : F64(info);
}

}  // namespace

void RegisterTrainBindings(Napi::Env env, Napi::Object exports) {
  Export<ByPlanType<TrainSync<double>, TrainSync<float>>>(env, exports, "trainIterations");
  Export<ByPlanType<TrainAsync<double>, TrainAsync<float>>>(env, exports, "trainIterationsAsync");
  Export<BeginRun>(env, exports, "beginRun");
  Export<EndRun>(env, exports, "endRun");
  Export<SetRunLimit>(env, exports, "setRunLimit");
  Export<RunInfo>(env, exports, "runInfo");
  Export<ByPlanType<GramStep<double, gram_begin<double>, kGramBegin>,
                    GramStep<float, gram_begin<float>, kGramBegin>>>(env, exports, "gramBegin");
  Export<ByPlanType<GramStep<double, gram_materialize<double>, kGramMaterialize>,
                    GramStep<float, gram_materialize<float>, kGramMaterialize>>>(env, exports,
                                                                                 "gramMaterialize");
}

}  // namespace blasnet
