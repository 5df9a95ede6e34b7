// The mini-batch engine's step loop (steps.h), built from the same kernels as the functional API, in
// its order of operations (lModelForward / computeCost / lModelBackward / the updates). Products
// wider than a block run as shape-fixed blocks on the thread team (parallel_gemm.h), so they match
// numpy to rounding and give the same bits at every thread count.
#include "steps.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>

#include "blas_threads.h"
#include "parallel_gemm.h"
#include "random.h"

namespace blasnet {

namespace {

// Examples per thread of a shared gather. The team's helpers spin between a step's parts, so a
// wake-up costs about a microsecond: mnist-mlp's batch-64 gather, 32 rows of 784 per thread, gains.
constexpr size_t kMinSharedExamples = 32;

bool Raised(const int* flag) { return flag != nullptr && __atomic_load_n(flag, __ATOMIC_RELAXED) != 0; }

// Runs body(begin, end) over [0, n) on the thread team, in as many parts as there are threads
// when each gets at least minPart values, else on the calling thread. Elementwise work only, so the split
// changes no bits. Call with the BLAS lock held.
template <typename F>
void Shared(size_t n, size_t minPart, size_t align, const F& body) {
  const int threads = parallel_gemm_threads();
  const int parts = static_cast<int>(std::min<size_t>(threads, n / minPart));
  if (parts <= 1) {
    body(size_t{0}, n);
    return;
  }
  // Part boundaries on multiples of `align` (a power of two), to keep threads off each other's lines.
  auto bound = [&](int part) { return part == parts ? n : (n * part / parts) & ~(align - 1); };
  shared_thread_team(threads - 1).Run(parts, [&](int part) { body(bound(part), bound(part + 1)); });
}

// Examples per thread of a shared softmax: ten classes' exponentials take about 0.2 us an example.
constexpr size_t kMinSharedColumns = 128;

// Parameters per thread of a shared update (about 15 us of Adam here): a smaller share is not worth
// the hand-off.
constexpr size_t kMinSharedParameters = 8192;

// Calls update(param, grad, v, s, n) on slices that together cover every layer's W and b once, the
// parameters taken as one vector (W1, b1, W2, ...) shared out on the team. v and s are null where
// the optimizer keeps no such state.
template <typename T, typename F>
void ForEachParameterSlice(StepNet<T>& net, const F& update) {
  const int L = net.layers();
  size_t total = 0;
  for (int l = 1; l <= L; ++l) total += static_cast<size_t>(net.dims[l]) * (net.dims[l - 1] + 1);
  auto slice = [&](T* param, const T* grad, T* v, T* s, size_t size, size_t offset, size_t begin,
                   size_t end) {
    const size_t lo = std::max(begin, offset), hi = std::min(end, offset + size);
    if (lo >= hi) return;
    const size_t at = lo - offset;
    update(param + at, grad + at, v != nullptr ? v + at : nullptr, s != nullptr ? s + at : nullptr, hi - lo);
  };
  Shared(total, kMinSharedParameters, 8, [&](size_t begin, size_t end) {
    size_t offset = 0;
    for (int l = 1; l <= L; ++l) {
      const size_t wSize = static_cast<size_t>(net.dims[l]) * net.dims[l - 1], bSize = net.dims[l];
      slice(net.W[l], net.dW[l], net.vW[l], net.sW[l], wSize, offset, begin, end);
      offset += wSize;
      slice(net.b[l], net.db[l], net.vb[l], net.sb[l], bSize, offset, begin, end);
      offset += bSize;
    }
  });
}

// body(at, n, r) over the rows of a block of a row-major matrix `cols` wide, rows [r0, r1) and
// columns [c0, c1): row r's stretch starts at element `at` and holds n values.
template <typename F>
void ForEachRowStretch(int cols, int r0, int r1, int c0, int c1, const F& body) {
  const size_t n = static_cast<size_t>(c1 - c0);
  for (int r = r0; r < r1; ++r) body(static_cast<size_t>(r) * cols + c0, n, r);
}

// The L2 term and the finiteness check of a layer's dW, run on each block of dW by the thread that
// computed it (the block is still in its cache; a batch-64 dW1 checked afterwards on one thread
// read half of its 800 kB from the other core). Each value gets the same operations as before.
template <typename T>
struct WeightGradientCheck {
  T* dW;
  const T* W;
  int cols;
  bool l2;
  T l2Scale;
  std::atomic<bool> nonFinite{false};

