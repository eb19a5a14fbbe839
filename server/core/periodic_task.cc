#include "server/core/periodic_task.h"

#include <utility>

namespace almanac {

PeriodicTask::PeriodicTask(absl::Duration interval, std::function<void()> fn)
    : interval_(interval), fn_(std::move(fn)), thread_([this] { Loop(); }) {}

PeriodicTask::~PeriodicTask() { Stop(); }

void PeriodicTask::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  absl::MutexLock join(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

void PeriodicTask::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      // Returns early, with the condition true, once Stop has been called.
      if (mu_.AwaitWithTimeout(absl::Condition(&stopping_), interval_)) return;
    }
    fn_();
  }
}

}  // namespace almanac
