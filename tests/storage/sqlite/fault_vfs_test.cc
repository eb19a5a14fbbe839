// Tests of the test VFS itself: unless it really loses unsynced data and really fails the calls
// it is told to, the power-loss and I/O-error tests of the store could not fail.

#include "tests/storage/sqlite/fault_vfs.h"

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/power_loss.h"
#include "tests/storage/temp_dir.h"

namespace almanac::testing {
namespace {

class FaultVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto vfs = FaultVfs::Register("almanac-fault-vfs-test");
    ASSERT_TRUE(vfs.ok()) << vfs.status();
    vfs_ = *std::move(vfs);
    path_ = dir_.File("t.db");
  }
  void TearDown() override { Close(); }

  void Open() {
    Close();
    ASSERT_EQ(sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                              vfs_->name().c_str()),
              SQLITE_OK);
    sqlite3_extended_result_codes(db_, 1);
  }
  void Close() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  int64_t Count() {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT count(*) FROM t", -1, &stmt, nullptr) != SQLITE_OK) {
      return -1;  // No table t.
    }
    int64_t n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
    sqlite3_finalize(stmt);
    return n;
  }
  // A WAL database with table t holding one durable row.
  void CreateDurableTable() {
    Open();
    ASSERT_EQ(Exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                   "CREATE TABLE t(x); INSERT INTO t VALUES (0)"),
              SQLITE_OK);
  }
  void InsertRows(int n) {
    for (int i = 1; i <= n; ++i) {
      ASSERT_EQ(Exec(absl::StrCat("INSERT INTO t VALUES (", i, ")")), SQLITE_OK);
    }
  }
  // Stops the machine, closes the connection, and restores the disk as after a power loss.
  void PowerLoss(PowerLossOptions::Mode mode = PowerLossOptions::Mode::kDropUnsynced) {
    vfs_->CrashNow();
    Close();
    ASSERT_TRUE(vfs_->SimulatePowerLoss({mode, 7}).ok());
  }

  TempDir dir_;
  std::unique_ptr<FaultVfs> vfs_;
  std::string path_;
  sqlite3* db_ = nullptr;
};

TEST_F(FaultVfsTest, SynchronousOffLosesCommittedRows) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  ASSERT_EQ(Exec("PRAGMA synchronous = OFF"), SQLITE_OK);
  ASSERT_NO_FATAL_FAILURE(InsertRows(50));
  EXPECT_EQ(Count(), 51);
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  EXPECT_GT(vfs_->counters().dropped_bytes, 0);
  Open();
  EXPECT_EQ(Count(), 1);  // Only the row committed with synchronous = FULL.
  EXPECT_TRUE(CheckIntegrity(path_).ok());
}

TEST_F(FaultVfsTest, SynchronousNormalLosesCommittedRowsInWalMode) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  ASSERT_EQ(Exec("PRAGMA synchronous = NORMAL"), SQLITE_OK);
  ASSERT_NO_FATAL_FAILURE(InsertRows(50));
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  Open();
  EXPECT_EQ(Count(), 1);  // In WAL mode, NORMAL syncs only at checkpoints.
}

TEST_F(FaultVfsTest, IgnoredSyncsLoseCommittedRows) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  vfs_->set_ignore_syncs(true);
  ASSERT_NO_FATAL_FAILURE(InsertRows(50));
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  vfs_->set_ignore_syncs(false);
  Open();
  EXPECT_EQ(Count(), 1);
}

TEST_F(FaultVfsTest, SynchronousFullKeepsCommittedRows) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  ASSERT_NO_FATAL_FAILURE(InsertRows(50));
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  Open();
  EXPECT_EQ(Count(), 51);
  EXPECT_TRUE(CheckIntegrity(path_).ok());
}

