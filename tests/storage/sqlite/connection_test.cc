// Tests of the RAII wrappers: Connection, Statement, Transaction and SqliteStatus.

#include <sqlite3.h>

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/sqlite_status.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/sqlite/statement.h"
#include "storage/sqlite/transaction.h"
#include "tests/storage/temp_dir.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlCreate[] =
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT UNIQUE, score REAL, data BLOB)";
constexpr char kSqlInsert[] = "INSERT INTO t(id, name, score, data) VALUES (?, ?, ?, ?)";
constexpr char kSqlSelect[] = "SELECT id, name, score, data FROM t WHERE id = ?";
constexpr char kSqlCount[] = "SELECT COUNT(*) FROM t";

class ConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<Connection>> conn =
        Connection::Open(dir_.File("test.db"), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(conn.ok()) << conn.status();
    conn_ = *std::move(conn);
    ASSERT_TRUE(conn_->Execute(kSqlCreate).ok());
  }

  absl::Status Insert(int64_t id, const std::string& name) {
    absl::StatusOr<Statement> stmt = conn_->GetCachedStatement(kSqlInsert);
    if (!stmt.ok()) return stmt.status();
    stmt->BindInt64(0, id);
    stmt->BindText(1, name);
    stmt->BindDouble(2, 1.5);
    stmt->BindNull(3);
    return stmt->Run();
  }

  int64_t Count() { return *conn_->QueryInt64(kSqlCount); }

  testing::TempDir dir_;
  std::unique_ptr<Connection> conn_;
};

TEST_F(ConnectionTest, BindsAndReadsEveryType) {
  {
    absl::StatusOr<Statement> insert = conn_->GetCachedStatement(kSqlInsert);
    ASSERT_TRUE(insert.ok()) << insert.status();
    insert->BindInt64(0, int64_t{1} << 40);
    insert->BindText(1, std::string("a\0b", 3));
    insert->BindDouble(2, -0.25);
    insert->BindBlob(3, std::string("\x00\xff", 2));
    ASSERT_TRUE(insert->Run().ok());
    EXPECT_EQ(conn_->LastInsertRowId(), int64_t{1} << 40);
    EXPECT_EQ(conn_->Changes(), 1);
  }
  absl::StatusOr<Statement> select = conn_->GetCachedStatement(kSqlSelect);
  ASSERT_TRUE(select.ok());
  select->BindInt64(0, int64_t{1} << 40);
  absl::StatusOr<bool> row = select->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->ColumnInt64(0), int64_t{1} << 40);
  EXPECT_EQ(select->ColumnText(1), std::string("a\0b", 3));
  EXPECT_EQ(select->ColumnDouble(2), -0.25);
  EXPECT_EQ(select->ColumnBlob(3), std::string("\x00\xff", 2));
  EXPECT_FALSE(select->ColumnIsNull(3));
  row = select->Step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST_F(ConnectionTest, EmptyTextBindsAsEmptyNotNull) {
  ASSERT_TRUE(Insert(1, "").ok());
  EXPECT_EQ(*conn_->QueryInt64("SELECT COUNT(*) FROM t WHERE name = ''"), 1);
}

TEST_F(ConnectionTest, CachedStatementIsResetOnScopeExit) {
  ASSERT_TRUE(Insert(1, "a").ok());
  ASSERT_TRUE(Insert(2, "b").ok());  // Reuses the cached, reset statement.
  EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionTest, ReentrantUseOfACachedStatementGetsItsOwn) {
  ASSERT_TRUE(Insert(1, "a").ok());
  absl::StatusOr<Statement> outer = conn_->GetCachedStatement(kSqlSelect);
  ASSERT_TRUE(outer.ok());
  outer->BindInt64(0, 1);
  ASSERT_TRUE(*outer->Step());
  absl::StatusOr<Statement> inner = conn_->GetCachedStatement(kSqlSelect);
  ASSERT_TRUE(inner.ok());
  inner->BindInt64(0, 1);
  ASSERT_TRUE(*inner->Step());
  EXPECT_EQ(outer->ColumnText(1), "a");
  EXPECT_EQ(inner->ColumnText(1), "a");
}

TEST_F(ConnectionTest, UniqueViolationIsAlreadyExists) {
  ASSERT_TRUE(Insert(1, "a").ok());
  absl::Status dup_key = Insert(1, "b");
  EXPECT_EQ(dup_key.code(), absl::StatusCode::kAlreadyExists) << dup_key;
  absl::Status dup_name = Insert(2, "a");
  EXPECT_EQ(dup_name.code(), absl::StatusCode::kAlreadyExists) << dup_name;
  EXPECT_NE(dup_name.message().find("UNIQUE constraint failed: t.name"), std::string::npos)
      << dup_name;
}

