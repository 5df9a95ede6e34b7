// Adam's two divisions by its bias corrections, done with FMAs and no divider, and still correctly
// rounded: the same bits as v / c1 and s / c2.
//
// Adam is bound by the divider: three divisions and a square root per weight. Two of the divisions
// are by constants of the step (c1 = 1 - b1^t, c2 = 1 - b2^t), and a quotient by a known divisor c
// can be had exactly from its reciprocal split in two doubles, hi = RN(1/c) and lo = RN(1/c - hi):
//   q0 = RN(a hi + RN(a lo))   within half an ulp of a/c plus ~2^-2p relative: a faithful quotient;
//   r  = a - q0 c              exact (one FMA) while nothing underflows;
//   q  = RN(q0 + r hi)         = RN(a/c) by Markstein's theorem (hi within half an ulp of 1/c,
//                              q0 within one ulp of a/c; Markstein, IBM J. Res. Dev. 34, 1990).
// The theorem needs no underflow or overflow anywhere, so a vector whose moment lies outside
// [kSmallest, kLargest] (a dead unit's moment decaying into the subnormals, say) divides as before;
// +0 needs no care (every step gives +0), -0 does and takes the divider too.
// The loads, multiplies and adds are otherwise those of the plain loop, unfused, in its order.
#include <cmath>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "kernels.h"
#include "vectorize.h"

namespace blasnet {

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

namespace {

// How small or large a divisor and a moment may be for the FMA quotient to stay exact, with margin:
// c >= 2^-20 keeps 1/c far from overflow; |a| >= 2^-800 keeps the exponents of q0 and c summing to
// at least 52 above the smallest normal's (so a - q0 c is a double); |a| <= 2^900 keeps a hi finite.
constexpr double kSmallest = 0x1p-800, kLargest = 0x1p+900, kSmallestDivisor = 0x1p-20;

bool DivisorFits(double c) { return c >= kSmallestDivisor && c <= 1.0; }

// hi = RN(1/c); lo = RN(1/c - hi), from the exact residual 1 - c hi.
void SplitReciprocal(double c, double* hi, double* lo) {
  *hi = 1.0 / c;
  *lo = std::fma(-c, *hi, 1.0) / c;
}

// True where the FMA quotient is exact for every lane: kSmallest <= |a| <= kLargest, or a is +0.
BLASNET_FMA_TARGET bool AllFit(__m256d a) {
  const __m256d magnitude = _mm256_andnot_pd(_mm256_set1_pd(-0.0), a);
  const __m256d inRange = _mm256_and_pd(_mm256_cmp_pd(magnitude, _mm256_set1_pd(kSmallest), _CMP_GE_OQ),
                                        _mm256_cmp_pd(magnitude, _mm256_set1_pd(kLargest), _CMP_LE_OQ));
  const __m256i positiveZero = _mm256_cmpeq_epi64(_mm256_castpd_si256(a), _mm256_setzero_si256());
  return _mm256_movemask_pd(_mm256_or_pd(inRange, _mm256_castsi256_pd(positiveZero))) == 0xF;
}

struct Divisor {
  __m256d c, hi, lo;
};

BLASNET_FMA_TARGET Divisor MakeDivisor(double c) {
  double hi, lo;
  SplitReciprocal(c, &hi, &lo);
  return {_mm256_set1_pd(c), _mm256_set1_pd(hi), _mm256_set1_pd(lo)};
}

BLASNET_FMA_TARGET __m256d Quotient(__m256d a, const Divisor& d) {
  const __m256d q0 = _mm256_fmadd_pd(a, d.hi, _mm256_mul_pd(a, d.lo));
  const __m256d r = _mm256_fnmadd_pd(q0, d.c, a);
  return _mm256_fmadd_pd(r, d.hi, q0);
}

BLASNET_FMA_TARGET size_t AdamVectors(double* param, double* v, double* s, const double* grad,
                                      double learningRate, double beta1, double beta2, double epsilon,
                                      double c1, double c2, size_t n) {
  const __m256d b1 = _mm256_set1_pd(beta1), b2 = _mm256_set1_pd(beta2);
  const __m256d oneMinusBeta1 = _mm256_set1_pd(1.0 - beta1), oneMinusBeta2 = _mm256_set1_pd(1.0 - beta2);
  const __m256d lr = _mm256_set1_pd(learningRate), eps = _mm256_set1_pd(epsilon);
  const __m256d c1s = _mm256_set1_pd(c1), c2s = _mm256_set1_pd(c2);
  const Divisor d1 = MakeDivisor(c1), d2 = MakeDivisor(c2);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d g = _mm256_loadu_pd(grad + i);
    const __m256d vi =
        _mm256_add_pd(_mm256_mul_pd(b1, _mm256_loadu_pd(v + i)), _mm256_mul_pd(oneMinusBeta1, g));
    const __m256d si = _mm256_add_pd(_mm256_mul_pd(b2, _mm256_loadu_pd(s + i)),
                                     _mm256_mul_pd(oneMinusBeta2, _mm256_mul_pd(g, g)));
    const bool exact = AllFit(vi) && AllFit(si);
    const __m256d vc = exact ? Quotient(vi, d1) : _mm256_div_pd(vi, c1s);
    const __m256d sc = exact ? Quotient(si, d2) : _mm256_div_pd(si, c2s);
    _mm256_storeu_pd(v + i, vi);
    _mm256_storeu_pd(s + i, si);
    const __m256d step = _mm256_div_pd(_mm256_mul_pd(lr, vc), _mm256_add_pd(_mm256_sqrt_pd(sc), eps));
    _mm256_storeu_pd(param + i, _mm256_sub_pd(_mm256_loadu_pd(param + i), step));
  }
  return i;
}

}  // namespace

template <>
size_t adam_update_exact_fma<double>(double* param, double* v, double* s, const double* grad,
                                     double learningRate, double beta1, double beta2, double epsilon,
                                     double c1, double c2, size_t n) {
  if (!cpu_has_avx2_fma() || !DivisorFits(c1) || !DivisorFits(c2)) return 0;
  return AdamVectors(param, v, s, grad, learningRate, beta1, beta2, epsilon, c1, c2, n);
}
#else
template <>
size_t adam_update_exact_fma<double>(double*, double*, double*, const double*, double, double, double, double,
                                     double, double, size_t) {
  return 0;
}
#endif

// float32 keeps the divider: on Zen 2 its float division is cheap enough that the FMA quotient and
// its range checks made the update slower (0.77 -> 0.93 ns a weight over mnist-mlp's 109,386).
template <>
size_t adam_update_exact_fma<float>(float*, float*, float*, const float*, float, float, float, float, float,
                                    float, size_t) {
  return 0;
}

}  // namespace blasnet
