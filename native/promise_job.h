// What every asynchronous training export shares: a job for the training thread (async_hub.h) that
// holds references to the arrays it touches, runs, and settles a promise with the outcome.
#pragma once

#include <napi.h>

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "async_hub.h"
#include "memory.h"
#include "train.h"

namespace blasnet {

// Strong references to every array a run touches, so none can be collected while it is in flight.
using KeepAlive = std::vector<Napi::ObjectReference>;

// A run's buffers belong to it until its promise settles: the job keeps `keep` and the call's
// arguments [firstRef, endRef) alive, and the TypeScript Model refuses a second run meanwhile.
class PromiseJob : public HubJob {
 public:
  // `name` is the export's (a string literal), prefixed to rejection messages.
  PromiseJob(Napi::Env env, const char* name, KeepAlive keep, const Napi::CallbackInfo& info, size_t firstRef,
             size_t endRef);

  Napi::Promise Promise() const { return deferred_.Promise(); }

  void Execute() final;
  void Settle(Napi::Env env) final;
  void Abandon() final;

 protected:
  // On the training thread: the run itself, stopping when `cancel` is raised.
  virtual TrainResult Run(const CancelFlags& cancel) = 0;
  // On the JavaScript thread: what the promise resolves with.
  virtual Napi::Value Result(Napi::Env env, const TrainResult& result) const = 0;

  // The caller's cancel flag, read with the teardown flag.
  const int* callerCancel_ = nullptr;

 private:
  const char* name_;
  Napi::Promise::Deferred deferred_;
  TrainResult result_;
  std::string error_;
  bool memoryError_ = false;  // a failed allocation rejects with a RangeError, as sync exports throw
  KeepAlive refs_;
};

// Hands `job` to the environment's hub and returns its promise.
Napi::Promise SubmitJob(Napi::Env env, std::unique_ptr<PromiseJob> job, const char* name);

}  // namespace blasnet
