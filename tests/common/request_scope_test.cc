// The per-request deadline and memory account, with the allocator hooks linked in.

#include "common/request_scope.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kMiB = 1 << 20;

class RequestScopeTest : public ::testing::Test {
 protected:
  void TearDown() override { SetMemoryBudget(MemoryBudget{}); }
};

// Allocates `bytes` and touches them; returns the message of a refusal, or "".
std::string TryAllocate(int64_t bytes) {
  try {
    std::vector<char> block(static_cast<size_t>(bytes), 'x');
    return "";
  } catch (const MemoryBudgetExceeded& e) {
    return e.what();
  }
}

TEST_F(RequestScopeTest, ARequestOverItsBudgetIsRefusedAlone) {
  SetMemoryBudget({64 * kMiB, 2 * kMiB, absl::Milliseconds(10)});
  {
    RequestScope request;
    EXPECT_EQ(TryAllocate(kMiB), "");
    EXPECT_THAT(TryAllocate(3 * kMiB), HasSubstr("request_memory_bytes"));
  }
  // Outside a request nothing is counted or refused.
  EXPECT_EQ(TryAllocate(8 * kMiB), "");
  EXPECT_EQ(MemoryInUse(), 0);
}

TEST_F(RequestScopeTest, TheServerBudgetBoundsAllRequestsTogether) {
  SetMemoryBudget({4 * kMiB, 0, absl::Milliseconds(10)});
  absl::Notification holding;
  absl::Notification done;
  std::thread other([&] {
    RequestScope request;
    auto block = std::make_unique<char[]>(4 * kMiB - kMiB / 32);  // The budget is full.
    holding.Notify();
    done.WaitForNotification();
  });
  holding.WaitForNotification();
  EXPECT_GE(MemoryInUse(), 3 * kMiB);
  {
    RequestScope request;
    EXPECT_THAT(TryAllocate(2 * kMiB), HasSubstr("memory_budget_bytes"));
  }
  absl::Status admitted = AdmitRequest();
  EXPECT_TRUE(absl::IsResourceExhausted(admitted)) << admitted;
  done.Notify();
  other.join();
  EXPECT_EQ(MemoryInUse(), 0);
  EXPECT_TRUE(AdmitRequest().ok());
  RequestScope request;
  EXPECT_EQ(TryAllocate(2 * kMiB), "");
}

TEST_F(RequestScopeTest, ARefusedRequestMayStillReportItsError) {
  SetMemoryBudget({0, kMiB, absl::Milliseconds(10)});
  RequestScope request;
  std::vector<char> held(kMiB / 2);
  EXPECT_FALSE(TryAllocate(kMiB).empty());
  std::string message(64 * 1024, 'e');  // Within the grace that follows a refusal.
  EXPECT_EQ(message.size(), 64u * 1024);
}

TEST_F(RequestScopeTest, DeadlineBelongsToTheOpenRequest) {
  EXPECT_EQ(CurrentDeadline(), absl::InfiniteFuture());
  EXPECT_TRUE(CheckDeadline("testing").ok());
  {
    RequestScope request(absl::Now() - absl::Seconds(1));
    absl::Status late = CheckDeadline("listing partitions");
    EXPECT_TRUE(absl::IsDeadlineExceeded(late)) << late;
    EXPECT_THAT(late.message(), HasSubstr("listing partitions"));
    SetRequestDeadline(absl::InfiniteFuture());
    EXPECT_TRUE(CheckDeadline("testing").ok());
  }
  SetRequestDeadline(absl::Now() - absl::Seconds(1));  // No request open: ignored.
  EXPECT_EQ(CurrentDeadline(), absl::InfiniteFuture());
}

}  // namespace
}  // namespace almanac
