// I/O errors during Store::Write, in SQLite's own I/O-error-loop style: for n = 1, 2, ... the
// nth write (or sync) of the step fails, until a step runs without reaching the nth call.
//
// The invariant asserted for every n:
//  - OK means durable: a power loss right after Write returned OK loses nothing acknowledged.
//  - An error means the change is not committed in the running store: it is not visible
//    afterwards, nor after a clean reopen. (A commit whose WAL sync failed has frames in the log
//    that SQLite never marks valid in the WAL index; the next transaction overwrites them, and
//    a clean close checkpoints only valid frames and deletes the log. Only a crash before that
//    could bring such a commit back, which the power-loss tests accept as "in doubt".)
//  - After an error the store stays consistent and usable: PRAGMA integrity_check is ok and
//    the next Write succeeds.
// A failure in the checkpoint that follows a commit is not the caller's: that Write returns
// OK, and the first point above still holds.

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/storage/sqlite/crash_workload.h"
#include "tests/storage/sqlite/fault_vfs.h"
#include "tests/storage/sqlite/power_loss.h"
#include "tests/storage/temp_dir.h"

namespace almanac::testing {
namespace {

class IoErrorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vfs = FaultVfs::Register("almanac-io-error-test");
    ASSERT_TRUE(vfs.ok()) << vfs.status();
    vfs_ = *std::move(vfs);
    options_.path = dir_.File("catalog.db");
    options_.vfs = vfs_->name();
    options_.default_database_location = "file:/warehouse";
    options_.reader_pool_size = 1;
    // Every commit is followed by a checkpoint, so its I/O is part of every step.
    options_.checkpoint_wal_frames = 1;
    ASSERT_NO_FATAL_FAILURE(Open());
    for (int i = 0; i < 8; ++i) ASSERT_TRUE(workload_.Step(*store_).ok());
  }

  void TearDown() override { store_.reset(); }

  void Open() {
    auto store = OpenSqliteStore(options_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
  }

  // The store holds exactly the acknowledged steps.
  void ExpectAcknowledgedOnly(const std::string& when) {
    const absl::StatusOr<CrashWorkload::Outcome> outcome = workload_.Verify(*store_);
    ASSERT_TRUE(outcome.ok()) << when << ": " << outcome.status();
    EXPECT_EQ(*outcome, CrashWorkload::Outcome::kAbsent) << when;
    const absl::Status integrity = CheckIntegrity(options_.path);
    EXPECT_TRUE(integrity.ok()) << when << ": " << integrity;
  }

  // Stops the machine, closes the store, drops every unsynced write and reopens.
  void PowerLossAndReopen() {
    vfs_->CrashNow();
    store_.reset();
    const absl::Status status = vfs_->SimulatePowerLoss({});
    ASSERT_TRUE(status.ok()) << status;
    ASSERT_NO_FATAL_FAILURE(Open());
  }

  // Runs the loop for one rule; returns how many steps failed.
  int RunLoop(IoCall call, bool persistent, unsigned files = kAnyFile) {
    int failed = 0;
    for (int64_t n = 1; n < 500; ++n) {
      const std::string when = ::testing::PrintToString(n);
      vfs_->ArmFault({call, files, n, persistent});
      const absl::Status status = workload_.Step(*store_);
      const bool reached = vfs_->matching_calls() >= n;
      vfs_->Disarm();
      if (!status.ok()) {
        ++failed;
        EXPECT_TRUE(reached) << "n=" << n << " failed without a fault: " << status;
        EXPECT_NO_FATAL_FAILURE(ExpectAcknowledgedOnly("after the failed step, n=" + when));
        EXPECT_TRUE(workload_.Step(*store_).ok()) << "n=" << n;
        store_.reset();
        EXPECT_NO_FATAL_FAILURE(Open());
        EXPECT_NO_FATAL_FAILURE(ExpectAcknowledgedOnly("after a clean reopen, n=" + when));
      }
      EXPECT_NO_FATAL_FAILURE(PowerLossAndReopen());
      EXPECT_NO_FATAL_FAILURE(ExpectAcknowledgedOnly("after a power loss, n=" + when));
      // The next step starts from an empty log, so it does the same I/O as this one.
      EXPECT_TRUE(store_->Checkpoint().ok());
      if (::testing::Test::HasFatalFailure() || !reached) return failed;
    }
    ADD_FAILURE() << "the loop did not end";
    return failed;
  }

  TempDir dir_;
  std::unique_ptr<FaultVfs> vfs_;
  SqliteStoreOptions options_;
  std::unique_ptr<Store> store_;
  CrashWorkload workload_{42, /*uniform=*/true};
};

TEST_F(IoErrorTest, EveryFailedWriteIsAnErrorOrDurable) {
  EXPECT_GT(RunLoop(IoCall::kWrite, false), 0);
}

TEST_F(IoErrorTest, EveryFailedSyncIsAnErrorOrDurable) {
  EXPECT_GT(RunLoop(IoCall::kSync, false), 0);
}

TEST_F(IoErrorTest, PersistentWriteFailuresAreErrorsOrDurable) {
  EXPECT_GT(RunLoop(IoCall::kWrite, true), 0);
}

TEST_F(IoErrorTest, PersistentSyncFailuresAreErrorsOrDurable) {
  EXPECT_GT(RunLoop(IoCall::kSync, true), 0);
}

// Writes to the main file happen only in checkpoints, after the commit: each Write returns OK
// and must be durable although the checkpoint failed half way.
TEST_F(IoErrorTest, FailedCheckpointWritesLoseNothing) {
  EXPECT_EQ(RunLoop(IoCall::kWrite, false, kMainDbFile), 0);
  EXPECT_EQ(RunLoop(IoCall::kSync, true, kMainDbFile), 0);
}

TEST_F(IoErrorTest, FailedLogWritesAreErrors) {
  EXPECT_GT(RunLoop(IoCall::kWrite, false, kWalFile), 0);
}

TEST_F(IoErrorTest, WritesFailWhileEverySyncFails) {
  vfs_->ArmFault({IoCall::kSync, kAnyFile, 1, true});
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(workload_.Step(*store_).ok());
    ASSERT_NO_FATAL_FAILURE(ExpectAcknowledgedOnly("while syncs fail"));
  }
  vfs_->Disarm();
  EXPECT_TRUE(workload_.Step(*store_).ok());
  ASSERT_NO_FATAL_FAILURE(PowerLossAndReopen());
  ASSERT_NO_FATAL_FAILURE(ExpectAcknowledgedOnly("after a power loss"));
}

}  // namespace
}  // namespace almanac::testing
