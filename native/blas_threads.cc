#include "blas_threads.h"

#include <cblas.h>

#include <atomic>
#include <mutex>

#include "blas_lock.h"

namespace blasnet {

namespace {
// First read before any run can have lowered OpenBLAS's count (the addon reads it at load).
std::atomic<int>& Requested() {
  static std::atomic<int> requested{openblas_get_num_threads()};
  return requested;
}
}  // namespace

int blas_threads() { return Requested().load(std::memory_order_relaxed); }

void request_blas_threads(int n) {
  Requested().store(n, std::memory_order_relaxed);
  std::unique_lock<std::mutex> hold(BlasLock(), std::try_to_lock);
  if (hold.owns_lock()) sync_blas_threads();
}

BlasHold::BlasHold() : lock_(BlasLock()) { sync_blas_threads(); }

void sync_blas_threads() {
  const int n = blas_threads();
  if (openblas_get_num_threads() != n) openblas_set_num_threads(n);
}

}  // namespace blasnet
