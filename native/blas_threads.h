// The OpenBLAS thread count blasnet wants. OpenBLAS keeps one count per process, so this record is
// process-wide too. setNumThreads records a count and applies it at once unless a run holds the
// BLAS lock; runs apply any pending count when they take the lock (sync_blas_threads), and split
// products restore it after running OpenBLAS single-threaded on each of their own threads.
#pragma once

#include <mutex>

namespace blasnet {

// The requested count (OpenBLAS's own default until setNumThreads is called).
int blas_threads();

// Records `n`; applies it now if no run holds the BLAS lock.
void request_blas_threads(int n);

// Applies the requested count to OpenBLAS. Call with the BLAS lock held.
void sync_blas_threads();

// Holds the process-wide BLAS lock with OpenBLAS at the requested count: every BLAS user takes the
// lock this way, so a count requested while a run held it applies from the next hold.
class BlasHold {
 public:
  BlasHold();

 private:
  std::lock_guard<std::mutex> lock_;
};

}  // namespace blasnet
