// The process-wide memory budget: the bytes blasnet may hold (the limit) and the bytes it holds (in
// use), one ledger shared by every environment and thread of the process, since they share its
// memory. No Node-API here: memory_bindings.cc exposes the ledger to JavaScript (which reserves
// every model and run before allocating them), and native code reserves its own scratch through
// MemoryReservation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace blasnet {

// Half of the smaller of physical memory and the cgroup's memory limit (v2 memory.max, v1
// memory.limit_in_bytes, on the process's own cgroup and its ancestors), computed once.
uint64_t default_memory_limit();

uint64_t memory_limit();
uint64_t memory_in_use();

void set_memory_limit(uint64_t bytes);

// Sets the limit unless one was set already in this process (by this or set_memory_limit): the
// environment variable applies once, and a worker importing blasnet later does not undo a limit
// the program set since. Returns whether it set it.
bool init_memory_limit(uint64_t bytes);

// Counts `bytes` as in use when in_use + bytes <= limit and returns true; otherwise counts nothing
// and returns false.
bool memory_reserve(uint64_t bytes);

// Stops counting `bytes` (never more than is in use: the count does not wrap below zero).
void memory_release(uint64_t bytes);

// Whether `bytes` more would fit now, counting nothing.
bool memory_fits(uint64_t bytes);

// "17179869184 bytes (16.0 GiB)", as every memory message writes an amount.
std::string describe_bytes(uint64_t bytes);

// "needs ... for <what>, over the memory limit of ..., ... in use; raise it with ..."
std::string over_limit_message(uint64_t bytes, const std::string& what);

// "could not allocate ... for <what>: the system refused it (...)"
std::string refused_message(uint64_t bytes, const std::string& what);

// A native allocation that failed: over the limit, or refused by the system. It is a
// std::bad_alloc, so code that handles one handles both; the binding glue (check.h) turns either
// into a JavaScript RangeError prefixed with the export's name.
class MemoryError : public std::bad_alloc {
 public:
  explicit MemoryError(std::string message) : message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

// Bytes counted in use for as long as it lives. Movable, not copyable.
class MemoryReservation {
 public:
  MemoryReservation() = default;
  // Throws MemoryError naming `what` when the bytes do not fit.
  MemoryReservation(uint64_t bytes, const std::string& what);
  ~MemoryReservation() { memory_release(bytes_); }
  MemoryReservation(MemoryReservation&& other) noexcept : bytes_(std::exchange(other.bytes_, 0)) {}
  MemoryReservation& operator=(MemoryReservation&& other) noexcept {
    if (this != &other) {
      memory_release(bytes_);
      bytes_ = std::exchange(other.bytes_, 0);
    }
    return *this;
  }
  MemoryReservation(const MemoryReservation&) = delete;
  MemoryReservation& operator=(const MemoryReservation&) = delete;

 private:
  uint64_t bytes_ = 0;
};

// Resizes *v to n elements once their bytes are reserved, and returns the reservation, which must
// outlive v's storage. Throws MemoryError when they pass the limit or the system refuses them.
template <typename T>
MemoryReservation budgeted_resize(std::vector<T>* v, size_t n, const char* what) {
  const uint64_t bytes = static_cast<uint64_t>(n) * sizeof(T);
  MemoryReservation reservation(bytes, what);
  try {
    v->resize(n);
  } catch (const std::bad_alloc&) {
    reservation = MemoryReservation();  // released first, so the message shows what is in use
    throw MemoryError(refused_message(bytes, what));
  }
  return reservation;
}

}  // namespace blasnet
