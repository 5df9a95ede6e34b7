// Running a queued training job and settling its promise, shared by every asynchronous export.
#include "promise_job.h"

namespace blasnet {

PromiseJob::PromiseJob(Napi::Env env, const char* name, KeepAlive keep, const Napi::CallbackInfo& info,
                       size_t firstRef, size_t endRef)
    : HubJob(&AsyncHub::Of(env)),
      name_(name),
      deferred_(Napi::Promise::Deferred::New(env)),
      refs_(std::move(keep)) {
  for (size_t i = firstRef; i < info.Length() && i < endRef; ++i) {
    if (info[i].IsObject()) refs_.push_back(Napi::Persistent(info[i].As<Napi::Object>()));
  }
}

void PromiseJob::Execute() {
  try {
    result_ = Run({callerCancel_, stop_flag()});
  } catch (const MemoryError& e) {
    error_ = e.what();
    memoryError_ = true;
  } catch (const std::bad_alloc&) {
    error_ = "a native allocation failed (std::bad_alloc)";
    memoryError_ = true;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
}

void PromiseJob::Settle(Napi::Env env) {
  try {
    Napi::HandleScope scope(env);
    const std::string message = std::string(name_) + ": " + error_;
    if (error_.empty()) {
      deferred_.Resolve(Result(env, result_));
    } else if (memoryError_) {
      deferred_.Reject(Napi::RangeError::New(env, message).Value());
    } else {
      deferred_.Reject(Napi::Error::New(env, message).Value());
    }
  } catch (...) {
    // The environment is stopping JavaScript (a terminating worker); no one can observe the promise.
  }
}

void PromiseJob::Abandon() {
  for (Napi::ObjectReference& ref : refs_) ref.SuppressDestruct();
}

Napi::Promise SubmitJob(Napi::Env env, std::unique_ptr<PromiseJob> job, const char* name) {
  Napi::Promise promise = job->Promise();
  try {
    AsyncHub::Of(env).Submit(env, job.get());
  } catch (const std::system_error& e) {
    throw Napi::Error::New(env,
                           std::string(name) + ": could not start the training thread (" + e.what() + ")");
  }
  job.release();  // the hub owns it now
  return promise;
}

}  // namespace blasnet
