// The process's training thread. fitAsync chunks run here, one at a time in the order they were
// submitted, instead of on libuv's pool, whose four threads a server needs for fs, dns, crypto and
// zlib. One thread is enough: every iteration holds the process-wide BLAS lock, so a second
// training thread would only wait for it, while the BLAS work inside an iteration is threaded
// (by OpenBLAS or the thread team) up to the set count. No Node-API here.
#pragma once

#include <vector>

namespace blasnet {

// One unit of work for the training thread.
class QueuedJob {
 public:
  virtual ~QueuedJob() = default;
  // Runs on the training thread. Must not throw.
  virtual void Execute() = 0;
  // Runs on the training thread right after Execute; the queue forgets the job before this.
  virtual void Finished() = 0;
  // Who submitted it, for withdraw_training_jobs.
  virtual const void* owner() const = 0;
  // From another thread while Execute runs: stop as soon as possible.
  virtual void RequestStop() = 0;
};

// Appends `job` (not owned) to the queue; the training thread starts on first use.
void submit_training_job(QueuedJob* job);

// Takes every job of `owner` not yet started out of the queue and returns them; neither their
// Execute nor their Finished will be called.
std::vector<QueuedJob*> withdraw_training_jobs(const void* owner);

// Jobs submitted and not yet started.
int queued_training_jobs();

}  // namespace blasnet