  static void Run(void* context, int r0, int r1, int c0, int c1) {
    auto& self = *static_cast<WeightGradientCheck*>(context);
    bool finite = true;
    ForEachRowStretch(self.cols, r0, r1, c0, c1, [&](size_t at, size_t n, int) {
      if (self.l2) add_scaled<T>(self.dW + at, self.W + at, self.l2Scale, n);
      finite = all_finite<T>(self.dW + at, n) && finite;
    });
    if (!finite) self.nonFinite.store(true, std::memory_order_relaxed);
  }
};

// A hidden or output layer's bias and activation, run on each block of Z = W APrev by the thread
// that computed it: add_bias then activation_forward on each row's stretch, in linear_forward's
// order, so the same bits; no pass over Z follows the product. A softmax head gets its bias only.
template <typename T>
struct BiasActivation {
  T* Z;
  T* A;
  const T* b;
  int cols;
  Activation act;
  bool biasOnly;

  static void Run(void* context, int r0, int r1, int c0, int c1) {
    const auto& self = *static_cast<const BiasActivation*>(context);
    ForEachRowStretch(self.cols, r0, r1, c0, c1, [&](size_t at, size_t n, int r) {
      add_bias<T>(self.Z + at, self.b + r, 1, static_cast<int>(n));
      if (!self.biasOnly) activation_forward<T>(self.A + at, self.Z + at, n, self.act);
    });
  }
};

// A hidden layer's dA, on each block of dA = W^T dZ as it is computed: the dropout mask and g'(Z),
// in place, as the pass after the product applied them.
template <typename T>
struct MaskedDerivative {
  T* dZ;
  const T* D;  // null without dropout
  const T* Z;
  int cols;
  T keep;
  Activation act;

