// The change feed (events) and table history (table_versions); see sqlite_txn.h.

#include <utility>

#include "absl/status/status.h"
#include "common/status_macros.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlInsertEvent[] =
    "INSERT INTO events(time, type, catalog, db_name, tbl_name, principal, detail) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
// LIMIT -1 means no limit.
constexpr char kSqlListEvents[] =
    "SELECT event_id, time, type, catalog, db_name, tbl_name, principal, detail FROM events "
    "WHERE event_id > ? ORDER BY event_id LIMIT ?";
constexpr char kSqlNextTableVersion[] =
    "SELECT COALESCE(MAX(version), 0) + 1 FROM table_versions WHERE tbl_id = ?";
constexpr char kSqlInsertTableVersion[] =
    "INSERT INTO table_versions(tbl_id, version, time, principal, operation, event_id, body) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlListTableVersions[] =
    "SELECT version, time, principal, operation, event_id, body FROM table_versions "
    "WHERE tbl_id = ? ORDER BY version";

}  // namespace

absl::StatusOr<int64_t> SqliteTxn::AppendEvent(const Event& event) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertEvent));
  stmt.BindInt64(0, event.time);
  stmt.BindText(1, event.type);
  stmt.BindText(2, event.catalog);
  stmt.BindText(3, event.database);
  stmt.BindText(4, event.table);
  stmt.BindText(5, event.principal);
  stmt.BindText(6, event.detail);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->LastInsertRowId();
}

absl::StatusOr<std::vector<Event>> SqliteTxn::ListEvents(int64_t after_id, int64_t max_events) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListEvents));
  stmt.BindInt64(0, after_id);
  stmt.BindInt64(1, max_events < 0 ? -1 : max_events);
  std::vector<Event> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    Event e;
    e.id = stmt.ColumnInt64(0);
    e.time = stmt.ColumnInt64(1);
    e.type = stmt.ColumnText(2);
    e.catalog = stmt.ColumnText(3);
    e.database = stmt.ColumnText(4);
    e.table = stmt.ColumnText(5);
    e.principal = stmt.ColumnText(6);
    e.detail = stmt.ColumnText(7);
    out.push_back(std::move(e));
  }
}

absl::StatusOr<int64_t> SqliteTxn::AppendTableVersion(int64_t table_id,
                                                      const TableVersion& version) {
  int64_t next = 1;
  {
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlNextTableVersion));
    stmt.BindInt64(0, table_id);
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (row) next = stmt.ColumnInt64(0);
  }
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertTableVersion));
  stmt.BindInt64(0, table_id);
  stmt.BindInt64(1, next);
  stmt.BindInt64(2, version.time);
  stmt.BindText(3, version.principal);
  stmt.BindText(4, version.operation);
  stmt.BindInt64(5, version.event_id);
  stmt.BindText(6, EncodeTable(version.definition));
  RETURN_IF_ERROR(stmt.Run());
  return next;
}

absl::StatusOr<std::vector<TableVersion>> SqliteTxn::ListTableVersions(int64_t table_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListTableVersions));
  stmt.BindInt64(0, table_id);
  std::vector<TableVersion> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    TableVersion v;
    v.version = stmt.ColumnInt64(0);
    v.time = stmt.ColumnInt64(1);
    v.principal = stmt.ColumnText(2);
    v.operation = stmt.ColumnText(3);
    v.event_id = stmt.ColumnInt64(4);
    ASSIGN_OR_RETURN(v.definition, DecodeTable(stmt.ColumnTextView(5)));
    out.push_back(std::move(v));
  }
}

}  // namespace almanac::sqlite
