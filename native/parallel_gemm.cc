#include "parallel_gemm.h"

#include <cblas.h>

#include <algorithm>

#include "blas_threads.h"
#include "gemm.h"
#include "kernels.h"

namespace blasnet {

namespace {

constexpr double kMinSplitFlops = 4e6;  // below this, waking a helper costs more than it saves
constexpr int kSkinny = 32;             // an output dimension this small starves OpenBLAS's split
constexpr int kDeep = 8;                // K >= kDeep * max(M, N): split K instead
constexpr int kInnerBlocks = 4;         // fixed, so sums never depend on the thread count

enum class Split { kNone, kRows, kCols, kInner };

Split Choose(int M, int N, int K) {
  if (2.0 * M * N * K < kMinSplitFlops) return Split::kNone;
  if (K >= kDeep * std::max(M, N)) return Split::kInner;
  if (std::min(M, N) <= kSkinny) return M >= N ? Split::kRows : Split::kCols;
  return Split::kNone;
}

// [begin, end) of block `part` of `parts` over n, on multiples of 16 so vector kernels stay aligned.
void Block(int n, int parts, int part, int* begin, int* end) {
  const int step = (n / parts + 15) / 16 * 16;
  *begin = std::min(n, part * step);
  *end = part == parts - 1 ? n : std::min(n, (part + 1) * step);
}

// OpenBLAS at one thread per caller while our threads share a product, back to the requested
// count afterwards (OpenBLAS's count is per process; the BLAS lock keeps other runs out).
class SingleThreadedBlas {
 public:
  SingleThreadedBlas() { openblas_set_num_threads(1); }
  ~SingleThreadedBlas() { sync_blas_threads(); }
};

}  // namespace

size_t parallel_gemm_scratch(int M, int N, int K) {
  return Choose(M, N, K) == Split::kInner ? static_cast<size_t>(kInnerBlocks - 1) * M * N : 0;
}

bool parallel_gemm_splits(int M, int N, int K) { return Choose(M, N, K) != Split::kNone; }

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

template <typename T>
void parallel_gemm(const GemmTeam<T>& team, bool transA, bool transB, int M, int N, int K, T alpha,
                   const T* A, const T* B, T beta, T* C) {
  const Split split = Choose(M, N, K);
  // A count lowered mid-run applies at once; a raised one from the next run (the team is made per run).
  const int threads = team.team == nullptr ? 1 : std::min(team.team->size(), blas_threads());
  const int lda = transA ? M : K, ldb = transB ? K : N;
  if (split == Split::kInner && team.scratch != nullptr) {
    BlasTimer timer;
    if (threads < 2) {
      InnerBlocks<T>(nullptr, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, team.scratch);
    } else {
      SingleThreadedBlas single;
      InnerBlocks<T>(team.team, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, team.scratch);
    }
    return;
  }
  if (threads < 2 || (split != Split::kRows && split != Split::kCols)) {
    gemm<T>(transA, transB, M, N, K, alpha, A, B, beta, C);
    return;
  }
  BlasTimer timer;
  SingleThreadedBlas single;
  team.team->Run(threads, [&](int part) {
    // Rows of C come with rows of op(A); columns of C with columns of op(B).
    const bool rows = split == Split::kRows;
    int i0, i1;
    Block(rows ? M : N, threads, part, &i0, &i1);
    if (i0 >= i1) return;
    if (rows) {
      const T* APart = transA ? A + i0 : A + static_cast<size_t>(i0) * lda;
      gemm_strided<T>(transA, transB, i1 - i0, N, K, alpha, APart, lda, B, ldb, beta,
                      C + static_cast<size_t>(i0) * N, N);
    } else {
      const T* BPart = transB ? B + static_cast<size_t>(i0) * ldb : B + i0;
      gemm_strided<T>(transA, transB, M, i1 - i0, K, alpha, A, lda, BPart, ldb, beta, C + i0, N);
    }
  });
}

template void parallel_gemm<double>(const GemmTeam<double>&, bool, bool, int, int, int, double, const double*,
                                    const double*, double, double*);
template void parallel_gemm<float>(const GemmTeam<float>&, bool, bool, int, int, int, float, const float*,
                                   const float*, float, float*);

}  // namespace blasnet
