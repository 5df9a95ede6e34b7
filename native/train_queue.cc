// A FIFO of training jobs and the one thread that runs them, shared by every environment (the main
// thread and worker threads) of the process.
#include "train_queue.h"

#include <pthread.h>

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

namespace blasnet {

namespace {

struct TrainQueue {
  std::mutex mutex;
  std::condition_variable wake, idle;
  std::deque<QueuedJob*> jobs;
  QueuedJob* running = nullptr;
  bool started = false;
  bool exiting = false;
};

TrainQueue& Queue();

// process.exit() runs no environment cleanup, and OpenBLAS's own exit handler then joins its
// worker threads: if the training thread is inside BLAS at that moment, they never come back and
// exit hangs. So before that (atexit handlers run before library destructors), stop the running
// job at its next iteration, wait for it, and run nothing more.
void StopAtExit() {
  TrainQueue& queue = Queue();
  std::unique_lock<std::mutex> hold(queue.mutex);
  queue.exiting = true;
  queue.jobs.clear();
  if (queue.running != nullptr) queue.running->RequestStop();
  queue.idle.wait(hold, [&] { return queue.running == nullptr; });
}

// Never destroyed: at exit the training thread may still be waiting on it.
TrainQueue& Queue() {
  static TrainQueue* queue = [] {
    auto* q = new TrainQueue;
    // A forked child has none of the parent's threads, and the parent's jobs are not its own: it
    // starts with an empty queue and a thread of its own when it needs one. The mutex is held
    // across fork, so the child never inherits it locked mid-update.
    pthread_atfork([] { Queue().mutex.lock(); }, [] { Queue().mutex.unlock(); },
                   [] {
                     TrainQueue& child = Queue();
                     child.jobs.clear();
                     child.started = false;
                     child.mutex.unlock();
                   });
    return q;
  }();
  return *queue;
}

void TrainingThread() {
  TrainQueue& queue = Queue();
  for (;;) {
    QueuedJob* job;
    {
      std::unique_lock<std::mutex> hold(queue.mutex);
      queue.wake.wait(hold, [&] { return !queue.jobs.empty(); });
      job = queue.jobs.front();
      queue.jobs.pop_front();
      queue.running = job;
    }
    job->Execute();
    {
      std::lock_guard<std::mutex> hold(queue.mutex);
      queue.running = nullptr;
      // At exit no one is left to settle it.
      if (queue.exiting) {
        queue.idle.notify_all();
        continue;
      }
    }
    job->Finished();
  }
}

}  // namespace

void submit_training_job(QueuedJob* job) {
  TrainQueue& queue = Queue();
  std::lock_guard<std::mutex> hold(queue.mutex);
  if (queue.exiting) return;  // never run: the process is exiting
  if (!queue.started) {
    // Detached: it runs until the process ends, and nothing ever joins it.
    std::thread(TrainingThread).detach();
    static std::once_flag atExit;
    std::call_once(atExit, [] { std::atexit(StopAtExit); });
    queue.started = true;
  }
  queue.jobs.push_back(job);
  queue.wake.notify_one();
}

std::vector<QueuedJob*> withdraw_training_jobs(const void* owner) {
  TrainQueue& queue = Queue();
  std::vector<QueuedJob*> taken;
  std::lock_guard<std::mutex> hold(queue.mutex);
  for (auto it = queue.jobs.begin(); it != queue.jobs.end();) {
    if ((*it)->owner() == owner) {
      taken.push_back(*it);
      it = queue.jobs.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

int queued_training_jobs() {
  TrainQueue& queue = Queue();
  std::lock_guard<std::mutex> hold(queue.mutex);
  return static_cast<int>(queue.jobs.size());
}

}  // namespace blasnet
