// Tables (see sqlite_txn.h).

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlSelectTable[] =
    "SELECT t.tbl_id, d.catalog, d.name, t.name, t.body FROM tbls AS t "
    "JOIN dbs AS d ON d.db_id = t.db_id WHERE d.catalog = ? AND d.name = ? AND t.name = ?";
constexpr char kSqlListTableNames[] = "SELECT name FROM tbls WHERE db_id = ? ORDER BY name";
constexpr char kSqlListTableNamesByType[] =
    "SELECT name FROM tbls WHERE db_id = ? AND table_type = ? ORDER BY name";
// Parameter filters bind the JSON path $."key" (see ParamPath).
constexpr char kSqlListTableNamesByParamEq[] =
    "SELECT name FROM tbls WHERE db_id = ? AND json_extract(params, ?) = ? ORDER BY name";
constexpr char kSqlListTableNamesByParamLike[] =
    "SELECT name FROM tbls WHERE db_id = ? AND json_extract(params, ?) LIKE ? ORDER BY name";
// SQLite's JSON paths cannot quote a key that contains '"'; such keys go through json_each.
constexpr char kSqlListTableNamesByParamEqSlow[] =
    "SELECT t.name FROM tbls AS t WHERE t.db_id = ? AND EXISTS (SELECT 1 FROM "
    "json_each(t.params) AS j WHERE j.key = ? AND j.value = ?) ORDER BY t.name";
constexpr char kSqlListTableNamesByParamLikeSlow[] =
    "SELECT t.name FROM tbls AS t WHERE t.db_id = ? AND EXISTS (SELECT 1 FROM "
    "json_each(t.params) AS j WHERE j.key = ? AND j.value LIKE ?) ORDER BY t.name";
constexpr char kSqlInsertTable[] =
    "INSERT INTO tbls(db_id, name, table_type, owner, create_time, params, body) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdateTable[] =
    "UPDATE tbls SET db_id = ?, name = ?, table_type = ?, owner = ?, create_time = ?, "
    "params = ?, body = ? WHERE tbl_id = ?";
constexpr char kSqlDeleteTable[] = "DELETE FROM tbls WHERE tbl_id = ?";
constexpr char kSqlDeleteTablePartitionValues[] = "DELETE FROM partition_values WHERE tbl_id = ?";

std::string QualifiedName(const Table& t) {
  return absl::StrCat(t.catalog, ".", t.database, ".", t.name);
}

// Binds the columns shared by INSERT and UPDATE (indices 0-6).
void BindTable(int64_t db_id, const Table& table, Statement& stmt) {
  stmt.BindInt64(0, db_id);
  stmt.BindText(1, table.name);
  stmt.BindText(2, table.table_type);
  stmt.BindText(3, table.owner);
  stmt.BindInt64(4, table.create_time);
  stmt.BindText(5, EncodeParams(table.parameters));
  stmt.BindText(6, EncodeTable(table));
}

absl::Status TableExists(const Table& table) {
  return absl::AlreadyExistsError(absl::StrCat("table ", QualifiedName(table), " already exists"));
}

}  // namespace

absl::StatusOr<Table> SqliteTxn::GetTable(const std::string& catalog, const std::string& database,
                                          const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectTable));
  stmt.BindText(0, catalog);
  stmt.BindText(1, database);
  stmt.BindText(2, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("table ", catalog, ".", database, ".", name, " does not exist"));
  }
  ASSIGN_OR_RETURN(Table table, DecodeTable(stmt.ColumnTextView(4)));
  // The row's keys are authoritative over the copies inside the body.
  table.id = stmt.ColumnInt64(0);
  table.catalog = stmt.ColumnText(1);
  table.database = stmt.ColumnText(2);
  table.name = stmt.ColumnText(3);
  return table;
}

absl::StatusOr<std::vector<std::string>> SqliteTxn::ListTableNames(
    const std::string& catalog, const std::string& database,
    const std::optional<std::string>& table_type) {
  ASSIGN_OR_RETURN(const int64_t db_id, FindDatabaseId(catalog, database));
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_->GetCachedStatement(table_type.has_value() ? kSqlListTableNamesByType
                                                                    : kSqlListTableNames));
  stmt.BindInt64(0, db_id);
  if (table_type.has_value()) stmt.BindText(1, *table_type);
  return stmt.FirstColumnTexts();
}

absl::StatusOr<std::vector<std::string>> SqliteTxn::ListTableNamesByParameter(
    const std::string& catalog, const std::string& database, const std::string& key,
    const std::string& value, bool like) {
  ASSIGN_OR_RETURN(const int64_t db_id, FindDatabaseId(catalog, database));
  const bool quotable = !absl::StrContains(key, '"');
  const char* sql =
      quotable ? (like ? kSqlListTableNamesByParamLike : kSqlListTableNamesByParamEq)
               : (like ? kSqlListTableNamesByParamLikeSlow : kSqlListTableNamesByParamEqSlow);
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(sql));
  stmt.BindInt64(0, db_id);
  stmt.BindText(1, quotable ? absl::StrCat("$.\"", key, "\"") : key);
  stmt.BindText(2, value);
  return stmt.FirstColumnTexts();
}

absl::StatusOr<int64_t> SqliteTxn::CreateTable(const Table& table) {
  ASSIGN_OR_RETURN(const int64_t db_id, FindDatabaseId(table.catalog, table.database));
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertTable));
  BindTable(db_id, table, stmt);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) return TableExists(table);
  RETURN_IF_ERROR(status);
  return conn_->LastInsertRowId();
}

absl::Status SqliteTxn::UpdateTable(int64_t table_id, const Table& table) {
  ASSIGN_OR_RETURN(const int64_t db_id, FindDatabaseId(table.catalog, table.database));
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateTable));
  BindTable(db_id, table, stmt);
  stmt.BindInt64(7, table_id);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) return TableExists(table);
  RETURN_IF_ERROR(status);
  if (conn_->Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("table with id ", table_id, " does not exist"));
  }
  return absl::OkStatus();
}

absl::Status SqliteTxn::DeleteTable(int64_t table_id) {
  {
    // Cascades to partitions, partition statistics and table statistics.
    ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteTable));
    stmt.BindInt64(0, table_id);
    RETURN_IF_ERROR(stmt.Run());
    if (conn_->Changes() == 0) {
      return absl::NotFoundError(absl::StrCat("table with id ", table_id, " does not exist"));
    }
  }
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteTablePartitionValues));
  stmt.BindInt64(0, table_id);
  return stmt.Run();
}

}  // namespace almanac::sqlite
