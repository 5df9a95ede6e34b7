// Settling queued training jobs on their environment's JavaScript thread, and letting them go
// safely when the environment is torn down.
#include "async_hub.h"

#include <algorithm>
#include <atomic>

namespace blasnet {

namespace {
// The hub is freed by its cleanup hook, which runs before the environment drops its instance data.
void KeepHub(Napi::Env, AsyncHub*) {}

void Erase(std::vector<HubJob*>* jobs, HubJob* job) {
  jobs->erase(std::remove(jobs->begin(), jobs->end(), job), jobs->end());
}

std::atomic<long> runLimit{0};
std::atomic<long> runsInProgress{0};
}  // namespace

void set_run_limit(long limit) { runLimit.store(limit); }
long run_limit() { return runLimit.load(); }
long runs_in_progress() { return runsInProgress.load(); }

bool AsyncHub::BeginRun() {
  long now = runsInProgress.load();
  do {
    const long limit = runLimit.load();
    if (limit > 0 && now >= limit) return false;
  } while (!runsInProgress.compare_exchange_weak(now, now + 1));
  ++runs_;
  return true;
}

void AsyncHub::EndRun() {
  if (runs_ == 0) return;  // more ends than begins (a raw call): never below this env's own count
  --runs_;
  runsInProgress.fetch_sub(1);
}

void HubJob::Finished() { hub_->Complete(this); }

AsyncHub& AsyncHub::Of(Napi::Env env) {
  AsyncHub* hub = env.GetInstanceData<AsyncHub>();
  if (hub == nullptr) {
    hub = new AsyncHub(env);
    env.SetInstanceData<AsyncHub, KeepHub>(hub);
  }
  return *hub;
}

AsyncHub::AsyncHub(Napi::Env env) : signal_(Signal::New(env, "blasnet.train", 0, 1, this)) {
  signal_.Unref(env);  // only unsettled jobs keep the event loop alive
  // Registered after the thread-safe function's own hook, so it runs before that one frees it:
  // hooks run in reverse order of registration.
  napi_status status = napi_add_env_cleanup_hook(env, Teardown, this);
  NAPI_THROW_IF_FAILED_VOID(env, status);
}

void AsyncHub::Submit(Napi::Env env, HubJob* job) {
  {
    std::lock_guard<std::mutex> hold(mutex_);
    running_.push_back(job);
  }
  if (unsettled_++ == 0) signal_.Ref(env);
  try {
    submit_training_job(job);
  } catch (...) {
    {
      std::lock_guard<std::mutex> hold(mutex_);
      Erase(&running_, job);
    }
    if (--unsettled_ == 0) signal_.Unref(env);
    throw;
  }
}

void AsyncHub::Complete(HubJob* job) {
  std::lock_guard<std::mutex> hold(mutex_);
  Erase(&running_, job);
  finished_.push_back(job);
  // Under the lock: teardown clears alive_ under it too, before the thread-safe function is freed.
  if (alive_) {
    signal_.NonBlockingCall();
  } else {
    drained_.notify_all();
  }
}

void AsyncHub::CallJs(Napi::Env env, Napi::Function, AsyncHub* hub, void*) {
  // A null env: the thread-safe function is being freed at teardown, after Teardown took care of
  // every job (and freed the hub).
  if (env == nullptr) return;
  hub->Deliver(env);
}

void AsyncHub::Deliver(Napi::Env env) {
  std::vector<HubJob*> settled;
  {
    std::lock_guard<std::mutex> hold(mutex_);
    settled.swap(finished_);
  }
  for (HubJob* job : settled) {
    job->Settle(env);
    delete job;
  }
  unsettled_ -= static_cast<int>(settled.size());
  if (!settled.empty() && unsettled_ == 0) signal_.Unref(env);
}

void AsyncHub::Teardown(void* data) {
  auto* hub = static_cast<AsyncHub*>(data);
  {
    std::lock_guard<std::mutex> hold(hub->mutex_);
    hub->alive_ = false;
    for (HubJob* job : hub->running_) job->RequestStop();
  }
  // Jobs still queued never start; the running one stops at its next iteration.
  for (QueuedJob* job : withdraw_training_jobs(hub)) {
    auto* mine = static_cast<HubJob*>(job);  // the hub's own jobs are HubJobs
    std::lock_guard<std::mutex> hold(hub->mutex_);
    Erase(&hub->running_, mine);
    hub->finished_.push_back(mine);
  }
  std::vector<HubJob*> left;
  {
    std::unique_lock<std::mutex> hold(hub->mutex_);
    hub->drained_.wait(hold, [hub] { return hub->running_.empty(); });
    left.swap(hub->finished_);
  }
  for (HubJob* job : left) {
    job->Abandon();
    delete job;
  }
  runsInProgress.fetch_sub(hub->runs_);
  delete hub;
}

}  // namespace blasnet
