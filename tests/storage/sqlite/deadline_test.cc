// Deadlines in the SQLite store: waiting for a connection is bounded, and SQL running past the
// request's deadline is interrupted, rolls back and gives its connection back.

#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/notification.h"
#include "common/request_scope.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::HasSubstr;

constexpr int kPartitions = 3000;

class StoreDeadlineTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    options_.reader_pool_size = 1;
    options_.acquire_timeout = absl::Milliseconds(100);
    Reopen();
    table_ = CreateTable(MakeTable("sales", "events", {{"day", "string", ""}}));
    std::vector<Partition> parts;
    for (int i = 0; i < kPartitions; ++i) {
      parts.push_back(MakePartition(table_, {absl::StrFormat("d%05d", i)}, absl::StrCat("p", i)));
    }
    ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.AddPartitions(table_, parts); }).ok());
  }

  absl::Status ListAll(int64_t* count) {
    *count = 0;
    return Read([&](ReadView& view) {
      return view.ListPartitionNames(table_, PartitionQuery{}, [&](std::string&&) {
        ++*count;
        return true;
      });
    });
  }

  // Runs `fn` on another thread while it holds the only reader (or the writer), then lets go.
  template <typename Hold>
  void WhileHeld(Hold hold, const std::function<void()>& fn) {
    absl::Notification held;
    absl::Notification release;
    std::thread holder([&] {
      absl::Status status = hold([&] {
        held.Notify();
        release.WaitForNotification();
      });
      EXPECT_TRUE(status.ok()) << status;
    });
    held.WaitForNotification();
    fn();
    release.Notify();
    holder.join();
  }

  void WhileReaderHeld(const std::function<void()>& fn) {
    WhileHeld(
        [&](auto inside) {
          return Read([&](ReadView&) {
            inside();
            return absl::OkStatus();
          });
        },
        fn);
  }

  void WhileWriterHeld(const std::function<void()>& fn) {
    WhileHeld(
        [&](auto inside) {
          return Write([&](WriteTxn&) {
            inside();
            return absl::OkStatus();
          });
        },
        fn);
  }

  Table table_;
};

TEST_F(StoreDeadlineTest, SqlPastTheDeadlineIsInterruptedAndFreesItsReader) {
  int64_t count = 0;
  {
    RequestScope request(absl::Now() - absl::Seconds(1));
    absl::Status status = ListAll(&count);
    EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
    EXPECT_THAT(status.message(), HasSubstr("deadline"));
    EXPECT_LT(count, kPartitions);
  }
  // The only reader went back to the pool: later reads, without a deadline, see everything.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ListAll(&count).ok());
    EXPECT_EQ(count, kPartitions);
  }
}

TEST_F(StoreDeadlineTest, AWriteInterruptedByItsDeadlineLeavesNothingBehind) {
  std::vector<Partition> parts;
  for (int i = 0; i < kPartitions; ++i) {
    parts.push_back(MakePartition(table_, {absl::StrFormat("e%05d", i)}, absl::StrCat("q", i)));
  }
  {
    RequestScope request(absl::Now() - absl::Seconds(1));
    absl::Status status = Write([&](WriteTxn& txn) { return txn.AddPartitions(table_, parts); });
    EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  }
  int64_t count = 0;
  ASSERT_TRUE(ListAll(&count).ok());
  EXPECT_EQ(count, kPartitions);
  EXPECT_TRUE(Write([&](WriteTxn& txn) { return txn.AddPartitions(table_, parts); }).ok());
  ASSERT_TRUE(ListAll(&count).ok());
  EXPECT_EQ(count, 2 * kPartitions);
}

TEST_F(StoreDeadlineTest, WaitingForABusyReaderTimesOut) {
  WhileReaderHeld([&] {
    int64_t count = 0;
    absl::Status status = ListAll(&count);
    EXPECT_TRUE(absl::IsUnavailable(status)) << status;
    EXPECT_THAT(status.message(), HasSubstr("reader connections"));
  });
  int64_t count = 0;
  EXPECT_TRUE(ListAll(&count).ok());
}

TEST_F(StoreDeadlineTest, WaitingForTheBusyWriterTimesOut) {
  WhileWriterHeld([&] {
    absl::Status status = Write([](WriteTxn&) { return absl::OkStatus(); });
    EXPECT_TRUE(absl::IsUnavailable(status)) << status;
    EXPECT_THAT(status.message(), HasSubstr("writer connection"));
  });
  EXPECT_TRUE(Write([](WriteTxn&) { return absl::OkStatus(); }).ok());
}

TEST_F(StoreDeadlineTest, TheRequestDeadlineEndsAWaitBeforeTheAcquireTimeout) {
  options_.acquire_timeout = absl::Hours(1);
  Reopen();
  WhileReaderHeld([&] {
    RequestScope request(absl::Now() + absl::Milliseconds(50));
    int64_t count = 0;
    absl::Status status = ListAll(&count);
    EXPECT_TRUE(absl::IsDeadlineExceeded(status)) << status;
  });
}

TEST_F(StoreDeadlineTest, ANegativeAcquireTimeoutIsRefused) {
  options_.acquire_timeout = absl::Seconds(-1);
  EXPECT_TRUE(absl::IsInvalidArgument(OpenSqliteStore(options_).status()));
}

}  // namespace
}  // namespace almanac::testing
