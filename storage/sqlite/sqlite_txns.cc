// Transactions of HMS's open_txns (see sqlite_txn.h and migrations.cc, version 2).

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

#define ALMANAC_TXN_COLUMNS                                                                    \
  "txn_id, state, user_name, host_name, agent_info, txn_type, started_ms, last_heartbeat_ms, " \
  "finished_ms"

constexpr char kSqlSelectTxn[] = "SELECT " ALMANAC_TXN_COLUMNS " FROM txns WHERE txn_id = ?";
constexpr char kSqlListTxnsInState[] =
    "SELECT " ALMANAC_TXN_COLUMNS " FROM txns WHERE state = ? ORDER BY txn_id";
// AUTOINCREMENT records the largest id ever assigned in sqlite_sequence, even after its row is
// deleted.
constexpr char kSqlTxnHighWaterMark[] =
    "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'txns'";
constexpr char kSqlInsertTxn[] =
    "INSERT INTO txns(state, user_name, host_name, agent_info, txn_type, started_ms, "
    "last_heartbeat_ms, finished_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlSetTxnState[] = "UPDATE txns SET state = ?, finished_ms = ? WHERE txn_id = ?";
constexpr char kSqlTouchTxn[] = "UPDATE txns SET last_heartbeat_ms = ? WHERE txn_id = ?";
constexpr char kSqlListExpiredTxns[] =
    "SELECT txn_id FROM txns WHERE state = ? AND last_heartbeat_ms < ? ORDER BY txn_id";
constexpr char kSqlDeleteFinishedTxns[] =
    "DELETE FROM txns WHERE finished_ms > 0 AND finished_ms < ? AND state != ?";

#undef ALMANAC_TXN_COLUMNS

absl::Status TxnNotFound(int64_t txn_id) {
  return absl::NotFoundError(absl::StrCat("transaction ", txn_id, " does not exist"));
}

TxnInfo ReadTxn(const Statement& stmt) {
  TxnInfo txn;
  txn.id = stmt.ColumnInt64(0);
  txn.state = static_cast<TxnState>(stmt.ColumnInt(1));
  txn.user = stmt.ColumnText(2);
  txn.host = stmt.ColumnText(3);
  txn.agent_info = stmt.ColumnText(4);
  txn.type = stmt.ColumnInt(5);
  txn.started_ms = stmt.ColumnInt64(6);
  txn.last_heartbeat_ms = stmt.ColumnInt64(7);
  txn.finished_ms = stmt.ColumnInt64(8);
  return txn;
}

}  // namespace

absl::StatusOr<TxnInfo> SqliteTxn::GetTxn(int64_t txn_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectTxn));
  stmt.BindInt64(0, txn_id);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return TxnNotFound(txn_id);
  return ReadTxn(stmt);
}

absl::StatusOr<std::vector<TxnInfo>> SqliteTxn::ListTxns(TxnState state) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListTxnsInState));
  stmt.BindInt64(0, static_cast<int>(state));
  std::vector<TxnInfo> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadTxn(stmt));
  }
}

absl::StatusOr<int64_t> SqliteTxn::GetTxnHighWaterMark() {
  return conn_->QueryInt64(kSqlTxnHighWaterMark);
}

absl::StatusOr<int64_t> SqliteTxn::CreateTxn(const TxnInfo& txn) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertTxn));
  stmt.BindInt64(0, static_cast<int>(txn.state));
  stmt.BindText(1, txn.user);
  stmt.BindText(2, txn.host);
  stmt.BindText(3, txn.agent_info);
  stmt.BindInt64(4, txn.type);
  stmt.BindInt64(5, txn.started_ms);
  stmt.BindInt64(6, txn.last_heartbeat_ms);
  stmt.BindInt64(7, txn.finished_ms);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->LastInsertRowId();
}

absl::Status SqliteTxn::SetTxnState(int64_t txn_id, TxnState state, int64_t finished_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSetTxnState));
  stmt.BindInt64(0, static_cast<int>(state));
  stmt.BindInt64(1, finished_ms);
  stmt.BindInt64(2, txn_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? TxnNotFound(txn_id) : absl::OkStatus();
}

absl::Status SqliteTxn::TouchTxn(int64_t txn_id, int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlTouchTxn));
  stmt.BindInt64(0, now_ms);
  stmt.BindInt64(1, txn_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? TxnNotFound(txn_id) : absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> SqliteTxn::ListExpiredTxns(int64_t cutoff_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListExpiredTxns));
  stmt.BindInt64(0, static_cast<int>(TxnState::kOpen));
  stmt.BindInt64(1, cutoff_ms);
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return ids;
    ids.push_back(stmt.ColumnInt64(0));
  }
}

absl::StatusOr<int64_t> SqliteTxn::DeleteFinishedTxns(int64_t before_ms) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteFinishedTxns));
  stmt.BindInt64(0, before_ms);
  stmt.BindInt64(1, static_cast<int>(TxnState::kOpen));
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes();
}

}  // namespace almanac::sqlite
