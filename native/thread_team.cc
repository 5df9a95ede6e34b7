#include "thread_team.h"

#include <system_error>

namespace blasnet {

ThreadTeam::ThreadTeam(int helpers) {
  threads_.reserve(helpers > 0 ? helpers : 0);
  for (int i = 0; i < helpers; ++i) {
    try {
      threads_.emplace_back([this] { HelperLoop(); });
    } catch (const std::system_error&) {
      break;  // out of threads: run with the ones we have
    }
  }
}

ThreadTeam::~ThreadTeam() {
  {
    std::lock_guard<std::mutex> hold(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

int ThreadTeam::Drain() {
  int ran = 0;
  for (;;) {
    int part;
    {
      std::lock_guard<std::mutex> hold(mutex_);
      if (next_ >= parts_) return ran;
      part = next_++;
    }
    call_(task_, part);
    ++ran;
  }
}

void ThreadTeam::RunErased(int parts, Erased call, const void* task) {
  if (threads_.empty() || parts <= 1) {
    for (int part = 0; part < parts; ++part) call(task, part);
    return;
  }
  {
    std::lock_guard<std::mutex> hold(mutex_);
    call_ = call;
    task_ = task;
    parts_ = parts;
    next_ = 0;
    unfinished_ = parts;
    ++generation_;
  }
  wake_.notify_all();
  const int ran = Drain();
  std::unique_lock<std::mutex> hold(mutex_);
  unfinished_ -= ran;
  done_.wait(hold, [this] { return unfinished_ == 0; });
}

void ThreadTeam::HelperLoop() {
  long seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> hold(mutex_);
      wake_.wait(hold, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    const int ran = Drain();
    if (ran == 0) continue;
    std::lock_guard<std::mutex> hold(mutex_);
    unfinished_ -= ran;
    if (unfinished_ == 0) done_.notify_one();
  }
}

}  // namespace blasnet
