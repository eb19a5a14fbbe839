// Databases (see sqlite_txn.h).

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlSelectDatabase[] =
    "SELECT catalog, name, description, location, managed_location, owner_name, owner_type, "
    "create_time, params FROM dbs WHERE catalog = ? AND name = ?";
constexpr char kSqlSelectDatabaseId[] = "SELECT db_id FROM dbs WHERE catalog = ? AND name = ?";
constexpr char kSqlListDatabaseNames[] = "SELECT name FROM dbs WHERE catalog = ? ORDER BY name";
constexpr char kSqlInsertDatabase[] =
    "INSERT INTO dbs(description, location, managed_location, owner_name, owner_type, "
    "create_time, params, catalog, name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdateDatabase[] =
    "UPDATE dbs SET description = ?, location = ?, managed_location = ?, owner_name = ?, "
    "owner_type = ?, create_time = ?, params = ? WHERE catalog = ? AND name = ?";
constexpr char kSqlDeleteDatabase[] = "DELETE FROM dbs WHERE catalog = ? AND name = ?";
constexpr char kSqlCountTables[] = "SELECT COUNT(*) FROM tbls WHERE db_id = ?";

std::string QualifiedName(const std::string& catalog, const std::string& name) {
  return absl::StrCat(catalog, ".", name);
}

absl::Status DatabaseNotFound(const std::string& catalog, const std::string& name) {
  return absl::NotFoundError(
      absl::StrCat("database ", QualifiedName(catalog, name), " does not exist"));
}

// Binds the columns shared by INSERT and UPDATE, in the order both statements list them.
void BindDatabase(const Database& db, Statement& stmt) {
  stmt.BindText(0, db.description);
  stmt.BindText(1, db.location);
  stmt.BindText(2, db.managed_location);
  stmt.BindText(3, db.owner_name);
  stmt.BindInt64(4, static_cast<int>(db.owner_type));
  stmt.BindInt64(5, db.create_time);
  stmt.BindText(6, EncodeParams(db.parameters));
  stmt.BindText(7, db.catalog);
  stmt.BindText(8, db.name);
}

}  // namespace

absl::StatusOr<int64_t> SqliteTxn::FindDatabaseId(const std::string& catalog,
                                                  const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectDatabaseId));
  stmt.BindText(0, catalog);
  stmt.BindText(1, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return DatabaseNotFound(catalog, name);
  return stmt.ColumnInt64(0);
}

absl::StatusOr<Database> SqliteTxn::GetDatabase(const std::string& catalog,
                                                const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectDatabase));
  stmt.BindText(0, catalog);
  stmt.BindText(1, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return DatabaseNotFound(catalog, name);
  Database db;
  db.catalog = stmt.ColumnText(0);
  db.name = stmt.ColumnText(1);
  db.description = stmt.ColumnText(2);
  db.location = stmt.ColumnText(3);
  db.managed_location = stmt.ColumnText(4);
  db.owner_name = stmt.ColumnText(5);
  db.owner_type = static_cast<PrincipalType>(stmt.ColumnInt(6));
  db.create_time = stmt.ColumnInt(7);
  ASSIGN_OR_RETURN(db.parameters, DecodeParams(stmt.ColumnTextView(8)));
  return db;
}

absl::StatusOr<std::vector<std::string>> SqliteTxn::ListDatabaseNames(const std::string& catalog) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListDatabaseNames));
  stmt.BindText(0, catalog);
  return stmt.FirstColumnTexts();
}

absl::Status SqliteTxn::CreateDatabase(const Database& db) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertDatabase));
  BindDatabase(db, stmt);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(
        absl::StrCat("database ", QualifiedName(db.catalog, db.name), " already exists"));
  }
  return status;
}

absl::Status SqliteTxn::UpdateDatabase(const Database& db) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateDatabase));
  BindDatabase(db, stmt);
  RETURN_IF_ERROR(stmt.Run());
  if (conn_->Changes() == 0) return DatabaseNotFound(db.catalog, db.name);
  return absl::OkStatus();
}

absl::Status SqliteTxn::DeleteDatabase(const std::string& catalog, const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteDatabase));
  stmt.BindText(0, catalog);
  stmt.BindText(1, name);
  absl::Status status = stmt.Run();
  if (absl::IsFailedPrecondition(status)) {
    return absl::FailedPreconditionError(
        absl::StrCat("database ", QualifiedName(catalog, name), " still has tables"));
  }
  RETURN_IF_ERROR(status);
  if (conn_->Changes() == 0) return DatabaseNotFound(catalog, name);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTxn::CountTables(const std::string& catalog,
                                               const std::string& database) {
  ASSIGN_OR_RETURN(const int64_t db_id, FindDatabaseId(catalog, database));
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlCountTables));
  stmt.BindInt64(0, db_id);
  ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

}  // namespace almanac::sqlite
