#pragma once

// PeriodicTask: runs a function on a thread of its own, once every `interval`, from construction
// until destruction (or Stop). Used by CatalogService to reap expired locks.
//
// Thread-safety: Stop may be called from any thread, also more than once; the destructor stops
// and joins. `fn` runs on the task's thread only, never concurrently with itself. Stop waits for
// a run in progress to finish, so `fn` must not call Stop.

#include <functional>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace almanac {

class PeriodicTask {
 public:
  PeriodicTask(absl::Duration interval, std::function<void()> fn);
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  ~PeriodicTask();

  // Wakes the thread, lets a run in progress finish, and joins the thread.
  void Stop();

 private:
  void Loop();

  const absl::Duration interval_;
  const std::function<void()> fn_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex join_mu_;  // Serialises Stop calls around the join.
  std::thread thread_;
};

}  // namespace almanac
