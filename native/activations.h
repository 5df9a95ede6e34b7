// The activation table of the native side: per code, the name messages use, the forward g(z) and the
// derivative dA * g'(z) (from Z, as numpy's backward writes it). activations.cc loops over these, and
// check.h names the codes from them; lib/native.ts ACTIVATIONS holds the same codes.
#pragma once

#include <cmath>
#include <string>

namespace blasnet {

// The codes of the table. kSoftmax is column-wise, not elementwise: activation_forward/backward
// refuse it, bias_activation and linear_activation_forward apply it over each column.
enum class Activation { kRelu = 0, kSigmoid = 1, kTanh = 2, kLeakyRelu = 3, kSoftmax = 4 };

// The last code the elementwise kernels take.
constexpr Activation kLastElementwise = Activation::kLeakyRelu;

// The slope of leaky relu for Z <= 0.
constexpr double kLeakyReluAlpha = 0.01;

// relu: A = Z where Z > 0, else 0; dZ zeroes dA where Z <= 0.
struct Relu {
  static constexpr const char* kName = "relu";
  template <typename T>
  static T Forward(T z) {
    return z > T(0) ? z : T(0);
  }
  template <typename T>
  static T Backward(T dA, T z) {
    return z > T(0) ? dA : T(0);
  }
};

// sigmoid: A = 1 / (1 + exp(-Z)); dZ = dA * s * (1 - s), multiplied in that order.
struct Sigmoid {
  static constexpr const char* kName = "sigmoid";
  template <typename T>
  static T Forward(T z) {
    return T(1) / (T(1) + std::exp(-z));
  }
  template <typename T>
  static T Backward(T dA, T z) {
    const T s = Forward(z);
    return dA * s * (T(1) - s);
  }
};

// tanh: glibc's tanh, as numpy's np.tanh calls it; dZ = dA * (1 - t^2).
struct Tanh {
  static constexpr const char* kName = "tanh";
  template <typename T>
  static T Forward(T z) {
    return std::tanh(z);
  }
  template <typename T>
  static T Backward(T dA, T z) {
    const T t = std::tanh(z);
    return dA * (T(1) - t * t);
  }
};

// leaky relu: A = Z where Z > 0, else alpha * Z; dZ passes dA where Z > 0, else alpha * dA.
struct LeakyRelu {
  static constexpr const char* kName = "leakyRelu";
  template <typename T>
  static T Forward(T z) {
    return z > T(0) ? z : T(kLeakyReluAlpha) * z;
  }
  template <typename T>
  static T Backward(T dA, T z) {
    return z > T(0) ? dA : T(kLeakyReluAlpha) * dA;
  }
};

// softmax: column-wise (softmax_columns); the output layer's dZ = AL - Y comes from the loss.
struct Softmax {
  static constexpr const char* kName = "softmax";
};

// The name of a code, as lib/native.ts spells it.
constexpr const char* ActivationName(Activation act) {
  switch (act) {
    case Activation::kRelu:
      return Relu::kName;
    case Activation::kSigmoid:
      return Sigmoid::kName;
    case Activation::kTanh:
      return Tanh::kName;
    case Activation::kLeakyRelu:
      return LeakyRelu::kName;
    case Activation::kSoftmax:
      return Softmax::kName;
  }
  return "";
}

// "0 (relu), 1 (sigmoid), ... or <last> (<name>)": the codes up to `last`, for messages.
inline std::string ActivationCodeList(Activation last) {
  std::string list;
  const int n = static_cast<int>(last);
  for (int code = 0; code <= n; ++code) {
    if (code > 0) list += code == n ? " or " : ", ";
    list += std::to_string(code) + " (" + ActivationName(static_cast<Activation>(code)) + ")";
  }
  return list;
}

}  // namespace blasnet
