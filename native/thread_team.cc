#include "thread_team.h"

#include <chrono>
#include <system_error>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace blasnet {

namespace {

// How long a helper watches for the next Run, and the caller for its helpers' last parts, before
// sleeping on a condition variable. A mini-batch step hands out a few products a few hundred
// microseconds apart; a futex wake-up costs tens of microseconds on each side (measured on the
// 2-core bench machine), as long as a batch-64 product's share of work.
constexpr auto kSpin = std::chrono::microseconds(300);

void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

// Spins until done() or kSpin has passed; returns done().
template <typename F>
bool SpinFor(const F& done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      CpuRelax();
    }
    if (std::chrono::steady_clock::now() >= until) return done();
  }
}

}  // namespace

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
    generation_.fetch_add(1, std::memory_order_release);  // ends every helper's spin
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
  bool anyAsleep;
  {
    std::lock_guard<std::mutex> hold(mutex_);
    call_ = call;
    task_ = task;
    parts_ = parts;
    next_ = 0;
    unfinished_.store(parts, std::memory_order_relaxed);
    generation_.fetch_add(1, std::memory_order_release);
    anyAsleep = sleepingHelpers_ > 0;
  }
  if (anyAsleep) wake_.notify_all();
  const int ran = Drain();
  if (unfinished_.fetch_sub(ran, std::memory_order_acq_rel) == ran) return;
  if (SpinFor([this] { return unfinished_.load(std::memory_order_acquire) == 0; })) return;
  std::unique_lock<std::mutex> hold(mutex_);
  callerSleeping_ = true;
  done_.wait(hold, [this] { return unfinished_.load(std::memory_order_acquire) == 0; });
  callerSleeping_ = false;
}

void ThreadTeam::HelperLoop() {
  long seen = 0;
  for (;;) {
    const auto changed = [&] { return generation_.load(std::memory_order_acquire) != seen; };
    if (!SpinFor(changed)) {
      std::unique_lock<std::mutex> hold(mutex_);
      ++sleepingHelpers_;
      wake_.wait(hold, changed);
      --sleepingHelpers_;
    }
    {
      std::lock_guard<std::mutex> hold(mutex_);
      if (stopping_) return;
      seen = generation_.load(std::memory_order_relaxed);
    }
    const int ran = Drain();
    if (ran == 0) continue;
    if (unfinished_.fetch_sub(ran, std::memory_order_acq_rel) != ran) continue;
    // This helper finished the Run's last part: wake the caller if it stopped spinning.
    std::lock_guard<std::mutex> hold(mutex_);
    if (callerSleeping_) done_.notify_one();
  }
}

}  // namespace blasnet
