// The process-wide memory ledger (memory.h): two atomics, a compare-exchange loop for reservations,
// and the default limit read from the machine and the cgroup once.
#include "memory.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <limits>

namespace blasnet {

namespace {

constexpr uint64_t kUnknown = std::numeric_limits<uint64_t>::max();

// The number in a cgroup limit file, or kUnknown for "max", a missing file or anything else.
uint64_t ReadLimitFile(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return kUnknown;
  }
  try {
    return std::stoull(text);
  } catch (const std::exception&) {
    return kUnknown;  // out of range: no limit worth the name
  }
}

// The smallest `file` limit on `path` (a cgroup path such as /a/b) and its ancestors under `root`:
// a child cgroup's own file does not show a tighter limit set on its parent.
uint64_t TightestLimit(const std::string& root, std::string path, const char* file) {
  uint64_t limit = kUnknown;
  while (true) {
    limit = std::min(limit, ReadLimitFile(root + path + (path == "/" ? "" : "/") + file));
    if (path.empty() || path == "/") break;
    const size_t slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
  return limit;
}

// The memory limit of the process's cgroup (v2 or v1), or kUnknown.
uint64_t CgroupLimit() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  uint64_t limit = kUnknown;
  while (std::getline(in, line)) {
    // hierarchy-id:controllers:path; v2 is "0::path", v1's memory controller "N:memory:path".
    const size_t first = line.find(':');
    const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      limit = std::min(limit, TightestLimit("/sys/fs/cgroup", path, "memory.max"));
    } else if (("," + controllers + ",").find(",memory,") != std::string::npos) {
      limit = std::min(limit, TightestLimit("/sys/fs/cgroup/memory", path, "memory.limit_in_bytes"));
    }
  }
  return limit;
}

uint64_t PhysicalMemory() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0) return kUnknown;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

struct Ledger {
  std::atomic<uint64_t> limit{default_memory_limit()};
  std::atomic<uint64_t> inUse{0};
  std::atomic<bool> limitSet{false};
};

Ledger& TheLedger() {
  static Ledger ledger;
  return ledger;
}

}  // namespace

uint64_t default_memory_limit() {
  static const uint64_t limit = [] {
    const uint64_t memory = std::min(PhysicalMemory(), CgroupLimit());
    // Neither known (no sysconf, no cgroup): 4 GiB, as for a machine of 8.
    return memory == kUnknown ? uint64_t{4} << 30 : memory / 2;
  }();
  return limit;
}

uint64_t memory_limit() { return TheLedger().limit.load(); }

uint64_t memory_in_use() { return TheLedger().inUse.load(); }

void set_memory_limit(uint64_t bytes) {
  Ledger& ledger = TheLedger();
  ledger.limitSet.store(true);
  ledger.limit.store(bytes);
}

bool init_memory_limit(uint64_t bytes) {
  Ledger& ledger = TheLedger();
  if (ledger.limitSet.exchange(true)) return false;
  ledger.limit.store(bytes);
  return true;
}

bool memory_reserve(uint64_t bytes) {
  Ledger& ledger = TheLedger();
  uint64_t inUse = ledger.inUse.load();
  while (true) {
    const uint64_t limit = ledger.limit.load();
    if (inUse > limit || bytes > limit - inUse) return false;
    if (ledger.inUse.compare_exchange_weak(inUse, inUse + bytes)) return true;
  }
}

void memory_release(uint64_t bytes) {
  if (bytes == 0) return;
  std::atomic<uint64_t>& inUse = TheLedger().inUse;
  uint64_t current = inUse.load();
  while (!inUse.compare_exchange_weak(current, current - std::min(current, bytes))) {
  }
}

bool memory_fits(uint64_t bytes) {
  const Ledger& ledger = TheLedger();
  const uint64_t inUse = ledger.inUse.load();
  const uint64_t limit = ledger.limit.load();
  return inUse <= limit && bytes <= limit - inUse;
}

std::string describe_bytes(uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  std::string out = std::to_string(bytes) + " bytes (";
  if (bytes < 1024) return out + std::to_string(bytes) + " B)";
  double value = static_cast<double>(bytes) / 1024;
  int unit = 0;
  while (value >= 1024 && unit < 5) {
    value /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s)", value, kUnits[unit]);
  return out + text;
}

std::string over_limit_message(uint64_t bytes, const std::string& what) {
  return "needs " + describe_bytes(bytes) + " for " + what + ", over the memory limit of " +
         describe_bytes(memory_limit()) + ", " + describe_bytes(memory_in_use()) +
         " in use; raise it with setMemoryLimit(bytes) or BLASNET_MAX_BYTES";
}

std::string refused_message(uint64_t bytes, const std::string& what) {
  return "could not allocate " + describe_bytes(bytes) + " for " + what +
         ": the system refused it (std::bad_alloc); memory limit " + describe_bytes(memory_limit()) + ", " +
         describe_bytes(memory_in_use()) + " in use";
}

MemoryReservation::MemoryReservation(uint64_t bytes, const std::string& what) {
  if (!memory_reserve(bytes)) throw MemoryError(over_limit_message(bytes, what));
  bytes_ = bytes;
}

}  // namespace blasnet