TEST_F(FaultVfsTest, RandomSubsetOfUnsyncedWritesKeepsSyncedRows) {
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
    ASSERT_NO_FATAL_FAILURE(InsertRows(20));
    // An unfinished transaction whose pages reach the log without a commit.
    ASSERT_EQ(Exec("PRAGMA cache_size = 2; BEGIN; "
                   "INSERT INTO t SELECT randomblob(3000) FROM t"),
              SQLITE_OK);
    vfs_->CrashNow();
    Close();
    ASSERT_TRUE(vfs_->SimulatePowerLoss({PowerLossOptions::Mode::kRandomSubset, seed}).ok());
    Open();
    EXPECT_EQ(Count(), 21) << "seed " << seed;
    EXPECT_TRUE(CheckIntegrity(path_).ok()) << "seed " << seed;
    Close();
    ASSERT_TRUE(vfs_->ForgetFiles().ok());
    std::filesystem::remove_all(dir_.path());
    std::filesystem::create_directories(dir_.path());
  }
}

TEST_F(FaultVfsTest, NewFileWithoutDirectorySyncDisappears) {
  // A rollback journal database with synchronous = OFF never syncs a file or the directory.
  Open();
  ASSERT_EQ(Exec("PRAGMA synchronous = OFF; CREATE TABLE t(x); INSERT INTO t VALUES (1)"),
            SQLITE_OK);
  ASSERT_TRUE(std::filesystem::exists(path_));
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  EXPECT_FALSE(std::filesystem::exists(path_));
}

TEST_F(FaultVfsTest, SharedMemoryFileDisappears) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  ASSERT_TRUE(std::filesystem::exists(path_ + "-shm"));
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  EXPECT_FALSE(std::filesystem::exists(path_ + "-shm"));
  EXPECT_TRUE(std::filesystem::exists(path_ + "-wal"));
}

TEST_F(FaultVfsTest, PowerLossNeedsClosedFiles) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  EXPECT_EQ(vfs_->SimulatePowerLoss({}).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(FaultVfsTest, FailsTheNthSync) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  vfs_->ArmFault({IoCall::kSync, kWalFile, 1, false});
  EXPECT_EQ(Exec("INSERT INTO t VALUES (1)"), SQLITE_IOERR_FSYNC);
  EXPECT_EQ(vfs_->counters().faults, 1);
  EXPECT_EQ(Exec("INSERT INTO t VALUES (2)"), SQLITE_OK);  // Only the first one failed.
  vfs_->Disarm();
  EXPECT_EQ(Count(), 2);
}

TEST_F(FaultVfsTest, FailsTheNthWrite) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  vfs_->ArmFault({IoCall::kWrite, kAnyFile, 1, false});
  EXPECT_EQ(Exec("INSERT INTO t VALUES (1)"), SQLITE_IOERR_WRITE);
  vfs_->Disarm();
  EXPECT_EQ(Count(), 1);
}

TEST_F(FaultVfsTest, PersistentFaultFailsEveryLaterCall) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  vfs_->ArmFault({IoCall::kSync, kAnyFile, 1, true});
  EXPECT_EQ(Exec("INSERT INTO t VALUES (1)"), SQLITE_IOERR_FSYNC);
  EXPECT_EQ(Exec("INSERT INTO t VALUES (2)"), SQLITE_IOERR_FSYNC);
  vfs_->Disarm();
  EXPECT_EQ(Exec("INSERT INTO t VALUES (3)"), SQLITE_OK);
  EXPECT_EQ(Count(), 2);
}

TEST_F(FaultVfsTest, CrashAfterStopsEveryLaterCall) {
  ASSERT_NO_FATAL_FAILURE(CreateDurableTable());
  vfs_->CrashAfter(1);
  EXPECT_NE(Exec("INSERT INTO t VALUES (1)"), SQLITE_OK);
  EXPECT_TRUE(vfs_->crashed());
  EXPECT_EQ(vfs_->crash_site(), "write wal");
  EXPECT_NE(Exec("INSERT INTO t VALUES (2)"), SQLITE_OK);
  ASSERT_NO_FATAL_FAILURE(PowerLoss());
  Open();
  EXPECT_EQ(Count(), 1);
}

}  // namespace
}  // namespace almanac::testing