TEST_F(ConnectionTest, StatementPastTheSqliteMemoryLimitFailsAlone) {
  ASSERT_TRUE(Insert(1, "a").ok());
  // About 25 MB of text built in memory, against a cap of 8 MiB.
  absl::StatusOr<Statement> big = conn_->Prepare(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) "
      "SELECT length(group_concat(hex(randomblob(64)))) FROM c");
  ASSERT_TRUE(big.ok()) << big.status();
  LimitSqliteMemory(int64_t{8} << 20);
  const absl::Status status = big->Step().status();
  LimitSqliteMemory(0);
  EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted) << status;
  EXPECT_NE(status.message().find("sqlite_memory_bytes"), std::string::npos) << status;
  ASSERT_TRUE(Insert(2, "b").ok());
  EXPECT_EQ(Count(), 2);
}

TEST_F(ConnectionTest, BadSqlIsInternalWithMessage) {
  absl::StatusOr<Statement> stmt = conn_->Prepare("SELECT nope FROM t");
  EXPECT_EQ(stmt.status().code(), absl::StatusCode::kInternal);
  EXPECT_NE(stmt.status().message().find("no such column: nope"), std::string::npos);
}

TEST_F(ConnectionTest, BindErrorIsReportedByStep) {
  absl::StatusOr<Statement> stmt = conn_->GetCachedStatement(kSqlSelect);
  ASSERT_TRUE(stmt.ok());
  stmt->BindInt64(5, 1);  // Out of range.
  EXPECT_FALSE(stmt->Step().ok());
}

TEST_F(ConnectionTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction txn(conn_.get());
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(Insert(1, "a").ok());
    EXPECT_TRUE(conn_->InTransaction());
  }
  EXPECT_FALSE(conn_->InTransaction());
  EXPECT_EQ(Count(), 0);
  {
    Transaction txn(conn_.get());
    ASSERT_TRUE(txn.Begin().ok());
    ASSERT_TRUE(Insert(1, "a").ok());
    ASSERT_TRUE(txn.Commit().ok());
  }
  EXPECT_EQ(Count(), 1);
}

TEST_F(ConnectionTest, ExplicitRollbackIsIdempotent) {
  Transaction txn(conn_.get());
  ASSERT_TRUE(txn.Begin().ok());
  ASSERT_TRUE(Insert(1, "a").ok());
  EXPECT_TRUE(txn.Rollback().ok());
  EXPECT_TRUE(txn.Rollback().ok());
  EXPECT_FALSE(txn.Commit().ok());
  EXPECT_EQ(Count(), 0);
}

TEST_F(ConnectionTest, SecondWriterIsBusyNotBlockedForever) {
  absl::StatusOr<std::unique_ptr<Connection>> other =
      Connection::Open(dir_.File("test.db"), SQLITE_OPEN_READWRITE);
  ASSERT_TRUE(other.ok());
  Transaction mine(conn_.get());
  ASSERT_TRUE(mine.Begin().ok());
  Transaction theirs(other->get());
  EXPECT_EQ(theirs.Begin().code(), absl::StatusCode::kUnavailable);  // busy_timeout is 0 here.
}

TEST_F(ConnectionTest, OpeningAMissingFileReadOnlyFails) {
  absl::StatusOr<std::unique_ptr<Connection>> conn =
      Connection::Open(dir_.File("missing/x.db"), SQLITE_OPEN_READONLY);
  EXPECT_FALSE(conn.ok());
}

TEST(SqliteStatusTest, MapsResultCodes) {
  EXPECT_TRUE(SqliteStatus(SQLITE_OK, nullptr, "x").ok());
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_UNIQUE, nullptr, "x").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_PRIMARYKEY, nullptr, "x").code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_FOREIGNKEY, nullptr, "x").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(SqliteStatus(SQLITE_CONSTRAINT_NOTNULL, nullptr, "x").code(),
            absl::StatusCode::kInternal);
  EXPECT_EQ(SqliteStatus(SQLITE_BUSY, nullptr, "x").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatus(SQLITE_BUSY_SNAPSHOT, nullptr, "x").code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(SqliteStatus(SQLITE_CORRUPT, nullptr, "x").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(SqliteStatus(SQLITE_NOTADB, nullptr, "x").code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(SqliteStatus(SQLITE_IOERR_FSYNC, nullptr, "x").code(), absl::StatusCode::kInternal);
  absl::Status s = SqliteStatus(SQLITE_FULL, nullptr, "writing t");
  EXPECT_NE(s.message().find("writing t: "), std::string::npos) << s;
}

}  // namespace
}  // namespace almanac::sqlite
