// CatalogService's lock manager over a real SQLite store, with an injected clock.

#include <memory>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/error_subject.h"
#include "tests/server/core/lock_test_fixture.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class LocksTest : public LockManagerTest {};

// Hive 4's matrix (CheckLockFunction): does a requested type wait for an existing one?
bool ExpectConflict(LockType requested, LockType existing) {
  switch (requested) {
    case kSR:
      return existing == kX;
    case kSW:
      return existing == kX || existing == kEW;
    case kEW:
      return existing != kSR;
    case kX:
      return true;
  }
  return true;
}

TEST_F(LocksTest, ConflictMatrixOnOneTable) {
  const std::vector<LockType> types = {kSR, kSW, kX, kEW};
  int n = 0;
  for (LockType existing : types) {
    for (LockType requested : types) {
      const std::string table = "t" + std::to_string(n++);
      Lock first = Acquire({OnTable(existing, "db", table)});
      ASSERT_EQ(first.state, LockState::kAcquired);
      Lock second = Acquire({OnTable(requested, "db", table)});
      EXPECT_EQ(second.state,
                ExpectConflict(requested, existing) ? LockState::kWaiting : LockState::kAcquired)
          << "requested " << static_cast<int>(requested) << " existing "
          << static_cast<int>(existing);
      Release(first.id);
      EXPECT_EQ(Check(second.id), LockState::kAcquired);
      Release(second.id);
    }
  }
}

TEST_F(LocksTest, DatabaseLockOverlapsItsTables) {
  Lock db_x = Acquire({OnDb(kX, "sales")});
  EXPECT_EQ(Acquire({OnTable(kSR, "sales", "orders")}).state, LockState::kWaiting);
  EXPECT_EQ(Acquire({OnPartition(kSW, "sales", "orders", "d=1")}).state, LockState::kWaiting);
  EXPECT_EQ(Acquire({OnTable(kX, "other", "orders")}).state, LockState::kAcquired);
  Release(db_x.id);
}

TEST_F(LocksTest, SharedReadOnADatabaseIgnoresExclusiveLocksOnItsTables) {
  Lock db_read = Acquire({OnDb(kSR, "sales")});
  Lock table_x = Acquire({OnTable(kX, "sales", "orders")});
  EXPECT_EQ(table_x.state, LockState::kAcquired);
  EXPECT_EQ(Acquire({OnDb(kSR, "sales")}).state, LockState::kAcquired);
  // An EXCLUSIVE lock on the database itself still waits for the reader.
  EXPECT_EQ(Acquire({OnDb(kX, "sales")}).state, LockState::kWaiting);
  Release(db_read.id);
  Release(table_x.id);
}

TEST_F(LocksTest, TableLockOverlapsItsPartitions) {
  Lock table_x = Acquire({OnTable(kX, "db", "t")});
  EXPECT_EQ(Acquire({OnPartition(kSR, "db", "t", "p=1")}).state, LockState::kWaiting);
  EXPECT_EQ(Acquire({OnPartition(kSR, "db", "u", "p=1")}).state, LockState::kAcquired);
  Release(table_x.id);

  Lock part_x = Acquire({OnPartition(kX, "db", "v", "p=1")});
  EXPECT_EQ(Acquire({OnPartition(kX, "db", "v", "p=2")}).state, LockState::kAcquired);
  // An EXCLUSIVE lock on a partition keeps readers off the whole table.
  EXPECT_EQ(Acquire({OnTable(kSR, "db", "v")}).state, LockState::kWaiting);
  Release(part_x.id);
}

TEST_F(LocksTest, AllComponentsAreGrantedTogether) {
  Lock holder = Acquire({OnTable(kX, "db", "b")});
  Lock both = Acquire({OnTable(kX, "db", "a"), OnTable(kX, "db", "b")});
  EXPECT_EQ(both.state, LockState::kWaiting);
  Release(holder.id);
  EXPECT_EQ(Check(both.id), LockState::kAcquired);
  EXPECT_EQ(Acquire({OnTable(kSR, "db", "a")}).state, LockState::kWaiting);
  EXPECT_EQ(Acquire({OnTable(kSR, "db", "b")}).state, LockState::kWaiting);
}

