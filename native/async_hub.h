// Where an environment's (the main thread's or a worker's) queued training jobs come home: jobs run
// on the process's training thread (train_queue.h) and are settled on their own environment's
// JavaScript thread through a thread-safe function. While any is unsettled, the hub keeps the
// event loop alive, as a pending libuv request would.
//
// Teardown (worker.terminate(), process exit) is the hard part: the jobs' buffers belong to the
// dying environment. The hub's cleanup hook takes queued jobs back, tells the running one to stop
// at its next iteration, waits for it, and frees every job without touching JavaScript again.
#pragma once

#include <napi.h>

#include <condition_variable>
#include <mutex>
#include <vector>

#include "train_queue.h"

namespace blasnet {

class AsyncHub;

// A job submitted from one environment, owned by its hub from Submit until it is settled or the
// environment goes away.
class HubJob : public QueuedJob {
 public:
  explicit HubJob(AsyncHub* hub) : hub_(hub) {}
  void Finished() final;
  // On the JavaScript thread: resolve or reject the job's promise.
  virtual void Settle(Napi::Env env) = 0;
  // At teardown: let go of JavaScript handles without calling into the dying environment.
  virtual void Abandon() = 0;
  // Raised at teardown; a run reads it between iterations (with __atomic builtins).
  const int* stop_flag() const { return &stop_; }
  void RequestStop() final { __atomic_store_n(&stop_, 1, __ATOMIC_RELAXED); }
  const void* owner() const final { return hub_; }

 private:
  AsyncHub* hub_;
  int stop_ = 0;
};

class AsyncHub {
 public:
  // The hub of `env`, made on first use (JavaScript thread).
  static AsyncHub& Of(Napi::Env env);

  // JavaScript thread: takes ownership of `job` and queues it for the training thread.
  void Submit(Napi::Env env, HubJob* job);

  // Training thread: `job` has run; it is settled on the JavaScript thread.
  void Complete(HubJob* job);

  // JavaScript thread: a training run (fit or fitAsync) of this environment begins or ends. Runs
  // are counted for the whole process; BeginRun is false when set_run_limit's count already run.
  // A torn-down environment's runs stop counting with it.
  bool BeginRun();
  void EndRun();

  AsyncHub(const AsyncHub&) = delete;
  AsyncHub& operator=(const AsyncHub&) = delete;

 private:
  explicit AsyncHub(Napi::Env env);
  static void CallJs(Napi::Env env, Napi::Function, AsyncHub* hub, void*);
  static void Teardown(void* hub);
  void Deliver(Napi::Env env);

  using Signal = Napi::TypedThreadSafeFunction<AsyncHub, void, &AsyncHub::CallJs>;
  Signal signal_;
  std::mutex mutex_;
  std::condition_variable drained_;
  bool alive_ = true;
  std::vector<HubJob*> running_;   // submitted, not yet finished on the training thread
  std::vector<HubJob*> finished_;  // finished, not yet settled
  int unsettled_ = 0;              // JavaScript thread only: submitted and not yet settled
  long runs_ = 0;                  // JavaScript thread only: this environment's runs in progress
};

// The most runs the process trains at once (0: no limit), and how many are in progress.
void set_run_limit(long limit);
long run_limit();
long runs_in_progress();

}  // namespace blasnet
