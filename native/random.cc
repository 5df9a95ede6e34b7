// numpy legacy RandomState kernels: MT19937 (randomkit/mt19937.c), random_sample, legacy_gauss,
// permutation (random_interval) and dropout masks drawn from random_sample.
#include "random.h"

#include <cmath>

namespace blasnet {

namespace {

constexpr int kMtM = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfU;
constexpr uint32_t kUpperMask = 0x80000000U;
constexpr uint32_t kLowerMask = 0x7fffffffU;

// Regenerates all 624 words at once (genrand_int32's refill step).
void mt_twist(uint32_t* key) {
  int kk = 0;
  uint32_t y;
  for (; kk < kMtN - kMtM; kk++) {
    y = (key[kk] & kUpperMask) | (key[kk + 1] & kLowerMask);
    key[kk] = key[kk + kMtM] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  }
  for (; kk < kMtN - 1; kk++) {
    y = (key[kk] & kUpperMask) | (key[kk + 1] & kLowerMask);
    key[kk] = key[kk + (kMtM - kMtN)] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
  }
  y = (key[kMtN - 1] & kUpperMask) | (key[0] & kLowerMask);
  key[kMtN - 1] = key[kMtM - 1] ^ (y >> 1) ^ ((y & 1U) ? kMatrixA : 0U);
}

// genrand_int32 with tempering.
inline uint32_t mt_uint32(uint32_t* key, int* pos) {
  if (*pos >= kMtN) {
    mt_twist(key);
    *pos = 0;
  }
  uint32_t y = key[(*pos)++];
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680U;
  y ^= (y << 15) & 0xefc60000U;
  y ^= (y >> 18);
  return y;
}

// legacy_double: 27 + 26 high bits of two words, so every value is an exact multiple of 2^-53.
inline double mt_double(uint32_t* key, int* pos) {
  const uint32_t a = mt_uint32(key, pos) >> 5;
  const uint32_t b = mt_uint32(key, pos) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

// numpy's random_interval(max) over the legacy stream: the smallest all-ones mask covering max,
// then 32-bit draws masked until one is <= max (max < 2^32 here, so never the 64-bit branch).
inline uint32_t mt_interval(uint32_t* key, int* pos, uint32_t max) {
  if (max == 0) return 0;
  uint32_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  uint32_t value;
  while ((value = (mt_uint32(key, pos) & mask)) > max) {
  }
  return value;
}

}  // namespace

void mt_permutation(uint32_t* key, int* pos, int32_t* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = static_cast<int32_t>(i);
  // Legacy RandomState.shuffle's _shuffle_raw: Fisher-Yates from the end, j = random_interval(i).
  for (size_t i = n; i-- > 1;) {
    const size_t j = mt_interval(key, pos, static_cast<uint32_t>(i));
    const int32_t tmp = out[i];
    out[i] = out[j];
    out[j] = tmp;
  }
}

template <typename T>
void mt_dropout_mask(uint32_t* key, int* pos, T* D, double keepProb, size_t n) {
  for (size_t i = 0; i < n; i++) D[i] = mt_double(key, pos) < keepProb ? T(1) : T(0);
}

template void mt_dropout_mask<double>(uint32_t*, int*, double*, double, size_t);
template void mt_dropout_mask<float>(uint32_t*, int*, float*, double, size_t);

void mt_seed(uint32_t* key, int* pos, uint32_t seed) {
  key[0] = seed;
  for (int i = 1; i < kMtN; i++) {
    const uint32_t prev = key[i - 1];
    key[i] = 1812433253U * (prev ^ (prev >> 30)) + static_cast<uint32_t>(i);
  }
  *pos = kMtN;
}

void mt_random_sample(uint32_t* key, int* pos, double* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = mt_double(key, pos);
}

void mt_randn(uint32_t* key, int* pos, double* gauss, double* out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (gauss[0] != 0.0) {
      gauss[0] = 0.0;
      out[i] = gauss[1];
      gauss[1] = 0.0;
      continue;
    }
    double x1, x2, r2;
    do {
      x1 = 2.0 * mt_double(key, pos) - 1.0;
      x2 = 2.0 * mt_double(key, pos) - 1.0;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    // glibc's log, as numpy uses; -ffp-contract=off keeps r2 and f free of fused multiply-adds.
    const double f = std::sqrt(-2.0 * std::log(r2) / r2);
    gauss[1] = f * x1;
    gauss[0] = 1.0;
    out[i] = f * x2;
  }
}

}  // namespace blasnet
