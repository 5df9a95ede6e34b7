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
#include "plan_parse.h"
#include "promise_job.h"
#include "train.h"

namespace blasnet {

namespace {

constexpr char kWhere[] = "train: ";

// Re-checks every buffer of the plan against its dims (O(L)) and gathers the raw pointers.
template <typename T>
Network<T> ParsePlan(const Napi::Object& plan, KeepAlive* keep = nullptr) {
  PlanReader reader(plan, kWhere, keep);
  Network<T> net;
  net.dims = reader.Dims();
  net.m = reader.Dim("m");
  const int L = net.layers();
  const size_t m = net.m;
  reader.Later<T>(reader.Property("X"), "X", net.dims[0], m, &net.X);
  reader.Later<T>(reader.Property("Y"), "Y", net.dims[L], m, &net.Y);
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
      reader.Later<T>(reader.List(entry.key).Get(i), std::string(entry.key) + "[" + std::to_string(i) + "]",
                      net.dims[l], cols, &(*entry.list)[l]);
    }
  }
  if (reader.Optional("G").second) {
    reader.Later<T>(reader.Property("G"), "G", m, m, &net.gram.G);
    reader.Later<T>(reader.Property("S"), "S", net.dims[1], m, &net.gram.S);
    reader.Later<T>(reader.Property("Z1"), "Z1", net.dims[1], m, &net.gram.Z1);
  }
  // Every property has been read; from here on no JavaScript runs.
  reader.TakeAll();
  return net;
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
  args.cancel = CancelArg(info, 6, kWhere);
  args.settle = false;
  if (!IsNullish(info, 7)) {
    if (!info[7].IsBoolean()) throw Napi::TypeError::New(env, "train: expected settle to be a boolean");
    args.settle = info[7].As<Napi::Boolean>().Value();
  }
  return args;
}

Napi::Object ResultObject(Napi::Env env, const TrainResult& r) {
  Napi::Object out = OutcomeObject(env, r);
  out.Set("settleSeconds", Napi::Number::New(env, r.settleSeconds));
  return out;
}

template <typename T>
Napi::Value TrainSync(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info, kWhere));
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
  Network<T> net = ParsePlan<T>(PlanArg(info, kWhere), &keep);
  const RunArgs a = ParseRunArgs(info);
  return SubmitJob(info.Env(),
                   std::make_unique<TrainJob<T>>(info.Env(), info, std::move(keep), std::move(net), a),
                   "trainIterationsAsync");
}

// gramBegin / gramMaterialize: one Gram-path step on a plan that has G, S and Z1.
template <typename T, int (*Step)(Network<T>&), const char* kName>
Napi::Value GramStep(const Napi::CallbackInfo& info) {
  Network<T> net = ParsePlan<T>(PlanArg(info, kWhere));
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

// The precision of X picks the instantiation; ParsePlan then checks every buffer against it.
constexpr char kX[] = "X";
template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&)>
constexpr auto ByX = ByPlanType<kWhere, kX, F64, F32>;

}  // namespace

void RegisterTrainBindings(Napi::Env env, Napi::Object exports) {
  Export<ByX<TrainSync<double>, TrainSync<float>>>(env, exports, "trainIterations");
  Export<ByX<TrainAsync<double>, TrainAsync<float>>>(env, exports, "trainIterationsAsync");
  Export<BeginRun>(env, exports, "beginRun");
  Export<EndRun>(env, exports, "endRun");
  Export<SetRunLimit>(env, exports, "setRunLimit");
  Export<RunInfo>(env, exports, "runInfo");
  Export<
      ByX<GramStep<double, gram_begin<double>, kGramBegin>, GramStep<float, gram_begin<float>, kGramBegin>>>(
      env, exports, "gramBegin");
  Export<ByX<GramStep<double, gram_materialize<double>, kGramMaterialize>,
             GramStep<float, gram_materialize<float>, kGramMaterialize>>>(env, exports, "gramMaterialize");
}

}  // namespace blasnet
