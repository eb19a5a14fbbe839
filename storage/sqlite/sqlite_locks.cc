// Locks: HMS lock requests and their components (see sqlite_txn.h and migrations.cc, version 2).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

#define ALMANAC_LOCK_COLUMNS                                                            \
  "lock_id, txn_id, state, user_name, host_name, agent_info, created_ms, acquired_ms, " \
  "last_heartbeat_ms, heartbeat_count"
#define ALMANAC_LOCK_COMPONENT_COLUMNS                                                      \
  "db_name, tbl_name, part_name, lock_level, lock_type, operation_type, is_transactional, " \
  "is_dynamic_partition_write"

constexpr char kSqlSelectLock[] = "SELECT " ALMANAC_LOCK_COLUMNS " FROM locks WHERE lock_id = ?";
constexpr char kSqlSelectComponents[] = "SELECT " ALMANAC_LOCK_COMPONENT_COLUMNS
                                        " FROM lock_components WHERE lock_id = ? ORDER BY position";
constexpr char kSqlInsertLock[] =
    "INSERT INTO locks(txn_id, state, user_name, host_name, agent_info, created_ms, acquired_ms, "
    "last_heartbeat_ms, heartbeat_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlInsertComponent[] =
    "INSERT INTO lock_components(lock_id, position, " ALMANAC_LOCK_COMPONENT_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
// Each criterion is bound twice: NULL (criterion unset) matches every row.
constexpr char kSqlListLockIds[] =
    "SELECT DISTINCT c.lock_id FROM lock_components c JOIN locks l ON l.lock_id = c.lock_id "
    "WHERE (? IS NULL OR c.db_name = ?) AND (? IS NULL OR c.tbl_name = ?) "
    "AND (? IS NULL OR c.part_name = ?) AND (? IS NULL OR l.txn_id = ?) ORDER BY c.lock_id";
constexpr char kSqlLockIdsInDatabase[] =
    "SELECT DISTINCT lock_id FROM lock_components WHERE db_name = ? ORDER BY lock_id";
constexpr char kSqlLockIdsOnTable[] =
    "SELECT DISTINCT lock_id FROM lock_components WHERE db_name = ? AND tbl_name IN ('', ?) "
    "ORDER BY lock_id";
constexpr char kSqlSetLockState[] = "UPDATE locks SET state = ?, acquired_ms = ? WHERE lock_id = ?";
constexpr char kSqlTouchLock[] =
    "UPDATE locks SET last_heartbeat_ms = ?, heartbeat_count = heartbeat_count + ? "
    "WHERE lock_id = ?";
constexpr char kSqlTouchTxnLocks[] = "UPDATE locks SET last_heartbeat_ms = ? WHERE txn_id = ?";
constexpr char kSqlDeleteLock[] = "DELETE FROM locks WHERE lock_id = ?";
constexpr char kSqlDeleteTxnLocks[] = "DELETE FROM locks WHERE txn_id = ?";
constexpr char kSqlSelectExpiredLocks[] =
    "SELECT " ALMANAC_LOCK_COLUMNS " FROM locks WHERE last_heartbeat_ms < ? ORDER BY lock_id";
constexpr char kSqlDeleteExpiredLocks[] = "DELETE FROM locks WHERE last_heartbeat_ms < ?";

#undef ALMANAC_LOCK_COLUMNS
#undef ALMANAC_LOCK_COMPONENT_COLUMNS

absl::Status LockNotFound(int64_t lock_id) {
  return absl::NotFoundError(absl::StrCat("lock ", lock_id, " does not exist"));
}

// Reads a row of ALMANAC_LOCK_COLUMNS (without components).
Lock ReadLock(const Statement& stmt) {
  Lock lock;
  lock.id = stmt.ColumnInt64(0);
  lock.txn_id = stmt.ColumnInt64(1);
  lock.state = static_cast<LockState>(stmt.ColumnInt(2));
  lock.user = stmt.ColumnText(3);
  lock.host = stmt.ColumnText(4);
  lock.agent_info = stmt.ColumnText(5);
  lock.created_ms = stmt.ColumnInt64(6);
  lock.acquired_ms = stmt.ColumnInt64(7);
  lock.last_heartbeat_ms = stmt.ColumnInt64(8);
  lock.heartbeat_count = stmt.ColumnInt64(9);
  return lock;
}

LockComponent ReadComponent(const Statement& stmt) {
  LockComponent c;
  c.database = stmt.ColumnText(0);
  c.table = stmt.ColumnText(1);
  c.partition = stmt.ColumnText(2);
  c.level = static_cast<LockLevel>(stmt.ColumnInt(3));
  c.type = static_cast<LockType>(stmt.ColumnInt(4));
  c.operation_type = stmt.ColumnInt(5);
  c.is_transactional = stmt.ColumnBool(6);
  c.is_dynamic_partition_write = stmt.ColumnBool(7);
  return c;
}

// Ids from a statement whose first column is a lock id.
absl::StatusOr<std::vector<int64_t>> ReadIds(Statement& stmt) {
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return ids;
    ids.push_back(stmt.ColumnInt64(0));
  }
}

void BindOptionalText(Statement& stmt, int index, const std::optional<std::string>& value) {
  for (int i : {index, index + 1}) {
    if (value) {
      stmt.BindText(i, *value);
    } else {
      stmt.BindNull(i);
    }
  }
}

// Whether `c` satisfies every criterion of `filter` but the transaction.
bool Matches(const LockComponent& c, const LockFilter& filter) {
  return (!filter.database || c.database == *filter.database) &&
         (!filter.table || c.table == *filter.table) &&
         (!filter.partition || c.partition == *filter.partition);
}

}  // namespace

