// Store-level behaviour: transactions, snapshots, concurrency and checkpoints.

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::ElementsAre;

class StoreTest : public SqliteStoreTest {
 protected:
  std::vector<std::string> DatabaseNames() {
    std::vector<std::string> names;
    absl::Status status = Read([&](ReadView& view) -> absl::Status {
      absl::StatusOr<std::vector<std::string>> n = view.ListDatabaseNames("hive");
      if (!n.ok()) return n.status();
      names = *n;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return names;
  }
};

TEST_F(StoreTest, FailedWriteLeavesNothingBehind) {
  absl::Status status = Write([](WriteTxn& txn) -> absl::Status {
    absl::Status s = txn.CreateDatabase(MakeDatabase("a"));
    if (!s.ok()) return s;
    s = txn.CreateTable(MakeTable("a", "t")).status();
    if (!s.ok()) return s;
    s = txn.AppendEvent(Event{0, 1, "CREATE_TABLE", "hive", "a", "t", "bob", ""}).status();
    if (!s.ok()) return s;
    return absl::AbortedError("changed my mind");
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAborted);
  EXPECT_EQ(status.message(), "changed my mind");
  EXPECT_THAT(DatabaseNames(), ElementsAre("default"));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tbls"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM events"), 0);
}

TEST_F(StoreTest, StorageErrorInsideWriteRollsBackEarlierChanges) {
  absl::Status status = Write([](WriteTxn& txn) -> absl::Status {
    absl::Status s = txn.CreateDatabase(MakeDatabase("a"));
    if (!s.ok()) return s;
    return txn.CreateDatabase(MakeDatabase("a"));  // Duplicate.
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(DatabaseNames(), ElementsAre("default"));
}

TEST_F(StoreTest, ReadSeesOneSnapshotOfCommittedData) {
  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase("a")); }).ok());
  absl::Status status = Read([&](ReadView& view) -> absl::Status {
    EXPECT_EQ(view.ListDatabaseNames("hive")->size(), 2u);
    // A write commits while this read is open; the read keeps its snapshot.
    absl::Status w = Write([](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase("b")); });
    EXPECT_TRUE(w.ok()) << w;
    EXPECT_EQ(view.ListDatabaseNames("hive")->size(), 2u);
    EXPECT_FALSE(view.GetDatabase("hive", "b").ok());
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(DatabaseNames(), ElementsAre("a", "b", "default"));
}

TEST_F(StoreTest, ReadDoesNotSeeAnUncommittedWrite) {
  absl::Status status = Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status s = txn.CreateDatabase(MakeDatabase("pending"));
    if (!s.ok()) return s;
    EXPECT_TRUE(txn.GetDatabase("hive", "pending").ok());  // The writer sees its own change.
    EXPECT_THAT(DatabaseNames(), ElementsAre("default"));  // A reader does not.
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_THAT(DatabaseNames(), ElementsAre("default", "pending"));
}

TEST_F(StoreTest, ReadErrorIsReturned) {
  absl::Status status = Read([](ReadView& view) { return view.GetDatabase("hive", "x").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "database hive.x does not exist");
}

TEST_F(StoreTest, ReadViewCannotWrite) {
  absl::Status status = Read([](ReadView& view) {
    return static_cast<WriteTxn&>(view).CreateDatabase(MakeDatabase("sneaky"));
  });
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(DatabaseNames(), ElementsAre("default"));
}

TEST_F(StoreTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 4;
  constexpr int kWritesPerThread = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        const std::string name = absl::StrCat("db_", t, "_", i);
        if (!Write([&](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase(name)); }).ok()) {
          ++failures;
        }
        if (!Read([&](ReadView& view) { return view.GetDatabase("hive", name).status(); }).ok()) {
          ++failures;
        }
      }
    });
  }
  // More concurrent readers than pooled connections: they wait for a free one.
  for (int t = 0; t < 2 * options_.reader_pool_size; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (!Read([](ReadView& view) { return view.ListDatabaseNames("hive").status(); }).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(DatabaseNames().size(), 1u + kThreads * kWritesPerThread);
}

TEST_F(StoreTest, CheckpointTruncatesTheWal) {
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(Write([&](WriteTxn& txn) {
                  return txn.CreateDatabase(MakeDatabase(absl::StrCat("d", i)));
                }).ok());
  }
  ASSERT_TRUE(store_->Checkpoint().ok());
  EXPECT_EQ(std::filesystem::file_size(options_.path + "-wal"), 0u);
  EXPECT_EQ(DatabaseNames().size(), 21u);
}

TEST_F(StoreTest, PassiveCheckpointsKeepTheWalBounded) {
  store_.reset();
  options_.checkpoint_wal_frames = 10;
  OpenStore();
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(Write([&](WriteTxn& txn) {
                  return txn.CreateDatabase(MakeDatabase(absl::StrCat("d", i)));
                }).ok());
  }
  // Without checkpoints 200 commits would need well over 200 frames (4 KiB pages).
  EXPECT_LT(std::filesystem::file_size(options_.path + "-wal"), 100u * 4096u);
}

TEST_F(StoreTest, DataSurvivesReopen) {
  const Table t = CreateTable(MakeTable("sales", "orders"));
  Reopen();
  absl::Status status = Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<Table> got = view.GetTable("hive", "sales", "orders");
    if (!got.ok()) return got.status();
    EXPECT_EQ(*got, t);
    return absl::OkStatus();
  });
  EXPECT_TRUE(status.ok()) << status;
}

}  // namespace
}  // namespace almanac::testing