  static void Run(void* context, int r0, int r1, int c0, int c1) {
    const auto& self = *static_cast<const MaskedDerivative*>(context);
    ForEachRowStretch(self.cols, r0, r1, c0, c1, [&](size_t at, size_t n, int) {
      if (self.D != nullptr) dropout_apply<T>(self.dZ + at, self.D + at, self.keep, n);
      activation_backward<T>(self.dZ + at, self.dZ + at, self.Z + at, n, self.act);
    });
  }
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One step on a batch of bs examples already in Xb/Yb (or X/Y), X's examples laid out as `layout`
// says. Returns the status; *cost gets the batch cost, and *optimizerSeconds accumulates the
// update's time (the bench's step-time split).
template <typename T>
TrainStatus Step(StepNet<T>& net, const GemmTeam<T>& team, const T* X, Examples layout, const T* Y, int bs,
                 double t, double* cost, double* optimizerSeconds) {
  const int L = net.layers();
  const bool dropout = net.keepProb < 1;
  const T keep = static_cast<T>(net.keepProb);
  // Forward: Z = W APrev + b, A = g(Z), then D = rand(n, bs) < keepProb and A = A * D / keepProb.
  for (int l = 1; l <= L; ++l) {
    const int n = net.dims[l];
    const size_t size = static_cast<size_t>(n) * bs;
    const T* APrev = l == 1 ? X : net.A[l - 1];
    const bool asRows = l == 1 && layout == Examples::kAsRows;
    const bool softmax = l == L && net.output == Activation::kSoftmax;
    BiasActivation<T> finish{net.Z[l], net.A[l], net.b[l], bs, l < L ? net.hidden : net.output, softmax};
    const GemmCall<T> product{false,
                              asRows,
                              n,
                              bs,
                              net.dims[l - 1],
                              T(1),
                              net.W[l],
                              APrev,
                              T(0),
                              net.Z[l],
                              {&BiasActivation<T>::Run, &finish}};
    parallel_gemm_together<T>(team, &product, 1);
    if (softmax) {
      // Column by column, so columns shared out give the same bits (on one thread, about 180 us of
      // a batch-1024 step).
      Shared(static_cast<size_t>(bs), kMinSharedColumns, 8, [&](size_t j0, size_t j1) {
        softmax_columns<T>(net.A[l] + j0, net.Z[l] + j0, n, static_cast<int>(j1 - j0), bs);
      });
    }
    if (l < L && dropout) {
      mt_dropout_mask<T>(net.key, net.pos, net.D[l], net.keepProb, size);
      dropout_apply<T>(net.A[l], net.D[l], keep, size);
    }
  }
  const int nL = net.dims[L];
  double c = net.output == Activation::kSoftmax ? softmax_cross_entropy_cost<T>(net.A[L], Y, nL, bs)
                                                : cross_entropy_cost<T>(net.A[L], Y, bs);
  if (net.l2 > 0) {
    double squares = 0;
    for (int l = 1; l <= L; ++l) {
      squares += sum_squares<T>(net.W[l], static_cast<size_t>(net.dims[l]) * net.dims[l - 1]);
    }
    c = c + (((1.0 / bs) * net.l2) / 2) * squares;
  }
  *cost = c;
  if (!std::isfinite(c)) return TrainStatus::kNonFiniteCost;
  // Backward: dZ_L = AL - Y for both heads; dA_(l-1) lands in dZ[l-1], is dropped out and masked there.
  const size_t outSize = static_cast<size_t>(nL) * bs;
  for (size_t i = 0; i < outSize; ++i) net.dZ[L][i] = net.A[L][i] - Y[i];
  const T l2Scale = static_cast<T>(net.l2 / bs);
  for (int l = L; l >= 1; --l) {
    const int nOut = net.dims[l], nIn = net.dims[l - 1];
    const T* APrev = l == 1 ? X : net.A[l - 1];
    WeightGradientCheck<T> check{net.dW[l], net.W[l], nIn, net.l2 > 0, l2Scale};
    MaskedDerivative<T> mask{l > 1 ? net.dZ[l - 1] : nullptr,
                             l > 1 && dropout ? net.D[l - 1] : nullptr,
                             l > 1 ? net.Z[l - 1] : nullptr,
                             bs,
                             keep,
                             net.hidden};
    linear_backward<T>(l > 1 ? net.dZ[l - 1] : nullptr, net.dW[l], net.db[l], net.dZ[l], APrev, net.W[l],
                       nOut, nIn, bs, &team, l == 1 ? layout : Examples::kAsColumns,
                       {&WeightGradientCheck<T>::Run, &check}, {&MaskedDerivative<T>::Run, &mask});
    if (check.nonFinite.load(std::memory_order_relaxed) || !all_finite<T>(net.db[l], nOut)) {
      return TrainStatus::kNonFiniteGradient;
    }
  }
  // Update every W and b, each element as the functional updates do; shared out on the team, which
  // changes no bits (Adam is bound by its divisions, and each core divides on its own).
  const auto updateStart = std::chrono::steady_clock::now();
  const T lr = static_cast<T>(net.learningRate);
  const T beta1 = static_cast<T>(net.beta1), beta2 = static_cast<T>(net.beta2);
  const T eps = static_cast<T>(net.epsilon);
  const T c1 = static_cast<T>(1.0 - std::pow(net.beta1, t)),
          c2 = static_cast<T>(1.0 - std::pow(net.beta2, t));
  ForEachParameterSlice(net, [&](T* param, const T* grad, T* v, T* s, size_t n) {
    switch (net.optimizer) {
      case Optimizer::kGd:
        sgd_update<T>(param, grad, lr, n);
        break;
      case Optimizer::kMomentum:
        momentum_update<T>(param, v, grad, beta1, lr, n);
        break;
      case Optimizer::kAdam:
        adam_update<T>(param, v, s, grad, lr, beta1, beta2, eps, c1, c2, n);
        break;
    }
  });
  *optimizerSeconds += SecondsSince(updateStart);
  return TrainStatus::kOk;
}

}  // namespace

template <typename T>
TrainResult train_steps(StepNet<T>& net, int firstBatch, int count, double* t, double* costs,
                        const CancelFlags& cancel) {
  const auto start = std::chrono::steady_clock::now();
  const double blasStart = blas_seconds_on_this_thread();
  TrainResult result;
  const int L = net.layers();
  // Always our own team (row or column blocks fixed by each product's shape, OpenBLAS single-threaded
  // inside them), never OpenBLAS's pool: at mini-batch sizes its threads spin in sched_yield between
  // the small products and took a core from the step's elementwise work (mnist-mlp at batch 64 ran
  // at half the speed of one thread). The blocks depend on shapes alone, so every thread count gives
  // the same bits. No inner-dimension blocks (no scratch): a batch is never that deep. Products of
  // depth at most 256 (each dW at batches up to 256, W2 A1) and deeper ones at most 64 wide (W1 X_b
  // at batches up to 64) run on strip_gemm.
  GemmTeam<T> team;
  team.split = true;
  team.blockPerCore = true;
  team.stripKernel = true;
  for (int i = 0; i < count; ++i) {
    if (Raised(cancel.caller) || Raised(cancel.owner)) {
      result.status = TrainStatus::kCancelled;
      break;
    }
    const long first = static_cast<long>(firstBatch + i) * net.capacity;
    if (first >= net.m) break;  // past the epoch's last batch (the binding refuses this)
    const int bs = static_cast<int>(std::min<long>(net.capacity, net.m - first));
    const T* X = net.X;
    const T* Y = net.Y;
    Examples layout = Examples::kAsColumns;
    // One hold for the whole step: the gather shares out its work on the thread team too.
    const BlasHold hold;
    if (net.Xb != nullptr) {
      const auto gatherStart = std::chrono::steady_clock::now();
      if (net.XT != nullptr) {
        // Rows of X^T, copied whole, and the first layer's products read the batch as rows: no
        // transposing gather (784 scattered writes per example) in any step.
        const int n0 = net.dims[0];
        Shared(static_cast<size_t>(bs), kMinSharedExamples, 8, [&](size_t begin, size_t end) {
          gather_rows<T>(net.Xb + begin * n0, net.XT, net.order + first + begin, n0,
                         static_cast<int>(end - begin));
        });
        layout = Examples::kAsRows;
      } else {
        gather_columns<T>(net.Xb, net.X, net.order + first, net.dims[0], net.m, bs);
      }
      gather_columns<T>(net.Yb, net.Y, net.order + first, net.dims[L], net.m, bs);
      X = net.Xb;
      Y = net.Yb;
      result.gatherSeconds += SecondsSince(gatherStart);
    }
    TrainStatus status;
    {
      const SingleThreadedBlas single(team);
      status = Step(net, team, X, layout, Y, bs, *t + 1, &costs[i], &result.optimizerSeconds);
    }
    if (status != TrainStatus::kOk) {
      result.status = status;
      break;
    }
    *t += 1;
    result.completed = i + 1;
  }
  result.seconds = SecondsSince(start);
  result.blasSeconds = blas_seconds_on_this_thread() - blasStart;
  result.splitThreads = team.widest;
  return result;
}

template TrainResult train_steps<double>(StepNet<double>&, int, int, double*, double*, const CancelFlags&);
template TrainResult train_steps<float>(StepNet<float>&, int, int, double*, double*, const CancelFlags&);

}  // namespace blasnet
