// One process-wide lock around BLAS work. OpenBLAS is one library per process, shared by every
// worker thread, and its pthread build is not safe under concurrent calls from several threads
// (buffer-table exhaustion, "too many memory regions"); serializing calls costs nothing when idle.
#pragma once

#include <mutex>

namespace blasnet {

std::mutex& BlasLock();

// Makes fork() wait for the BLAS lock (once per process; see blas_lock.cc).
void InstallForkGuard();

}  // namespace blasnet
