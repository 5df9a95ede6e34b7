// Binding glue for the mini-batch engine (steps.h): a step plan of typed arrays and settings becomes
// a StepNet; chunks of steps run synchronously (trainSteps) or on blasnet's training thread
// (trainStepsAsync, a Promise, through async_hub.h like trainIterationsAsync).
#include <napi.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "bindings.h"
#include "check.h"
#include "plan_parse.h"
#include "promise_job.h"
#include "random.h"
#include "steps.h"

namespace blasnet {

namespace {

constexpr char kWhere[] = "trainSteps: ";

template <typename T>
StepNet<T> ParseStepPlan(const Napi::Object& plan, KeepAlive* keep) {
  PlanReader reader(plan, kWhere, keep);
  Napi::Env env = reader.Env();
  StepNet<T> net;
  net.dims = reader.Dims();
  net.m = reader.Dim("m");
  net.capacity = reader.Dim("capacity");
  if (net.capacity > net.m)
    throw Napi::RangeError::New(env, std::string(kWhere) + "plan.capacity exceeds plan.m");
  const int L = net.layers();
  const double hidden = reader.Number("hidden", 0, 3);
  const double output = reader.Number("output", 0, 4);
  const double optimizer = reader.Number("optimizer", 0, 2);
  if (std::floor(hidden) != hidden || hidden == 1 || std::floor(optimizer) != optimizer ||
      (output != 1 && output != 4)) {
    throw Napi::RangeError::New(
        env, std::string(kWhere) + "expected hidden 0, 2 or 3, output 1 or 4 and optimizer 0, 1 or 2");
  }
  net.hidden = static_cast<Activation>(static_cast<int>(hidden));
  net.output = static_cast<Activation>(static_cast<int>(output));
  net.optimizer = static_cast<Optimizer>(static_cast<int>(optimizer));
  if (net.output == Activation::kSoftmax && net.dims[L] < 2) {
    throw Napi::RangeError::New(env, std::string(kWhere) + "a softmax output needs at least 2 units");
  }
  if (net.output == Activation::kSigmoid && net.dims[L] != 1) {
    throw Napi::RangeError::New(env, std::string(kWhere) + "a sigmoid output has 1 unit");
  }
  net.learningRate = reader.Number("learningRate", 0, 1e308);
  if (!(net.learningRate > 0))
    throw Napi::RangeError::New(env, std::string(kWhere) + "expected learningRate > 0");
  net.beta1 = reader.Number("beta1", 0, 1);
  net.beta2 = reader.Number("beta2", 0, 1);
  net.epsilon = reader.Number("epsilon", 0, 1e308);
  net.l2 = reader.Number("l2", 0, 1e308);
  net.keepProb = reader.Number("keepProb", 0, 1);
  if (!(net.keepProb > 0) || net.beta1 >= 1 || net.beta2 >= 1) {
    throw Napi::RangeError::New(env, std::string(kWhere) + "expected keepProb in (0, 1] and betas in [0, 1)");
  }
  const bool dropout = net.keepProb < 1;
  const size_t m = net.m, cap = net.capacity;
  // Every step buffer is checked as a flat run of values ([length, 1] in messages).
  auto buffer = [&](const Napi::Value& value, const std::string& name, size_t length, auto** out) {
    reader.Later<T>(value, name, length, 1, out);
  };
  buffer(reader.Property("Y"), "Y", net.dims[L] * m, &net.Y);
  auto [Xb, batches] = reader.Optional("Xb");
  auto [XT, hasXT] = reader.Optional("XT");
  if (batches && hasXT) {
    buffer(XT, "XT", net.dims[0] * m, &net.XT);
  } else {
    buffer(reader.Property("X"), "X", net.dims[0] * m, &net.X);
  }
  if (batches) {
    buffer(Xb, "Xb", net.dims[0] * cap, &net.Xb);
    buffer(reader.Property("Yb"), "Yb", net.dims[L] * cap, &net.Yb);
  } else if (net.capacity != net.m) {
    throw Napi::TypeError::New(env,
                               std::string(kWhere) + "plan.Xb and plan.Yb are required when capacity < m");
  }
  Napi::Value order = reader.Property("order");
  Napi::Value key = reader.Property("key");
  Napi::Value pos = reader.Property("pos");
  for (auto* list : {&net.W, &net.b, &net.dW, &net.db, &net.Z, &net.A, &net.dZ, &net.D, &net.vW, &net.vb,
                     &net.sW, &net.sb}) {
    list->assign(L + 1, nullptr);
  }
  enum Cols { kFanIn, kOne, kBatch };
  struct Entry {
    const char* key;
    std::vector<T*>* list;
    Cols cols;
    bool wanted;
    bool hiddenOnly;
  };
  const bool moments = net.optimizer != Optimizer::kGd;
  const bool adam = net.optimizer == Optimizer::kAdam;
  const Entry entries[] = {{"W", &net.W, kFanIn, true, false},      {"b", &net.b, kOne, true, false},
                           {"dW", &net.dW, kFanIn, true, false},    {"db", &net.db, kOne, true, false},
                           {"Z", &net.Z, kBatch, true, false},      {"A", &net.A, kBatch, true, false},
                           {"dZ", &net.dZ, kBatch, true, false},    {"D", &net.D, kBatch, dropout, true},
                           {"vW", &net.vW, kFanIn, moments, false}, {"vb", &net.vb, kOne, moments, false},
                           {"sW", &net.sW, kFanIn, adam, false},    {"sb", &net.sb, kOne, adam, false}};
  for (const Entry& e : entries) {
    if (!e.wanted) continue;
    Napi::Array list = reader.List(e.key);
    for (int l = 1; l <= (e.hiddenOnly ? L - 1 : L); ++l) {
      const size_t cols = e.cols == kFanIn ? net.dims[l - 1] : e.cols == kOne ? 1 : cap;
      buffer(list.Get(static_cast<uint32_t>(l - 1)), std::string(e.key) + "[" + std::to_string(l - 1) + "]",
             net.dims[l] * cols, &(*e.list)[l]);
    }
  }
  // Every property has been read; from here on no JavaScript runs.
  reader.TakeAll();
  net.order = reader.Take<int32_t>(order, "order", m, 1);
  net.key = reader.Take<uint32_t>(key, "key", kMtN, 1);
  net.pos = reader.Take<int32_t>(pos, "pos", 1, 1);
  if (*net.pos < 0 || *net.pos > kMtN) {
    throw Napi::RangeError::New(env, std::string(kWhere) + "expected plan.pos[0] to be in [0, 624]");
  }
  // The gather reads X by these indices: each must name a column.
  for (size_t j = 0; batches && j < m; ++j) {
    if (net.order[j] < 0 || static_cast<size_t>(net.order[j]) >= m) {
      throw Napi::RangeError::New(env, std::string(kWhere) + "plan.order[" + std::to_string(j) +
                                           "] is not a column index in [0, " + std::to_string(m) + ")");
    }
  }
  return net;
}

struct StepArgs {
  int firstBatch;
  int count;
  double* t;
  double* costs;
  const int* cancel;
};

// (plan, firstBatch, count, t: Float64Array(1), costs: Float64Array(count), cancel: Int32Array | null)
template <typename T>
StepArgs ParseStepArgs(const Napi::CallbackInfo& info, const StepNet<T>& net) {
  Napi::Env env = info.Env();
  StepArgs a{};
  const double first = Finite(info, 1, "trainSteps", "firstBatch");
  if (!(first >= 0 && first <= 2147483647.0) || std::floor(first) != first) {
    throw Napi::RangeError::New(env, "trainSteps: expected firstBatch to be an integer >= 0");
  }
  a.firstBatch = static_cast<int>(first);
  a.count = Dim(info, 2, "trainSteps", "count");
  const long batchesPerEpoch = (static_cast<long>(net.m) + net.capacity - 1) / net.capacity;
  if (static_cast<long>(a.firstBatch) + a.count > batchesPerEpoch) {
    throw Napi::RangeError::New(env, "trainSteps: expected firstBatch + count <= " +
                                         std::to_string(batchesPerEpoch) + " batches per epoch");
  }
  a.t = View<double>(info, 3, "trainSteps", "t", 1, 1);
  if (!(*a.t >= 0 && *a.t <= 9007199254740991.0) || std::floor(*a.t) != *a.t) {
    throw Napi::RangeError::New(env, "trainSteps: expected t[0] to be an integer >= 0");
  }
  a.costs = View<double>(info, 4, "trainSteps", "costs", a.count, 1);
  a.cancel = CancelArg(info, 5, kWhere);
  return a;
}

Napi::Object StepResultObject(Napi::Env env, const TrainResult& r) {
  Napi::Object out = OutcomeObject(env, r);
  out.Set("gatherSeconds", Napi::Number::New(env, r.gatherSeconds));
  out.Set("optimizerSeconds", Napi::Number::New(env, r.optimizerSeconds));
  return out;
}

template <typename T>
Napi::Value StepsSync(const Napi::CallbackInfo& info) {
  StepNet<T> net = ParseStepPlan<T>(PlanArg(info, kWhere), nullptr);
  const StepArgs a = ParseStepArgs(info, net);
  const TrainResult r = train_steps<T>(net, a.firstBatch, a.count, a.t, a.costs, {a.cancel, nullptr});
  return StepResultObject(info.Env(), r);
}

// One fitAsync chunk of steps on the training thread (promise_job.h).
template <typename T>
class StepsJob : public PromiseJob {
 public:
  StepsJob(Napi::Env env, const Napi::CallbackInfo& info, KeepAlive keep, StepNet<T> net, StepArgs args)
      : PromiseJob(env, "trainStepsAsync", std::move(keep), info, 3, 6), net_(std::move(net)), args_(args) {
    callerCancel_ = args_.cancel;
  }

