// Products OpenBLAS's own threads leave a core idle on: one output dimension of a few rows (a
// first layer's n_1), or an inner dimension that dwarfs the output (X times something small).
// OpenBLAS 0.3.21 runs W1 X for the cat data (20 x 12288 x 209) as fast on two threads as on one;
// split into blocks on threads of ours, each calling single-threaded BLAS, it runs twice as fast.
// A run uses either our team or OpenBLAS's pool, never both: a pool spinning for work beside the
// other's threads costs more on two cores than any split gains.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include "kernels.h"
#include "memory.h"
#include "thread_team.h"

namespace blasnet {

using GemmShape = std::array<int, 3>;  // M, N, K

// How a run's products are threaded and where inner-dimension blocks keep their partial sums.
template <typename T>
struct GemmTeam {
  // The run splits its products into blocks of its own (team mode), at every thread count: the
  // blocks depend on the shape (and with blockPerCore on the allowed cores at first use), and the
  // set count only says how many threads share them.
  bool split = false;
  // At most one row or column block per core (the mini-batch step: fewer, wider products run
  // faster). Otherwise up to eight, which the team shares out when a core is busy elsewhere.
  bool blockPerCore = false;
  // Products with A not transposed and beta 0 that strip_gemm_takes run on strip_gemm where the
  // CPU has AVX2 and FMA (in float64 the bits of dgemm's Haswell and Zen kernels; the mini-batch
  // step).
  bool stripKernel = false;
  T* scratch = nullptr;  // parallel_gemm_scratch(...) elements for the largest product
  // The most threads one split product of this run has been handed to so far (0: none was split).
  mutable int widest = 0;
};

// The process's thread team with `helpers` helpers, started on first use and kept: runs start no
// threads of their own. Call with the BLAS lock held (every split runs under it).
ThreadTeam& shared_thread_team(int helpers);

// Whether a run with these products should split them itself: when most of its flops are in
// products OpenBLAS threads poorly. Shapes alone decide, so the decision (and with it every bit of
// the results) is the same at every thread count.
bool parallel_gemm_team_pays(const std::vector<GemmShape>& products);

// Elements of scratch parallel_gemm needs for this shape (0 unless it runs in inner-dimension blocks).
size_t parallel_gemm_scratch(const GemmShape& shape);

// The threads a team may use: the requested count, at most one per core this process may run on
// (more never helps a split).
int parallel_gemm_threads();

// The threading and partial-sum space for a set of products (a training run's, or one
// product's), decided once before they run.
template <typename T>
class GemmWorkspace {
 public:
  // onTeam: split whatever the shapes, as the mini-batch engine splits every product of its steps,
  // and run its products on strip_gemm as it does.
  explicit GemmWorkspace(const std::vector<GemmShape>& products, bool onTeam = false) {
    size_t scratch = 0;
    for (const GemmShape& s : products) scratch = std::max(scratch, parallel_gemm_scratch(s));
    gemm_.split = onTeam || parallel_gemm_team_pays(products);
    gemm_.blockPerCore = onTeam;
    gemm_.stripKernel = onTeam;
    scratchBudget_ = budgeted_resize(&scratch_, scratch, "the partial sums of a split product");
    gemm_.scratch = scratch_.empty() ? nullptr : scratch_.data();
  }
  const GemmTeam<T>& gemm() const { return gemm_; }

 private:
  MemoryReservation scratchBudget_;  // declared first, so released after scratch_ is freed
  std::vector<T> scratch_;
  GemmTeam<T> gemm_;
};

// As gemm. Deep products (K much larger than the output) always run as the same four K blocks
// added in the same order, on the team or one after the other; in team mode every other product
// worth splitting runs as row or column blocks fixed by its shape, shared by as many threads as
// are set (one thread runs them one after the other). A block's bits are not always those of the
// same rows inside the whole product (OpenBLAS's sgemm kernels take other edge paths for other
// sizes), so the blocks never depend on the thread count, and neither do the results. OpenBLAS's
// own threading gives that only per count. Team-mode calls belong inside a SingleThreadedBlas.
template <typename T>
void parallel_gemm(const GemmTeam<T>& team, bool transA, bool transB, int M, int N, int K, T alpha,
                   const T* A, const T* B, T beta, T* C);

// One product of parallel_gemm_together: C (M, N) = alpha op(A) op(B) + beta C, then `after` on
// each block of C as it is finished.
template <typename T>
struct GemmCall {
  bool transA, transB;
  int M, N, K;
  T alpha;
  const T* A;
  const T* B;
  T beta;
  T* C;
  BlockEpilogue after;

  // Row-major leading dimensions of A and B as stored (op() transposes them).
  int lda() const { return transA ? M : K; }
  int ldb() const { return transB ? K : N; }
};

// Independent products (none reads another's C) in one hand-off: each cut into the blocks
// parallel_gemm cuts it into, and all the blocks shared out together, so a product too small to
// split runs on one thread beside the other's blocks instead of leaving the team idle. The same
// blocks and calls as parallel_gemm on each in turn, so the same bits; outside team mode or with one
// thread it is parallel_gemm on each in turn, and a product in inner-dimension blocks runs by itself.
// A default GemmTeam (not split, no scratch) runs each product as one gemm call on this thread.
template <typename T>
void parallel_gemm_together(const GemmTeam<T>& team, const GemmCall<T>* calls, int count);

// In team mode: OpenBLAS at one thread per caller while the run holds the BLAS lock, back to the
// requested count afterwards (OpenBLAS's count is per process; the lock keeps other runs out).
// Otherwise: nothing.
class SingleThreadedBlas {
 public:
  template <typename T>
  explicit SingleThreadedBlas(const GemmTeam<T>& team) : SingleThreadedBlas(team.split) {}
  explicit SingleThreadedBlas(bool active);
  ~SingleThreadedBlas();
  SingleThreadedBlas(const SingleThreadedBlas&) = delete;
  SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

 private:
  bool active_;
};

}  // namespace blasnet
