#include "strip_gemm.h"

#include <cstddef>
#include <type_traits>

#include "gemm.h"
#include "vectorize.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace blasnet {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

namespace {

// One AVX2 register of T and the operations the kernel needs on it.
template <typename T>
struct Lanes;

template <>
struct Lanes<double> {
  using V = __m256d;
  static constexpr int kCount = 4;
  BLASNET_FMA_INLINE static V Zero() { return _mm256_setzero_pd(); }
  BLASNET_FMA_INLINE static V Set(double x) { return _mm256_set1_pd(x); }
  BLASNET_FMA_INLINE static V Broadcast(const double* x) { return _mm256_broadcast_sd(x); }
  BLASNET_FMA_INLINE static V Load(const double* x) { return _mm256_load_pd(x); }
  BLASNET_FMA_INLINE static V LoadUnaligned(const double* x) { return _mm256_loadu_pd(x); }
  BLASNET_FMA_INLINE static void Store(double* x, V v) { _mm256_store_pd(x, v); }
  BLASNET_FMA_INLINE static void StoreUnaligned(double* x, V v) { _mm256_storeu_pd(x, v); }
  BLASNET_FMA_INLINE static V Fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  BLASNET_FMA_INLINE static V Mul(V a, V b) { return _mm256_mul_pd(a, b); }
  BLASNET_FMA_INLINE static V Add(V a, V b) { return _mm256_add_pd(a, b); }
  // The first `count` lanes (any count: below 1 none, above 3 all).
  BLASNET_FMA_INLINE static __m256i First(int count) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  BLASNET_FMA_INLINE static V MaskedLoad(const double* x, __m256i m) { return _mm256_maskload_pd(x, m); }
  BLASNET_FMA_INLINE static void MaskedStore(double* x, __m256i m, V v) { _mm256_maskstore_pd(x, m, v); }
};

template <>
struct Lanes<float> {
  using V = __m256;
  static constexpr int kCount = 8;
  BLASNET_FMA_INLINE static V Zero() { return _mm256_setzero_ps(); }
  BLASNET_FMA_INLINE static V Set(float x) { return _mm256_set1_ps(x); }
  BLASNET_FMA_INLINE static V Broadcast(const float* x) { return _mm256_broadcast_ss(x); }
  BLASNET_FMA_INLINE static V Load(const float* x) { return _mm256_load_ps(x); }
  BLASNET_FMA_INLINE static V LoadUnaligned(const float* x) { return _mm256_loadu_ps(x); }
  BLASNET_FMA_INLINE static void Store(float* x, V v) { _mm256_store_ps(x, v); }
  BLASNET_FMA_INLINE static void StoreUnaligned(float* x, V v) { _mm256_storeu_ps(x, v); }
  BLASNET_FMA_INLINE static V Fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  BLASNET_FMA_INLINE static V Mul(V a, V b) { return _mm256_mul_ps(a, b); }
  BLASNET_FMA_INLINE static V Add(V a, V b) { return _mm256_add_ps(a, b); }
  BLASNET_FMA_INLINE static __m256i First(int count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(count), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  BLASNET_FMA_INLINE static V MaskedLoad(const float* x, __m256i m) { return _mm256_maskload_ps(x, m); }
  BLASNET_FMA_INLINE static void MaskedStore(float* x, __m256i m, V v) { _mm256_maskstore_ps(x, m, v); }
};

constexpr int kTileRows = 6;  // 6 rows x 2 registers: twelve accumulators keep both FMA pipes busy

// A strip of B is two registers wide: 8 doubles or 16 floats.
template <typename T>
constexpr int kStrip = 2 * Lanes<T>::kCount;

// The lanes of a strip `width` wide (less than kStrip at N's edge) in its low and high register.
template <typename T>
struct StripMask {
  __m256i low, high;
};

template <typename T>
BLASNET_FMA_INLINE StripMask<T> MaskOf(int width) {
  return {Lanes<T>::First(width), Lanes<T>::First(width - Lanes<T>::kCount)};
}

// One row of a tile, one step of k: acc += a[k] * (the strip's row k).
template <typename T, typename V = typename Lanes<T>::V>
BLASNET_FMA_INLINE void AddRow(const T* a, int k, V b0, V b1, V& lo, V& hi) {
  const V v = Lanes<T>::Broadcast(a + k);
  lo = Lanes<T>::Fma(v, b0, lo);
  hi = Lanes<T>::Fma(v, b1, hi);
}

// C + alpha acc, as dgemm scales each block's sums and adds them to C: to the +0 it zeroed C with
// for the first block (+0, never -0, where alpha acc underflows), then to the blocks before.
template <typename T, bool kAccumulate, typename V = typename Lanes<T>::V>
BLASNET_FMA_INLINE void StoreRow(T* out, V scale, V lo, V hi, int width, const StripMask<T>& mask) {
  using L = Lanes<T>;
  V base0 = L::Zero(), base1 = L::Zero();
  if constexpr (kAccumulate) {
    if (width == kStrip<T>) {
      base0 = L::LoadUnaligned(out);
      base1 = L::LoadUnaligned(out + L::kCount);
    } else {
      base0 = L::MaskedLoad(out, mask.low);
      base1 = L::MaskedLoad(out + L::kCount, mask.high);
    }
  }
  lo = L::Add(L::Mul(scale, lo), base0);
  hi = L::Add(L::Mul(scale, hi), base1);
  if (width == kStrip<T>) {
    L::StoreUnaligned(out, lo);
    L::StoreUnaligned(out + L::kCount, hi);
  } else {
    L::MaskedStore(out, mask.low, lo);
    L::MaskedStore(out + L::kCount, mask.high, hi);
  }
}

// Rows [0, R) of a tile against a packed strip (K rows of kStrip). The accumulators are named, not
// an array: GCC kept an array in registers but also stored it to the stack on every k.
template <typename T, int R, bool kAccumulate>
BLASNET_FMA_TARGET void Tile(int K, T alpha, const T* A, int lda, const T* strip, T* C, int ldc, int width) {
  static_assert(R >= 1 && R <= kTileRows, "a tile has 1 to 6 rows");
  using L = Lanes<T>;
  using V = typename L::V;
  V c00 = L::Zero(), c01 = L::Zero(), c10 = L::Zero(), c11 = L::Zero(), c20 = L::Zero(), c21 = L::Zero();
  V c30 = L::Zero(), c31 = L::Zero(), c40 = L::Zero(), c41 = L::Zero(), c50 = L::Zero(), c51 = L::Zero();
  const size_t ld = static_cast<size_t>(lda);
  for (int k = 0; k < K; ++k) {
    const V b0 = L::Load(strip + kStrip<T> * k), b1 = L::Load(strip + kStrip<T> * k + L::kCount);
    AddRow<T>(A, k, b0, b1, c00, c01);
    if constexpr (R > 1) AddRow<T>(A + ld, k, b0, b1, c10, c11);
    if constexpr (R > 2) AddRow<T>(A + 2 * ld, k, b0, b1, c20, c21);
    if constexpr (R > 3) AddRow<T>(A + 3 * ld, k, b0, b1, c30, c31);
    if constexpr (R > 4) AddRow<T>(A + 4 * ld, k, b0, b1, c40, c41);
    if constexpr (R > 5) AddRow<T>(A + 5 * ld, k, b0, b1, c50, c51);
  }
  const V scale = L::Set(alpha);
  const size_t ldC = static_cast<size_t>(ldc);
  const StripMask<T> mask = MaskOf<T>(width);
  StoreRow<T, kAccumulate>(C, scale, c00, c01, width, mask);
  if constexpr (R > 1) StoreRow<T, kAccumulate>(C + ldC, scale, c10, c11, width, mask);
  if constexpr (R > 2) StoreRow<T, kAccumulate>(C + 2 * ldC, scale, c20, c21, width, mask);
  if constexpr (R > 3) StoreRow<T, kAccumulate>(C + 3 * ldC, scale, c30, c31, width, mask);
  if constexpr (R > 4) StoreRow<T, kAccumulate>(C + 4 * ldC, scale, c40, c41, width, mask);
  if constexpr (R > 5) StoreRow<T, kAccumulate>(C + 5 * ldC, scale, c50, c51, width, mask);
}

template <typename T>
using TileFn = void (*)(int, T, const T*, int, const T*, T*, int, int);
template <typename T, bool kAccumulate>
constexpr TileFn<T> kTiles[kTileRows + 1] = {nullptr,
                                             &Tile<T, 1, kAccumulate>,
                                             &Tile<T, 2, kAccumulate>,
                                             &Tile<T, 3, kAccumulate>,
                                             &Tile<T, 4, kAccumulate>,
                                             &Tile<T, 5, kAccumulate>,
                                             &Tile<T, 6, kAccumulate>};

// Columns [c, c + width) of B, K rows of kStrip (zeros past width: those lanes are never stored).
template <typename T>
BLASNET_FMA_TARGET void PackStrip(int K, const T* B, int ldb, int width, T* strip) {
  using L = Lanes<T>;
  const StripMask<T> mask = MaskOf<T>(width);
  for (int k = 0; k < K; ++k) {
    const T* in = B + static_cast<size_t>(k) * ldb;
    T* out = strip + kStrip<T> * k;
    if (width == kStrip<T>) {
      L::Store(out, L::LoadUnaligned(in));
      L::Store(out + L::kCount, L::LoadUnaligned(in + L::kCount));
    } else {
      // Past N's edge nothing is read (nor addressed: the high half may lie past B's end).
      L::Store(out, L::MaskedLoad(in, mask.low));
      L::Store(out + L::kCount, width > L::kCount ? L::MaskedLoad(in + L::kCount, mask.high) : L::Zero());
    }
  }
}

// Four consecutive k of four rows of Bt, as four rows of the strip: a 4 x 4 transpose in registers.
BLASNET_FMA_INLINE void TransposeSquare(const double* in, size_t ldb, double* out) {
  const __m256d r0 = _mm256_loadu_pd(in), r1 = _mm256_loadu_pd(in + ldb);
  const __m256d r2 = _mm256_loadu_pd(in + 2 * ldb), r3 = _mm256_loadu_pd(in + 3 * ldb);
  const __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);
  const __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);
  _mm256_store_pd(out, _mm256_permute2f128_pd(t0, t2, 0x20));
  _mm256_store_pd(out + kStrip<double>, _mm256_permute2f128_pd(t1, t3, 0x20));
  _mm256_store_pd(out + 2 * kStrip<double>, _mm256_permute2f128_pd(t0, t2, 0x31));
  _mm256_store_pd(out + 3 * kStrip<double>, _mm256_permute2f128_pd(t1, t3, 0x31));
}