 protected:
  TrainResult Run(const CancelFlags& cancel) override {
    return train_steps<T>(net_, args_.firstBatch, args_.count, args_.t, args_.costs, cancel);
  }
  Napi::Value Result(Napi::Env env, const TrainResult& r) const override { return StepResultObject(env, r); }

 private:
  StepNet<T> net_;
  StepArgs args_;
};

template <typename T>
Napi::Value StepsAsync(const Napi::CallbackInfo& info) {
  KeepAlive keep;
  StepNet<T> net = ParseStepPlan<T>(PlanArg(info, kWhere), &keep);
  const StepArgs a = ParseStepArgs(info, net);
  return SubmitJob(info.Env(),
                   std::make_unique<StepsJob<T>>(info.Env(), info, std::move(keep), std::move(net), a),
                   "trainStepsAsync");
}

// The precision of Y picks the instantiation (X may be absent: XT holds it).
constexpr char kY[] = "Y";
template <Napi::Value (*F64)(const Napi::CallbackInfo&), Napi::Value (*F32)(const Napi::CallbackInfo&)>
constexpr auto ByY = ByPlanType<kWhere, kY, F64, F32>;

}  // namespace

void RegisterStepBindings(Napi::Env env, Napi::Object exports) {
  Export<ByY<StepsSync<double>, StepsSync<float>>>(env, exports, "trainSteps");
  Export<ByY<StepsAsync<double>, StepsAsync<float>>>(env, exports, "trainStepsAsync");
}

}  // namespace blasnet
