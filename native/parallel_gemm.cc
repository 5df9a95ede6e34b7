#include "parallel_gemm.h"

#include <cblas.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "blas_threads.h"
#include "gemm.h"
#include "kernels.h"
#include "strip_gemm.h"

namespace blasnet {

namespace {

constexpr double kMinSplitFlops = 4e6;  // below this, waking a helper costs more than it saves
constexpr int kSkinny = 32;             // an output dimension this small starves OpenBLAS's split
constexpr int kDeep = 8;                // K >= kDeep * max(M, N): split K instead
constexpr int kInnerBlocks = 4;         // fixed, so sums never depend on the thread count
// Row and column blocks: a power of two (so 2, 4 or 8 threads share them evenly), each at least
// this tall or wide and this much work, so one thread running them in turn loses next to nothing.
// A mini-batch step's products take at most one per core the process may run on (BlocksPerProduct).
constexpr int kMaxBlocks = 8;
constexpr int kMinBlockSide = 64;
constexpr double kMinBlockFlops = 1e6;
// A mini-batch step's product that runs by itself, with no other product beside it, is cut in two
// from this much work: the team's helper spins through the product anyway, so no wake-up is saved by
// leaving it whole (a batch-64 step's W2 A1, 64 x 64 x 128, took about 38 us alone, 25 in halves).
constexpr double kMinLoneSplitFlops = 8e5;
constexpr int kMinLoneBlockSide = 32;

enum class Split { kNone, kRows, kCols, kInner };

double Flops(const GemmShape& s) { return 2.0 * s[0] * s[1] * s[2]; }

Split Choose(const GemmShape& s) {
  const int M = s[0], N = s[1], K = s[2];
  if (Flops(s) < kMinSplitFlops) return Split::kNone;
  if (K >= kDeep * std::max(M, N)) return Split::kInner;
  return M >= N ? Split::kRows : Split::kCols;
}

// A product OpenBLAS's own threading serves poorly (measured: W1 X and dZ1 X^T of the cat model).
bool Skinny(const GemmShape& s) {
  const Split split = Choose(s);
  return split == Split::kInner || (split != Split::kNone && std::min(s[0], s[1]) <= kSkinny);
}

// The cores this process may run on (taskset, cgroup cpusets), not every core the machine has.
int AllowedCores() {
  cpu_set_t allowed;
  int cores = sched_getaffinity(0, sizeof(allowed), &allowed) == 0 ? CPU_COUNT(&allowed) : 0;
  if (cores <= 0) cores = static_cast<int>(std::thread::hardware_concurrency());
  return cores;
}

// The most row or column blocks of a mini-batch step's product: the allowed cores at first use,
// rounded down to a power of two, so the blocks (and every bit) stay the same whatever thread count is
// set later. More blocks than cores cost there: each block packs the whole other operand again and
// runs a narrower product. On the 2-core bench machine, mnist-mlp's dW1 at batch 1024 ran at 66
// GFLOP/s in 8 column blocks and 73 in 2; its W1 X at batch 256 at 38 in 4 and 47 in 2; float32's
// dW1 at batch 64 at 77 in 8 and 100 in 2. The full-batch cat models' products ran as fast in 2
// blocks alone, but slower in training on a busy machine (cat-deep 183, 153 -> 144, 139 it/s),
// likely because eight blocks let one thread take over a stalled core's share; they keep eight.
int BlocksPerProduct() {
  static const int blocks = [] {
    const int cores = std::min(AllowedCores(), kMaxBlocks);
    int b = 1;
    while (b * 2 <= cores) b *= 2;
    return b;
  }();
  return blocks;
}

// How many row or column blocks a product of these flops splits into over a side of `side`.
int SideBlocks(int side, double flops, bool blockPerCore) {
  const int maxBlocks = blockPerCore ? BlocksPerProduct() : kMaxBlocks;
  int blocks = 1;
  while (blocks * 2 <= maxBlocks && side / (blocks * 2) >= kMinBlockSide &&
         flops / (blocks * 2) >= kMinBlockFlops) {
    blocks *= 2;
  }
  return blocks;
}

// [begin, end) of block `part` of `parts` over n, on multiples of 16 so vector kernels stay aligned.
void Block(int n, int parts, int part, int* begin, int* end) {
  const int step = (n / parts + 15) / 16 * 16;
  *begin = std::min(n, part * step);
  *end = part == parts - 1 ? n : std::min(n, (part + 1) * step);
}

}  // namespace

SingleThreadedBlas::SingleThreadedBlas(bool active) : active_(active) {
  if (active_) openblas_set_num_threads(1);
}
SingleThreadedBlas::~SingleThreadedBlas() {
  if (active_) sync_blas_threads();
}

bool parallel_gemm_team_pays(const std::vector<GemmShape>& products) {
  double skinny = 0, other = 0;
  for (const GemmShape& s : products) (Skinny(s) ? skinny : other) += Flops(s);
  return skinny > 0 && skinny >= other;
}

ThreadTeam& shared_thread_team(int helpers) {
  // Exactly `helpers`, so a split never uses more threads than requested; resized only when the
  // count changes. Never destroyed: at exit a run may still be using it, and its idle threads end
  // with the process.
  static ThreadTeam* team = nullptr;
  static int made = 0;  // what `team` was asked for (the system may have granted fewer threads)
  static std::once_flag forkHandler;
  std::call_once(forkHandler, [] {
    // A forked child has none of the parent's threads: it starts a team of its own if it needs one.
    pthread_atfork(nullptr, nullptr, [] { team = nullptr; });
  });
  if (team == nullptr || made != helpers) {
    delete team;  // idle: its runs hold the BLAS lock, which the caller holds now
    team = new ThreadTeam(helpers);
    made = helpers;
  }
  return *team;
}

int parallel_gemm_threads() {
  const int cores = AllowedCores();
  return cores > 0 ? std::min(blas_threads(), cores) : blas_threads();
}

size_t parallel_gemm_scratch(const GemmShape& shape) {
  return Choose(shape) == Split::kInner ? static_cast<size_t>(kInnerBlocks - 1) * shape[0] * shape[1] : 0;
}

// The K blocks, each on one thread, added in block order: the same sums at every thread count.
template <typename T>
void InnerBlocks(ThreadTeam* team, bool transA, bool transB, int M, int N, int K, T alpha, const T* A,
                 int lda, const T* B, int ldb, T beta, T* C, T* scratch) {
  const size_t outSize = static_cast<size_t>(M) * N;
  auto block = [&](int part) {
    int k0, k1;
    Block(K, kInnerBlocks, part, &k0, &k1);
    const T* APart = transA ? A + static_cast<size_t>(k0) * lda : A + k0;
    const T* BPart = transB ? B + k0 : B + static_cast<size_t>(k0) * ldb;
    T* out = part == 0 ? C : scratch + (part - 1) * outSize;
    gemm_strided<T>(transA, transB, M, N, k1 - k0, alpha, APart, lda, BPart, ldb, part == 0 ? beta : T(0),
                    out, N);
  };
  if (team == nullptr) {
    for (int part = 0; part < kInnerBlocks; ++part) block(part);
  } else {
    team->Run(kInnerBlocks, block);
  }
  for (size_t i = 0; i < outSize; ++i) {
    T sum = C[i];
    for (int part = 1; part < kInnerBlocks; ++part) sum += scratch[(part - 1) * outSize + i];
    C[i] = sum;
  }
}

namespace {

// How parallel_gemm cuts a product: K blocks, or `blocks` row or column blocks (1: one call).
struct Cut {
  Split split;
  int blocks;
};

// The halves of a step's lone product that the rules above leave whole (one block: it stays whole).
Cut LoneCut(const GemmShape& s) {
  const int M = s[0], N = s[1], K = s[2];
  const bool rows = M >= N;
  const bool halves = Flops(s) >= kMinLoneSplitFlops && K < kDeep * std::max(M, N) &&
                      (rows ? M : N) >= 2 * kMinLoneBlockSide && BlocksPerProduct() >= 2;
  return {rows ? Split::kRows : Split::kCols, halves ? 2 : 1};
}

// `alone`: no other product shares the hand-off.
template <typename T>
Cut CutOf(const GemmTeam<T>& team, const GemmCall<T>& c, bool alone) {
  const Split split = Choose({c.M, c.N, c.K});
  if (split == Split::kNone && alone && team.split && team.blockPerCore) return LoneCut({c.M, c.N, c.K});
  if (split == Split::kInner && team.scratch != nullptr) return {split, kInnerBlocks};
  const bool rows = split == Split::kRows;
  const int blocks = team.split && (rows || split == Split::kCols)
                         ? SideBlocks(rows ? c.M : c.N, Flops({c.M, c.N, c.K}), team.blockPerCore)
                         : 1;
  return {split, blocks};
}

// The call's epilogue, if it has one, on a block it has just finished.
template <typename T>
void FinishBlock(const GemmCall<T>& c, int r0, int r1, int c0, int c1) {
  if (c.after.run != nullptr) c.after.run(c.after.context, r0, r1, c0, c1);
}

// An M x N part of the call's product (all of it, or one row or column block) from the matching
// parts of A and B; the leading dimensions stay the call's.
template <typename T>
void MultiplyPart(const GemmTeam<T>& team, const GemmCall<T>& c, int M, int N, const T* A, const T* B, T* C) {
  const int lda = c.lda(), ldb = c.ldb();
  if (team.stripKernel && !c.transA && c.beta == T(0) && strip_gemm_takes(c.N, c.K) &&
      strip_gemm<T>(c.transB, M, N, c.K, c.alpha, A, lda, B, ldb, C, c.N)) {
    return;
  }
  gemm_strided<T>(c.transA, c.transB, M, N, c.K, c.alpha, A, lda, B, ldb, c.beta, C, c.N);
}

// Block `part` of a product cut in row or column blocks (part 0 of 1: the whole product).
template <typename T>
void RunBlock(const GemmTeam<T>& team, const GemmCall<T>& c, const Cut& cut, int part) {
  if (cut.blocks == 1) {
    MultiplyPart(team, c, c.M, c.N, c.A, c.B, c.C);
    FinishBlock(c, 0, c.M, 0, c.N);
    return;
  }
  // Rows of C come with rows of op(A); columns of C with columns of op(B).
  const bool rows = cut.split == Split::kRows;
  int i0, i1;
  Block(rows ? c.M : c.N, cut.blocks, part, &i0, &i1);
  if (i0 >= i1) return;
  if (rows) {
    const T* APart = c.transA ? c.A + i0 : c.A + static_cast<size_t>(i0) * c.lda();
    MultiplyPart(team, c, i1 - i0, c.N, APart, c.B, c.C + static_cast<size_t>(i0) * c.N);
    FinishBlock(c, i0, i1, 0, c.N);
  } else {
    const T* BPart = c.transB ? c.B + static_cast<size_t>(i0) * c.ldb() : c.B + i0;
    MultiplyPart(team, c, c.M, i1 - i0, c.A, BPart, c.C + i0);
    FinishBlock(c, 0, c.M, i0, i1);
  }
}

// The helpers of a team-mode product (null: the caller runs every block), read per call so that a
// count set mid-run applies from the run's next product.
template <typename T>
ThreadTeam* HelpersFor(const GemmTeam<T>& team) {
  const int threads = team.split ? parallel_gemm_threads() : 1;
  return threads > 1 ? &shared_thread_team(threads - 1) : nullptr;
}

// Notes the most threads a split product of `blocks` blocks was handed to (the system may have
// granted fewer helpers than asked).
template <typename T>
void RecordWidth(const GemmTeam<T>& team, const ThreadTeam* helpers, int blocks) {
  if (team.split) team.widest = std::max(team.widest, std::min(blocks, helpers ? helpers->size() : 1));
}

// The K blocks of a deep product, added in block order on the team (or one after the other).
template <typename T>
void RunInnerBlocks(const GemmTeam<T>& team, ThreadTeam* helpers, const GemmCall<T>& c) {
  RecordWidth(team, helpers, kInnerBlocks);
  BlasTimer timer;
  InnerBlocks<T>(helpers, c.transA, c.transB, c.M, c.N, c.K, c.alpha, c.A, c.lda(), c.B, c.ldb(), c.beta, c.C,
                 team.scratch);
  FinishBlock(c, 0, c.M, 0, c.N);
}

}  // namespace

template <typename T>
void parallel_gemm(const GemmTeam<T>& team, bool transA, bool transB, int M, int N, int K, T alpha,
                   const T* A, const T* B, T beta, T* C) {
  const GemmCall<T> call{transA, transB, M, N, K, alpha, A, B, beta, C, {}};
  parallel_gemm_together<T>(team, &call, 1);
}

template <typename T>
void parallel_gemm_together(const GemmTeam<T>& team, const GemmCall<T>* calls, int count) {
  constexpr int kMostCalls = 4;
  for (; count > kMostCalls; calls += kMostCalls, count -= kMostCalls) {
    parallel_gemm_together<T>(team, calls, kMostCalls);
  }
  ThreadTeam* helpers = HelpersFor(team);
  // A product in K blocks adds its partial sums from the run's one scratch, so it runs by itself;
  // the others' row and column blocks share one hand-off.
  const GemmCall<T>* shared[kMostCalls];
  Cut cuts[kMostCalls];
  int sharedCount = 0, parts = 0;
  for (int i = 0; i < count; ++i) {
    const Cut cut = CutOf(team, calls[i], count == 1);
    if (cut.split == Split::kInner && cut.blocks > 1) {
      RunInnerBlocks(team, helpers, calls[i]);
      continue;
    }
    shared[sharedCount] = &calls[i];
    cuts[sharedCount++] = cut;
    parts += cut.blocks;
  }
  if (parts == 0) return;
  BlasTimer timer;
  if (parts == 1) {
    RunBlock(team, *shared[0], cuts[0], 0);  // one call, on this thread as it is
    return;
  }
  RecordWidth(team, helpers, parts);
  // Parts in call order, each call's blocks in block order; the threads claim them in that order.
  auto part = [&](int p) {
    int i = 0;
    while (p >= cuts[i].blocks) p -= cuts[i++].blocks;
    RunBlock(team, *shared[i], cuts[i], p);
  };
  if (helpers == nullptr) {
    for (int p = 0; p < parts; ++p) part(p);
  } else {
    helpers->Run(parts, part);
  }
}

template void parallel_gemm<double>(const GemmTeam<double>&, bool, bool, int, int, int, double, const double*,
                                    const double*, double, double*);
template void parallel_gemm<float>(const GemmTeam<float>&, bool, bool, int, int, int, float, const float*,
                                   const float*, float, float*);
template void parallel_gemm_together<double>(const GemmTeam<double>&, const GemmCall<double>*, int);
template void parallel_gemm_together<float>(const GemmTeam<float>&, const GemmCall<float>*, int);

}  // namespace blasnet
