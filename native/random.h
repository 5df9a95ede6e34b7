// numpy legacy RandomState kernels (MT19937, random_sample, legacy gauss) over caller-owned state.
#pragma once

#include <cstddef>
#include <cstdint>

namespace blasnet {

// Words in the MT19937 key; a position of kMtN means the key must be regenerated before the next draw.
constexpr int kMtN = 624;

// init_genrand: fills key[0..623] from seed and sets *pos = 624, like np.random.seed(seed).
void mt_seed(uint32_t* key, int* pos, uint32_t seed);

// out[i] = numpy's legacy random_sample double in [0, 1) (53 bits from two words), n values.
// key/pos are read and advanced; *pos must be in [0, 624].
void mt_random_sample(uint32_t* key, int* pos, double* out, size_t n);

// out[i] = numpy's legacy_gauss (polar Box-Muller), n values. gauss is [hasGauss, cached]: the spare
// value of each pair is cached there and survives between calls, exactly as in numpy's state.
void mt_randn(uint32_t* key, int* pos, double* gauss, double* out, size_t n);

// out = numpy's legacy RandomState.permutation(n): 0..n-1 shuffled from the end with
// random_interval (32-bit masked draws, rejection above the bound). n <= 2^31 - 1.
void mt_permutation(uint32_t* key, int* pos, int32_t* out, size_t n);

// D[i] = (random_sample() < keepProb) as 0 or 1: numpy's rng.rand(rows, cols) < keep_prob, row-major.
template <typename T>
void mt_dropout_mask(uint32_t* key, int* pos, T* D, double keepProb, size_t n);

}  // namespace blasnet
