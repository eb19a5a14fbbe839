#include "common/request_scope.h"

#include <atomic>
#include <cstdio>

#include "absl/strings/str_cat.h"

namespace almanac {
namespace {

// Once a request has been refused memory it may still allocate this much over its budget, so
// that unwinding and reporting the error (message strings, the reply) do not fail in turn.
constexpr int64_t kGraceBytes = 4 << 20;

std::atomic<int64_t> g_server_bytes{0};
std::atomic<int64_t> g_request_bytes{0};
std::atomic<int64_t> g_admission_wait_ms{2000};
std::atomic<int64_t> g_in_use{0};

struct ThreadRequest {
  bool open = false;
  bool tripped = false;  // An allocation was refused; the grace applies from now on.
  int64_t used = 0;
  absl::Time deadline = absl::InfiniteFuture();
};

// Constant-initialised, so touching it from operator new needs no initialisation guard.
constinit thread_local ThreadRequest t_request;
constinit thread_local char t_refusal[160] = {};

}  // namespace

void SetMemoryBudget(const MemoryBudget& budget) {
  g_server_bytes.store(budget.server_bytes, std::memory_order_relaxed);
  g_request_bytes.store(budget.request_bytes, std::memory_order_relaxed);
  g_admission_wait_ms.store(absl::ToInt64Milliseconds(budget.admission_wait),
                            std::memory_order_relaxed);
}

MemoryBudget GetMemoryBudget() {
  return MemoryBudget{g_server_bytes.load(std::memory_order_relaxed),
                      g_request_bytes.load(std::memory_order_relaxed),
                      absl::Milliseconds(g_admission_wait_ms.load(std::memory_order_relaxed))};
}

int64_t MemoryInUse() { return g_in_use.load(std::memory_order_relaxed); }

absl::Status AdmitRequest() {
  const int64_t server = g_server_bytes.load(std::memory_order_relaxed);
  if (server <= 0) return absl::OkStatus();
  // "Full" leaves room for less than a sixteenth of the budget: a request admitted then could
  // not do much before it was refused memory anyway.
  const int64_t full = server - server / 16;
  const absl::Time give_up =
      absl::Now() + absl::Milliseconds(g_admission_wait_ms.load(std::memory_order_relaxed));
  while (MemoryInUse() >= full) {
    if (absl::Now() >= give_up) {
      return absl::ResourceExhaustedError(
          absl::StrCat("server overloaded: its memory budget of ", server,
                       " bytes (memory_budget_bytes) is in use by other requests; try again"));
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

const char* MemoryBudgetExceeded::what() const noexcept {
  return t_refusal[0] != '\0' ? t_refusal : "memory budget exceeded";
}

RequestScope::RequestScope(absl::Time deadline) : owner_(!t_request.open) {
  if (!owner_) return;
  t_request.open = true;
  t_request.tripped = false;
  t_request.used = 0;
  t_request.deadline = deadline;
}

RequestScope::~RequestScope() {
  if (!owner_) return;
  // What the request still holds (objects it handed on, buffers kept for the connection) is no
  // longer its charge.
  g_in_use.fetch_sub(t_request.used, std::memory_order_relaxed);
  t_request = ThreadRequest{};
}

void SetRequestDeadline(absl::Time deadline) {
  if (t_request.open) t_request.deadline = deadline;
}

absl::Time CurrentDeadline() {
  return t_request.open ? t_request.deadline : absl::InfiniteFuture();
}

absl::Status CheckDeadline(const char* what) {
  if (!t_request.open || absl::Now() < t_request.deadline) return absl::OkStatus();
  return absl::DeadlineExceededError(
      absl::StrCat("the request ran past its deadline (request_timeout_s) while ", what));
}

namespace memory_internal {

bool Charge(int64_t bytes) {
  ThreadRequest& r = t_request;
  if (!r.open) return true;
  const int64_t request_limit = g_request_bytes.load(std::memory_order_relaxed);
  const int64_t server_limit = g_server_bytes.load(std::memory_order_relaxed);
  const int64_t used = r.used + bytes;
  if (request_limit > 0 && used > request_limit + (r.tripped ? kGraceBytes : 0)) {
    std::snprintf(t_refusal, sizeof(t_refusal),
                  "request exceeds its memory budget of %lld bytes (request_memory_bytes)",
                  static_cast<long long>(request_limit));
    r.tripped = true;
    return false;
  }
  const int64_t total = g_in_use.fetch_add(bytes, std::memory_order_relaxed) + bytes;
  if (server_limit > 0 && total > server_limit + (r.tripped ? kGraceBytes : 0)) {
    g_in_use.fetch_sub(bytes, std::memory_order_relaxed);
    std::snprintf(t_refusal, sizeof(t_refusal),
                  "server overloaded: its memory budget of %lld bytes (memory_budget_bytes) is "
                  "full; try again",
                  static_cast<long long>(server_limit));
    r.tripped = true;
    return false;
  }
  r.used = used;
  return true;
}

void Release(int64_t bytes) {
  ThreadRequest& r = t_request;
  if (!r.open) return;
  r.used -= bytes;
  g_in_use.fetch_sub(bytes, std::memory_order_relaxed);
}

}  // namespace memory_internal
}  // namespace almanac