TEST_F(LocksTest, WaitingLocksAreGrantedFirstInFirstOut) {
  Lock holder = Acquire({OnTable(kX, "db", "t")});
  Lock w1 = Acquire({OnTable(kX, "db", "t")});
  Lock w2 = Acquire({OnTable(kX, "db", "t")});
  Lock w3 = Acquire({OnTable(kX, "db", "t")});
  EXPECT_LT(w1.id, w2.id);
  EXPECT_LT(w2.id, w3.id);
  Release(holder.id);
  // Asked in reverse order, only the oldest waiter is granted.
  EXPECT_EQ(Check(w3.id), LockState::kWaiting);
  EXPECT_EQ(Check(w2.id), LockState::kWaiting);
  EXPECT_EQ(Check(w1.id), LockState::kAcquired);
  Release(w1.id);
  EXPECT_EQ(Check(w3.id), LockState::kWaiting);
  EXPECT_EQ(Check(w2.id), LockState::kAcquired);
  Release(w2.id);
  EXPECT_EQ(Check(w3.id), LockState::kAcquired);
}

TEST_F(LocksTest, ACompatibleRequestQueuesBehindAWaitingOne) {
  Lock reader = Acquire({OnTable(kSR, "db", "t")});
  Lock writer = Acquire({OnTable(kX, "db", "t")});
  ASSERT_EQ(writer.state, LockState::kWaiting);
  // Compatible with the reader, but the writer came first: no starvation.
  Lock late_reader = Acquire({OnTable(kSR, "db", "t")});
  EXPECT_EQ(late_reader.state, LockState::kWaiting);
  Release(reader.id);
  EXPECT_EQ(Check(late_reader.id), LockState::kWaiting);
  EXPECT_EQ(Check(writer.id), LockState::kAcquired);
}

TEST_F(LocksTest, LocksSurviveReopeningTheStore) {
  Lock held = Acquire({OnTable(kX, "db", "t")}, 0, "Iceberg-1");
  Lock waiting = Acquire({OnTable(kX, "db", "t")}, 0, "Iceberg-2");
  Reopen();
  EXPECT_EQ(Check(held.id), LockState::kAcquired);
  EXPECT_EQ(Check(waiting.id), LockState::kWaiting);
  absl::StatusOr<std::vector<Lock>> shown = catalog_->ShowLocks({});
  ASSERT_TRUE(shown.ok()) << shown.status();
  ASSERT_EQ(shown->size(), 2u);
  EXPECT_EQ((*shown)[0].agent_info, "Iceberg-1");
  EXPECT_EQ((*shown)[1].agent_info, "Iceberg-2");
  Release(held.id);
  EXPECT_EQ(Check(waiting.id), LockState::kAcquired);
  // Ids are never reused, even after a restart.
  Release(waiting.id);
  Reopen();
  EXPECT_GT(Acquire({OnTable(kX, "db", "t")}).id, waiting.id);
}

TEST_F(LocksTest, ALockNotHeartbeatedIsReapedAndAnswersNoSuchLock) {
  Lock held = Acquire({OnTable(kX, "db", "t")});
  Lock next = Acquire({OnTable(kX, "db", "t")});
  now_ += 200;
  EXPECT_EQ(Check(next.id), LockState::kWaiting);  // Also heartbeats `next`.
  now_ += 101;                                     // `held` is now 301 s old.
  EXPECT_EQ(Check(next.id), LockState::kAcquired);

  absl::StatusOr<Lock> check = catalog_->CheckLock(held.id);
  EXPECT_TRUE(absl::IsNotFound(check.status())) << check.status();
  EXPECT_EQ(SubjectOf(check.status()), ErrorSubject::kLock);
  EXPECT_EQ(check.status().message(), "No such lock lockid:" + std::to_string(held.id));
  absl::Status heartbeat = catalog_->Heartbeat(held.id, 0);
  EXPECT_EQ(heartbeat.message(), "No such lock: lockid:" + std::to_string(held.id));
  EXPECT_EQ(SubjectOf(heartbeat), ErrorSubject::kLock);
  absl::Status unlock = catalog_->Unlock(held.id);  // Gone already: releasing it succeeds.
  EXPECT_TRUE(unlock.ok()) << unlock;
  EXPECT_THAT(StoredLockIds(), ElementsAre(next.id));
}

