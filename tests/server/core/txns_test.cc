// The transaction calls of the lock manager (open_txns, commit_txn, abort_txn, get_open_txns) and
// locks that belong to a transaction.

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/error_subject.h"
#include "tests/server/core/lock_test_fixture.h"

namespace almanac {
namespace {

using ::testing::IsEmpty;

class TxnsTest : public LockManagerTest {
 protected:
  int64_t OpenTxn() {
    OpenTxnsRequest request;
    request.user = "hive";
    request.host = "host-2";
    absl::StatusOr<std::vector<int64_t>> ids = catalog_->OpenTxns(request);
    EXPECT_TRUE(ids.ok()) << ids.status();
    return ids.ok() && ids->size() == 1 ? (*ids)[0] : -1;
  }

  std::vector<Lock> Shown() {
    absl::StatusOr<std::vector<Lock>> shown = catalog_->ShowLocks({});
    EXPECT_TRUE(shown.ok()) << shown.status();
    return shown.ok() ? *shown : std::vector<Lock>{};
  }
};

TEST_F(TxnsTest, OpenTxnsAssignsIncreasingIdsAndListsThem) {
  OpenTxnsRequest request;
  request.count = 3;
  absl::StatusOr<std::vector<int64_t>> ids = catalog_->OpenTxns(request);
  ASSERT_TRUE(ids.ok()) << ids.status();
  ASSERT_EQ(ids->size(), 3u);
  EXPECT_LT((*ids)[0], (*ids)[1]);
  EXPECT_LT((*ids)[1], (*ids)[2]);
  absl::StatusOr<OpenTxnList> list = catalog_->GetOpenTxns();
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ(list->high_water_mark, (*ids)[2]);
  ASSERT_EQ(list->txns.size(), 3u);
  EXPECT_EQ(list->txns[0].state, TxnState::kOpen);

  request.count = 0;
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->OpenTxns(request).status()));
  request.count = 1001;
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->OpenTxns(request).status()));
}

TEST_F(TxnsTest, CommitReleasesTheTransactionsLocks) {
  const int64_t txn = OpenTxn();
  Lock a = Acquire({OnTable(kSW, "db", "t")}, txn);
  // Locks of one transaction never conflict with each other.
  Lock b = Acquire({OnTable(kX, "db", "t")}, txn);
  EXPECT_EQ(a.state, LockState::kAcquired);
  EXPECT_EQ(b.state, LockState::kAcquired);
  Lock outsider = Acquire({OnTable(kSR, "db", "t")});
  EXPECT_EQ(outsider.state, LockState::kWaiting);

  absl::Status unlock = catalog_->Unlock(a.id);
  EXPECT_TRUE(absl::IsFailedPrecondition(unlock)) << unlock;
  EXPECT_EQ(SubjectOf(unlock), ErrorSubject::kTxn);
  // The outsider gives up waiting: a waiting lock may always be unlocked.
  Release(outsider.id);

  ASSERT_TRUE(catalog_->CommitTxn(txn).ok());
  EXPECT_THAT(Shown(), IsEmpty());
  EXPECT_TRUE(catalog_->CommitTxn(txn).ok());  // Committing again is a no-op.
  absl::Status abort = catalog_->AbortTxn(txn);
  EXPECT_TRUE(absl::IsNotFound(abort)) << abort;
  EXPECT_EQ(SubjectOf(abort), ErrorSubject::kTxn);
  EXPECT_EQ(abort.message(), "Transaction txnid:" + std::to_string(txn) + " is already committed.");
  absl::StatusOr<OpenTxnList> list = catalog_->GetOpenTxns();
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->txns, IsEmpty());
  EXPECT_EQ(list->high_water_mark, txn);
}