// Eight consecutive k of eight rows of Bt, as eight rows of the strip.
BLASNET_FMA_INLINE void TransposeSquare(const float* in, size_t ldb, float* out) {
  __m256 r[8], t[8];
  for (int i = 0; i < 8; ++i) r[i] = _mm256_loadu_ps(in + i * ldb);
  for (int i = 0; i < 8; i += 2) {
    t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
    t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
  }
  for (int i = 0; i < 8; i += 4) {
    r[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
    r[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
    r[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
    r[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
  }
  for (int i = 0; i < 4; ++i) {
    _mm256_store_ps(out + i * kStrip<float>, _mm256_permute2f128_ps(r[i], r[i + 4], 0x20));
    _mm256_store_ps(out + (i + 4) * kStrip<float>, _mm256_permute2f128_ps(r[i], r[i + 4], 0x31));
  }
}

// The same strip of B = Bt^T, from `width` rows of Bt (N, K): a small transpose, once per strip.
template <typename T>
BLASNET_FMA_TARGET void PackTransposedStrip(int K, const T* Bt, int ldb, int width, T* strip) {
  constexpr int kSquare = Lanes<T>::kCount;  // transposed kSquare x kSquare at a time
  int k0 = 0;
  if (width == kStrip<T>) {
    const size_t ld = static_cast<size_t>(ldb);
    for (; k0 + kSquare <= K; k0 += kSquare) {
      for (int j = 0; j < kStrip<T>; j += kSquare)
        TransposeSquare(Bt + j * ld + k0, ld, strip + kStrip<T> * k0 + j);
    }
  }
  for (int j = 0; j < width; ++j) {
    const T* in = Bt + static_cast<size_t>(j) * ldb;
    for (int k = k0; k < K; ++k) strip[kStrip<T> * k + j] = in[k];
  }
  for (int j = width; j < kStrip<T>; ++j) {
    for (int k = k0; k < K; ++k) strip[kStrip<T> * k + j] = T(0);
  }
}

// The depth of the next block with `rest` of K left, as OpenBLAS's level-3 driver cuts K for its
// Haswell and Zen dgemm (GEMM_Q 256, GEMM_UNROLL_M 4): whole blocks while two or more remain, then
// the rest in one block or in two near-halves, the first rounded up to a multiple of the unroll.
constexpr int kDgemmUnrollM = 4;
int DepthBlock(int rest) {
  if (rest >= 2 * kDepthBlock) return kDepthBlock;
  if (rest > kDepthBlock) return (rest / 2 + kDgemmUnrollM - 1) / kDgemmUnrollM * kDgemmUnrollM;
  return rest;
}

template <typename T>
BLASNET_FMA_TARGET void Multiply(bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B,
                                 int ldb, T* C, int ldc) {
  alignas(64) T strip[kDepthBlock * kStrip<T>];  // 16 kB: in L1 for every row of A
  // Blocks of depth outermost: A's block (M rows by at most 256) stays in L2 for every strip.
  for (int k0 = 0, kl = 0; k0 < K; k0 += kl) {
    kl = DepthBlock(K - k0);
    const TileFn<T>* tiles = k0 == 0 ? kTiles<T, false> : kTiles<T, true>;
    for (int c = 0; c < N; c += kStrip<T>) {
      const int width = N - c < kStrip<T> ? N - c : kStrip<T>;
      if (transB) {
        PackTransposedStrip<T>(kl, B + static_cast<size_t>(c) * ldb + k0, ldb, width, strip);
      } else {
        PackStrip<T>(kl, B + static_cast<size_t>(k0) * ldb + c, ldb, width, strip);
      }
      for (int r = 0; r < M; r += kTileRows) {
        const int rows = M - r < kTileRows ? M - r : kTileRows;
        tiles[rows](kl, alpha, A + static_cast<size_t>(r) * lda + k0, lda, strip,
                    C + static_cast<size_t>(r) * ldc + c, ldc, width);
      }
    }
  }
}

}  // namespace

template <typename T>
bool strip_gemm(bool transB, int M, int N, int K, T alpha, const T* A, int lda, const T* B, int ldb, T* C,
                int ldc) {
  if (K < 1 || M < 1 || N < 1 || !cpu_has_avx2_fma()) return false;
  // dgemm sums an odd M's last row with an edge kernel of another order (not k by k); that row
  // alone goes to dgemm, which gives it the same bits as inside the whole product. (sgemm's bits
  // follow where a block starts, so no float32 row can keep them: every one is summed k by k.)
  const int ours = std::is_same_v<T, double> ? M & ~1 : M;
  if (ours > 0) Multiply<T>(transB, ours, N, K, alpha, A, lda, B, ldb, C, ldc);
  if (ours < M) {
    const size_t last = static_cast<size_t>(ours);
    gemm_strided<T>(false, transB, 1, N, K, alpha, A + last * lda, lda, B, ldb, T(0), C + last * ldc, ldc);
  }
  return true;
}

#else

template <typename T>
bool strip_gemm(bool, int, int, int, T, const T*, int, const T*, int, T*, int) {
  return false;
}

#endif

template bool strip_gemm<double>(bool, int, int, int, double, const double*, int, const double*, int, double*,
                                 int);
template bool strip_gemm<float>(bool, int, int, int, float, const float*, int, const float*, int, float*,
                                int);

}  // namespace blasnet