TEST_F(LocksTest, HeartbeatsKeepALockAlive) {
  Lock kept = Acquire({OnTable(kX, "db", "t")});
  Lock dropped = Acquire({OnTable(kX, "db", "u")});
  for (int i = 0; i < 3; ++i) {
    now_ += 240;  // Iceberg's heartbeat interval, below the 300 s timeout.
    ASSERT_TRUE(catalog_->Heartbeat(kept.id, 0).ok());
  }
  EXPECT_EQ(Check(kept.id), LockState::kAcquired);
  EXPECT_TRUE(absl::IsNotFound(catalog_->CheckLock(dropped.id).status()));
  absl::StatusOr<std::vector<Lock>> shown = catalog_->ShowLocks({});
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(shown->size(), 1u);
  EXPECT_EQ((*shown)[0].heartbeat_count, 3);
}

TEST_F(LocksTest, ExpiredLocksAreHiddenBeforeTheyAreReaped) {
  Acquire({OnTable(kX, "db", "t")});
  now_ += 301;
  absl::StatusOr<std::vector<Lock>> shown = catalog_->ShowLocks({});
  ASSERT_TRUE(shown.ok());
  EXPECT_THAT(*shown, IsEmpty());
  EXPECT_EQ(StoredLockIds().size(), 1u);
  absl::StatusOr<int64_t> reaped = catalog_->ReapExpiredLocks();
  ASSERT_TRUE(reaped.ok()) << reaped.status();
  EXPECT_EQ(*reaped, 1);
  EXPECT_THAT(StoredLockIds(), IsEmpty());
}

TEST_F(LocksTest, TheReaperThreadDeletesExpiredLocks) {
  Acquire({OnTable(kX, "db", "t")});
  now_ += 301;
  catalog_->StartLockReaper(absl::Milliseconds(10));
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!StoredLockIds().empty() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  catalog_->StopLockReaper();
  EXPECT_THAT(StoredLockIds(), IsEmpty());
}

TEST_F(LocksTest, ShowLocksReportsWhoHoldsWhatAndSince) {
  Lock lock = Acquire({OnTable(kX, "Sales", "Orders"), OnPartition(kSR, "sales", "items", "d=1")},
                      0, "Iceberg-abc");
  now_ += 5;
  ASSERT_TRUE(catalog_->Heartbeat(lock.id, 0).ok());
  Acquire({OnTable(kSR, "other", "t")});

  LockFilter filter;
  filter.database = "SALES";
  filter.table = "orders";
  absl::StatusOr<std::vector<Lock>> shown = catalog_->ShowLocks(filter);
  ASSERT_TRUE(shown.ok()) << shown.status();
  ASSERT_EQ(shown->size(), 1u);
  const Lock& got = (*shown)[0];
  EXPECT_EQ(got.id, lock.id);
  EXPECT_EQ(got.state, LockState::kAcquired);
  EXPECT_EQ(got.user, "alice");
  EXPECT_EQ(got.host, "host-1");
  EXPECT_EQ(got.agent_info, "Iceberg-abc");
  EXPECT_EQ(got.created_ms, kStart * 1000);
  EXPECT_EQ(got.acquired_ms, kStart * 1000);
  EXPECT_EQ(got.last_heartbeat_ms, (kStart + 5) * 1000);
  EXPECT_EQ(got.heartbeat_count, 1);
  // Only the matching component, with its names normalised.
  EXPECT_THAT(got.components, ElementsAre(OnTable(kX, "sales", "orders")));

  filter = {};
  filter.partition = "d=1";
  shown = catalog_->ShowLocks(filter);
  ASSERT_TRUE(shown.ok());
  ASSERT_EQ(shown->size(), 1u);
  EXPECT_THAT((*shown)[0].components, ElementsAre(OnPartition(kSR, "sales", "items", "d=1")));
  shown = catalog_->ShowLocks({});
  ASSERT_TRUE(shown.ok());
  EXPECT_EQ(shown->size(), 2u);
}

TEST_F(LocksTest, RejectsMalformedRequests) {
  LockRequest empty;
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->AcquireLock(empty).status()));
  LockRequest no_table;
  no_table.components = {OnTable(kX, "db", "")};
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->AcquireLock(no_table).status()));
  LockRequest no_partition;
  no_partition.components = {OnPartition(kX, "db", "t", "")};
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->AcquireLock(no_partition).status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->CheckLock(12345).status()));
}

}  // namespace
}  // namespace almanac
