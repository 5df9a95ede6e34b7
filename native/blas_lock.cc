// The process-wide BLAS lock, and a fork guard built on it.
#include "blas_lock.h"

#include <pthread.h>

namespace blasnet {

std::mutex& BlasLock() {
  static std::mutex lock;
  return lock;
}

namespace {

// OpenBLAS's own fork handler waits for its thread pool; if a run on another thread is inside
// BLAS at that moment, fork() (child_process.spawn) deadlocks. Taking the BLAS lock first makes
// fork wait for the current iteration instead. Prepare handlers run in reverse registration
// order, so this one (registered after OpenBLAS's) runs before OpenBLAS's.
void BeforeFork() { BlasLock().lock(); }
void AfterFork() { BlasLock().unlock(); }

}  // namespace

void InstallForkGuard() {
  static std::once_flag once;
  std::call_once(once, [] { pthread_atfork(BeforeFork, AfterFork, AfterFork); });
}

}  // namespace blasnet
