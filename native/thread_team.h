// A few helper threads that share out the parts of a product. One team serves the whole process
// (shared_thread_team), so training creates no threads after its first split and allocates nothing.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace blasnet {

class ThreadTeam {
 public:
  // Starts up to `helpers` threads; fewer when the system refuses one (the caller then does more).
  explicit ThreadTeam(int helpers);
  ~ThreadTeam();
  ThreadTeam(const ThreadTeam&) = delete;
  ThreadTeam& operator=(const ThreadTeam&) = delete;

  // Threads that work on a Run: the helpers and the caller.
  int size() const { return static_cast<int>(threads_.size()) + 1; }

  // Calls task(part) once for each part in [0, parts), on the helpers and the calling thread,
  // and returns when every part is done. `task` must not throw.
  template <typename F>
  void Run(int parts, const F& task) {
    RunErased(
        parts, [](const void* f, int part) { (*static_cast<const F*>(f))(part); }, &task);
  }

 private:
  using Erased = void (*)(const void*, int);
  void RunErased(int parts, Erased call, const void* task);
  void HelperLoop();
  // Claims and runs parts until none is left; returns how many it ran.
  int Drain();

  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  // Read without the lock while spinning; written under it, so a sleeper never misses a change.
  std::atomic<long> generation_{0};
  std::atomic<int> unfinished_{0};
  int sleepingHelpers_ = 0;
  bool callerSleeping_ = false;
  bool stopping_ = false;
  Erased call_ = nullptr;
  const void* task_ = nullptr;
  int parts_ = 0, next_ = 0;
};

}  // namespace blasnet