TEST_F(TxnsTest, AbortReleasesLocksAndRefusesLaterUse) {
  const int64_t txn = OpenTxn();
  Acquire({OnTable(kX, "db", "t")}, txn);
  ASSERT_TRUE(catalog_->AbortTxn(txn).ok());
  EXPECT_TRUE(catalog_->AbortTxn(txn).ok());  // Aborting again is a no-op.
  EXPECT_THAT(Shown(), IsEmpty());

  absl::Status commit = catalog_->CommitTxn(txn);
  EXPECT_TRUE(absl::IsAborted(commit)) << commit;
  EXPECT_EQ(SubjectOf(commit), ErrorSubject::kTxn);
  EXPECT_EQ(commit.message(), "Transaction txnid:" + std::to_string(txn) + " already aborted");
  LockRequest request;
  request.components = {OnTable(kX, "db", "t")};
  request.txn_id = txn;
  EXPECT_TRUE(absl::IsAborted(catalog_->AcquireLock(request).status()));
  EXPECT_TRUE(absl::IsAborted(catalog_->Heartbeat(0, txn)));

  absl::StatusOr<OpenTxnList> list = catalog_->GetOpenTxns();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->txns.size(), 1u);
  EXPECT_EQ(list->txns[0].state, TxnState::kAborted);
}

TEST_F(TxnsTest, UnknownTransactionsAreRefused) {
  LockRequest request;
  request.components = {OnTable(kX, "db", "t")};
  request.txn_id = 999;
  absl::Status status = catalog_->AcquireLock(request).status();
  EXPECT_TRUE(absl::IsNotFound(status)) << status;
  EXPECT_EQ(SubjectOf(status), ErrorSubject::kTxn);
  EXPECT_EQ(status.message(), "No such transaction txnid:999");
  EXPECT_TRUE(absl::IsNotFound(catalog_->CommitTxn(999)));
  EXPECT_TRUE(absl::IsNotFound(catalog_->AbortTxn(999)));
  EXPECT_TRUE(absl::IsNotFound(catalog_->Heartbeat(0, 999)));
  EXPECT_THAT(Shown(), IsEmpty());
}

TEST_F(TxnsTest, HeartbeatingATransactionKeepsItAndItsLocksAlive) {
  const int64_t kept = OpenTxn();
  const int64_t dropped = OpenTxn();
  Lock lock = Acquire({OnTable(kX, "db", "t")}, kept);
  Acquire({OnTable(kX, "db", "u")}, dropped);
  for (int i = 0; i < 3; ++i) {
    now_ += 200;
    ASSERT_TRUE(catalog_->Heartbeat(0, kept).ok());
  }
  EXPECT_EQ(Check(lock.id), LockState::kAcquired);
  std::vector<Lock> shown = Shown();
  ASSERT_EQ(shown.size(), 1u);
  EXPECT_EQ(shown[0].id, lock.id);
  EXPECT_EQ(shown[0].txn_id, kept);
  // The reaper aborted the silent transaction.
  EXPECT_TRUE(absl::IsAborted(catalog_->CommitTxn(dropped)));
  absl::StatusOr<OpenTxnList> list = catalog_->GetOpenTxns();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->txns.size(), 2u);
  EXPECT_EQ(list->txns[0].state, TxnState::kOpen);
  EXPECT_EQ(list->txns[1].state, TxnState::kAborted);
}

TEST_F(TxnsTest, FinishedTransactionsArePurgedAfterADay) {
  const int64_t txn = OpenTxn();
  ASSERT_TRUE(catalog_->AbortTxn(txn).ok());
  now_ += 25 * 3600;
  ASSERT_TRUE(catalog_->ReapExpiredLocks().ok());
  absl::StatusOr<OpenTxnList> list = catalog_->GetOpenTxns();
  ASSERT_TRUE(list.ok());
  EXPECT_THAT(list->txns, IsEmpty());
  EXPECT_EQ(list->high_water_mark, txn);  // The high-water mark survives the purge.
  EXPECT_GT(OpenTxn(), txn);
  EXPECT_TRUE(absl::IsNotFound(catalog_->CommitTxn(txn)));
}

TEST_F(TxnsTest, TransactionsSurviveReopeningTheStore) {
  const int64_t txn = OpenTxn();
  Lock lock = Acquire({OnTable(kX, "db", "t")}, txn);
  Reopen();
  EXPECT_EQ(Check(lock.id), LockState::kAcquired);
  ASSERT_TRUE(catalog_->CommitTxn(txn).ok());
  EXPECT_THAT(Shown(), IsEmpty());
}

}  // namespace
}  // namespace almanac
