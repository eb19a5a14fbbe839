#pragma once

// What bounds one request as it passes through the layers on its thread: a deadline and a
// memory account.
//
// A front end opens a RequestScope on the thread that serves a request. Below it, the store and
// the core read the deadline (CurrentDeadline, CheckDeadline) without being told about
// requests, and every allocation made through operator new on that thread is charged to the
// request (common/memory_hooks.cc, linked into almanacd and the tests that need it):
//   - the request's own charge may not pass the per-request budget;
//   - the charges of all open requests together may not pass the server-wide budget.
// An allocation that would pass either budget throws MemoryBudgetExceeded (a std::bad_alloc),
// which the front ends turn into an error for that request alone. Memory is counted by what the
// allocator really hands out (malloc_usable_size), not by what a client declares.
//
// Thread-safety: a RequestScope belongs to the thread that opened it. The budgets are
// process-wide; SetMemoryBudget is meant to be called once at start-up.

#include <cstdint>
#include <new>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace almanac {

struct MemoryBudget {
  int64_t server_bytes = 0;   // All open requests together; 0 = no limit.
  int64_t request_bytes = 0;  // One request; 0 = no limit.
  // How long a new request waits for the server-wide budget to have room before it is refused.
  absl::Duration admission_wait = absl::Seconds(2);
};

void SetMemoryBudget(const MemoryBudget& budget);
MemoryBudget GetMemoryBudget();

// Bytes charged to all open requests right now.
int64_t MemoryInUse();

// Called by a front end when a request arrives. Waits up to admission_wait while the
// server-wide budget is full; ResourceExhausted if it stays full.
absl::Status AdmitRequest();

// Thrown by operator new when an allocation would pass a budget. what() names the budget.
class MemoryBudgetExceeded : public std::bad_alloc {
 public:
  const char* what() const noexcept override;
};

// Opens a request on this thread: allocations are charged to it until it closes, and its
// deadline is the one CurrentDeadline reports. Scopes do not nest; an inner one is a no-op.
class RequestScope {
 public:
  explicit RequestScope(absl::Time deadline = absl::InfiniteFuture());
  ~RequestScope();
  RequestScope(const RequestScope&) = delete;
  RequestScope& operator=(const RequestScope&) = delete;

 private:
  bool owner_;
};

// Sets the deadline of the request open on this thread (no-op without one).
void SetRequestDeadline(absl::Time deadline);

// The deadline of the request open on this thread; InfiniteFuture when there is none.
absl::Time CurrentDeadline();

// DeadlineExceeded, naming `what`, once the current request's deadline has passed.
absl::Status CheckDeadline(const char* what);

namespace memory_internal {
// The allocator hooks' side: charge or release `bytes` for the request open on this thread.
// Charge returns false when the allocation must be refused.
bool Charge(int64_t bytes);
void Release(int64_t bytes);
}  // namespace memory_internal

}  // namespace almanac