absl::StatusOr<Lock> SqliteTxn::GetLock(int64_t lock_id) {
  Lock lock;
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectLock));
    stmt.BindInt64(0, lock_id);
    ASSIGN_OR_RETURN(const bool found, stmt.Step());
    if (!found) return LockNotFound(lock_id);
    lock = ReadLock(stmt);
  }
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectComponents));
  stmt.BindInt64(0, lock_id);
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return lock;
    lock.components.push_back(ReadComponent(stmt));
  }
}

absl::StatusOr<std::vector<Lock>> SqliteTxn::ListLocks(const LockFilter& filter) {
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListLockIds));
    BindOptionalText(stmt, 0, filter.database);
    BindOptionalText(stmt, 2, filter.table);
    BindOptionalText(stmt, 4, filter.partition);
    for (int i : {6, 7}) {
      if (filter.txn_id) {
        stmt.BindInt64(i, *filter.txn_id);
      } else {
        stmt.BindNull(i);
      }
    }
    ASSIGN_OR_RETURN(ids, ReadIds(stmt));
  }
  std::vector<Lock> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(Lock lock, GetLock(id));
    std::erase_if(lock.components, [&](const LockComponent& c) { return !Matches(c, filter); });
    out.push_back(std::move(lock));
  }
  return out;
}

absl::StatusOr<std::vector<Lock>> SqliteTxn::ListLocksOnResource(const std::string& database,
                                                                 const std::string& table) {
  std::vector<int64_t> ids;
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(table.empty() ? kSqlLockIdsInDatabase
                                                                             : kSqlLockIdsOnTable));
    stmt.BindText(0, database);
    if (!table.empty()) stmt.BindText(1, table);
    ASSIGN_OR_RETURN(ids, ReadIds(stmt));
  }
  std::vector<Lock> out;
  for (int64_t id : ids) {
    ASSIGN_OR_RETURN(Lock lock, GetLock(id));
    out.push_back(std::move(lock));
  }
  return out;
}

absl::StatusOr<int64_t> SqliteTxn::CreateLock(const Lock& lock) {
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertLock));
    stmt.BindInt64(0, lock.txn_id);
    stmt.BindInt64(1, static_cast<int>(lock.state));
    stmt.BindText(2, lock.user);
    stmt.BindText(3, lock.host);
    stmt.BindText(4, lock.agent_info);
    stmt.BindInt64(5, lock.created_ms);
    stmt.BindInt64(6, lock.acquired_ms);
    stmt.BindInt64(7, lock.last_heartbeat_ms);
    stmt.BindInt64(8, lock.heartbeat_count);
    RETURN_IF_ERROR(stmt.Run());
  }
  const int64_t id = conn_->LastInsertRowId();
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertComponent));
  for (size_t i = 0; i < lock.components.size(); ++i) {
    const LockComponent& c = lock.components[i];
    stmt.BindInt64(0, id);
    stmt.BindInt64(1, static_cast<int64_t>(i));
    stmt.BindText(2, c.database);
    stmt.BindText(3, c.table);
    stmt.BindText(4, c.partition);
    stmt.BindInt64(5, static_cast<int>(c.level));
    stmt.BindInt64(6, static_cast<int>(c.type));
    stmt.BindInt64(7, c.operation_type);
    stmt.BindBool(8, c.is_transactional);
    stmt.BindBool(9, c.is_dynamic_partition_write);
    RETURN_IF_ERROR(stmt.Run());
    stmt.Reset();
  }
  return id;
}

absl::Status SqliteTxn::SetLockState(int64_t lock_id, LockState state, int64_t acquired_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSetLockState));
  stmt.BindInt64(0, static_cast<int>(state));
  stmt.BindInt64(1, acquired_ms);
  stmt.BindInt64(2, lock_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? LockNotFound(lock_id) : absl::OkStatus();
}

absl::Status SqliteTxn::TouchLock(int64_t lock_id, int64_t now_ms, bool count) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlTouchLock));
  stmt.BindInt64(0, now_ms);
  stmt.BindInt64(1, count ? 1 : 0);
  stmt.BindInt64(2, lock_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? LockNotFound(lock_id) : absl::OkStatus();
}

absl::Status SqliteTxn::DeleteLock(int64_t lock_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteLock));
  stmt.BindInt64(0, lock_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? LockNotFound(lock_id) : absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTxn::TouchTxnLocks(int64_t txn_id, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlTouchTxnLocks));
  stmt.BindInt64(0, now_ms);
  stmt.BindInt64(1, txn_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes();
}

absl::StatusOr<int64_t> SqliteTxn::DeleteTxnLocks(int64_t txn_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteTxnLocks));
  stmt.BindInt64(0, txn_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes();
}

absl::StatusOr<std::vector<Lock>> SqliteTxn::DeleteExpiredLocks(int64_t cutoff_ms) {
  std::vector<Lock> expired;
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectExpiredLocks));
    stmt.BindInt64(0, cutoff_ms);
    while (true) {
      ASSIGN_OR_RETURN(const bool row, stmt.Step());
      if (!row) break;
      expired.push_back(ReadLock(stmt));
    }
  }
  if (expired.empty()) return expired;
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteExpiredLocks));
  stmt.BindInt64(0, cutoff_ms);
  RETURN_IF_ERROR(stmt.Run());
  return expired;
}

}  // namespace almanac::sqlite
