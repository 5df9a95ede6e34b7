// Argument helpers for the binding glue: each re-checks, at O(1) cost, what the kernels rely on
// and throws a JavaScript TypeError/RangeError instead of letting bad input reach memory.
#pragma once

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <string>

#include "kernels.h"
#include "memory.h"

namespace blasnet {

// The typed array that holds T: its Node-API type, and its name with an article for messages.
struct TypedArrayKind {
  napi_typedarray_type type;
  const char* name;
};
template <typename T>
constexpr TypedArrayKind KindOf();  // only the four below exist
template <>
constexpr TypedArrayKind KindOf<double>() {
  return {napi_float64_array, "a Float64Array"};
}
template <>
constexpr TypedArrayKind KindOf<float>() {
  return {napi_float32_array, "a Float32Array"};
}
template <>
constexpr TypedArrayKind KindOf<uint32_t>() {
  return {napi_uint32_array, "a Uint32Array"};
}
template <>
constexpr TypedArrayKind KindOf<int32_t>() {
  return {napi_int32_array, "an Int32Array"};
}

// Whether `value` is a Float32Array: the float32 instantiation serves it, float64 everything else
// (whose checks then reject what is neither).
inline bool IsFloat32Array(const Napi::Value& value) {
  return value.IsTypedArray() && value.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
}

inline std::string Where(const Napi::CallbackInfo& info, const char* fn) {
  (void)info;
  return std::string(fn) + ": ";
}

// A positive int32 dimension; sizes are later multiplied in size_t. `where` prefixes messages.
inline int DimValue(Napi::Env env, const Napi::Value& value, const std::string& where,
                    const std::string& name) {
  if (!value.IsNumber()) throw Napi::TypeError::New(env, where + "expected " + name + " to be a number");
  const double v = value.As<Napi::Number>().DoubleValue();
  if (!(v >= 1 && v <= 2147483647.0) || std::floor(v) != v) {
    throw Napi::RangeError::New(env, where + "expected " + name +
                                         " to be an integer in [1, 2^31 - 1], received " + std::to_string(v));
  }
  return static_cast<int>(v);
}

// Argument i as a dimension (a missing argument reads as undefined).
inline int Dim(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  return DimValue(info.Env(), info[i], Where(info, fn), name);
}

inline double Finite(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name) {
  Napi::Env env = info.Env();
  if (info.Length() <= i || !info[i].IsNumber()) {
    throw Napi::TypeError::New(env, Where(info, fn) + "expected " + name + " to be a number");
  }
  const double v = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(v)) {
    throw Napi::RangeError::New(env, Where(info, fn) + "expected " + name + " to be finite");
  }
  return v;
}

inline bool IsNullish(const Napi::CallbackInfo& info, size_t i) {
  return info.Length() <= i || info[i].IsNull() || info[i].IsUndefined();
}

// The typed-array name with its article and what follows it in messages ("a Float64Array").
template <typename T>
std::string TypeName(const std::string& shape = "") {
  return KindOf<T>().name + shape;
}

// `value` as a typed array of exactly T, not detached; `shape` ends the type in the message
// (" of length 624"). `where` prefixes messages.
template <typename T>
Napi::TypedArrayOf<T> TypedValue(Napi::Env env, const Napi::Value& value, const std::string& where,
                                 const std::string& name, const std::string& shape = "") {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != KindOf<T>().type) {
    throw Napi::TypeError::New(env, where + "expected " + name + " to be " + TypeName<T>(shape));
  }
  Napi::TypedArrayOf<T> array = value.As<Napi::TypedArrayOf<T>>();
  if (array.ArrayBuffer().IsDetached()) throw Napi::TypeError::New(env, where + name + " is detached");
  return array;
}

// `value` as a T buffer of exactly rows * cols elements (a subarray view is fine: Node-API's data
// pointer already includes its byte offset).
template <typename T>
Napi::TypedArrayOf<T> MatrixValue(Napi::Env env, const Napi::Value& value, const std::string& where,
                                  const std::string& name, size_t rows, size_t cols) {
  Napi::TypedArrayOf<T> array = TypedValue<T>(env, value, where, name);
  const size_t expected = rows * cols;
  if (array.ElementLength() != expected) {
    throw Napi::RangeError::New(env, where + "expected " + name + " to hold [" + std::to_string(rows) + ", " +
                                         std::to_string(cols) + "] = " + std::to_string(expected) +
                                         " values, received " + std::to_string(array.ElementLength()));
  }
  return array;
}

// The data of argument i as a T buffer of exactly rows * cols elements.
template <typename T>
T* View(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* name, size_t rows,
        size_t cols) {
  return MatrixValue<T>(info.Env(), info[i], Where(info, fn), name, rows, cols).Data();
}

// An activation code of the table (activations.h). Elementwise kernels refuse softmax, which works
// per column: only the linear steps, which know the columns, take it (allowSoftmax).
inline Activation ActivationArg(const Napi::CallbackInfo& info, size_t i, const char* fn,
                                bool allowSoftmax = false) {
  Napi::Env env = info.Env();
  const Activation last = allowSoftmax ? Activation::kSoftmax : kLastElementwise;
  const std::string expected = "expected activation code " + ActivationCodeList(last);
  if (info.Length() <= i || !info[i].IsNumber()) throw Napi::TypeError::New(env, Where(info, fn) + expected);
  const double v = info[i].As<Napi::Number>().DoubleValue();
  for (int code = 0; code <= static_cast<int>(last); ++code) {
    if (v == code) return static_cast<Activation>(code);
  }
  throw Napi::RangeError::New(env, Where(info, fn) + expected + ", received " + std::to_string(v));
}

// Runs binding F and turns a failed native allocation (over the memory limit, or refused by the
// system) into a JavaScript RangeError prefixed with the export's name: a std::bad_alloc escaping a
// Node-API callback would terminate the process. Export registers F this way.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value Guarded(const Napi::CallbackInfo& info) {
  const char* fn = static_cast<const char*>(info.Data());
  try {
    return F(info);
  } catch (const MemoryError& e) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + e.what());
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(info.Env(), Where(info, fn) + "a native allocation failed (std::bad_alloc)");
  }
}

// exports[name] = F, guarded. `name` must be a string literal (it is kept as the function's data).
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
void Export(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, Guarded<F>, name, const_cast<char*>(name)));
}

}  // namespace blasnet
