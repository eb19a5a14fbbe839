// Functions (see sqlite_txn.h).

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/codec.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

#define ALMANAC_FUNCTION_COLUMNS                                                             \
  "catalog, db_name, name, class_name, owner_name, owner_type, create_time, function_type, " \
  "resource_uris"

constexpr char kSqlSelectFunction[] = "SELECT " ALMANAC_FUNCTION_COLUMNS
                                      " FROM functions WHERE catalog = ? AND db_name = ? AND "
                                      "name = ?";
constexpr char kSqlListFunctions[] =
    "SELECT " ALMANAC_FUNCTION_COLUMNS " FROM functions WHERE catalog = ? ORDER BY db_name, name";
constexpr char kSqlListFunctionsInDatabase[] =
    "SELECT " ALMANAC_FUNCTION_COLUMNS
    " FROM functions WHERE catalog = ? AND db_name = ? ORDER BY db_name, name";
constexpr char kSqlInsertFunction[] =
    "INSERT INTO functions(" ALMANAC_FUNCTION_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdateFunction[] =
    "UPDATE functions SET catalog = ?, db_name = ?, name = ?, class_name = ?, owner_name = ?, "
    "owner_type = ?, create_time = ?, function_type = ?, resource_uris = ? "
    "WHERE catalog = ? AND db_name = ? AND name = ?";
constexpr char kSqlDeleteFunction[] =
    "DELETE FROM functions WHERE catalog = ? AND db_name = ? AND name = ?";
constexpr char kSqlCountFunctions[] =
    "SELECT COUNT(*) FROM functions WHERE catalog = ? AND db_name = ?";

#undef ALMANAC_FUNCTION_COLUMNS

std::string QualifiedName(const std::string& catalog, const std::string& database,
                          const std::string& name) {
  return absl::StrCat(catalog, ".", database, ".", name);
}

// Binds the nine columns of ALMANAC_FUNCTION_COLUMNS, in order.
void BindFunction(const Function& fn, Statement& stmt) {
  stmt.BindText(0, fn.catalog);
  stmt.BindText(1, fn.database);
  stmt.BindText(2, fn.name);
  stmt.BindText(3, fn.class_name);
  stmt.BindText(4, fn.owner_name);
  stmt.BindInt64(5, static_cast<int>(fn.owner_type));
  stmt.BindInt64(6, fn.create_time);
  stmt.BindInt64(7, fn.function_type);
  stmt.BindText(8, EncodeResourceUris(fn.resource_uris));
}

absl::StatusOr<Function> ReadFunction(const Statement& stmt) {
  Function fn;
  fn.catalog = stmt.ColumnText(0);
  fn.database = stmt.ColumnText(1);
  fn.name = stmt.ColumnText(2);
  fn.class_name = stmt.ColumnText(3);
  fn.owner_name = stmt.ColumnText(4);
  fn.owner_type = static_cast<PrincipalType>(stmt.ColumnInt(5));
  fn.create_time = stmt.ColumnInt(6);
  fn.function_type = stmt.ColumnInt(7);
  ASSIGN_OR_RETURN(fn.resource_uris, DecodeResourceUris(stmt.ColumnTextView(8)));
  return fn;
}

absl::Status FunctionNotFound(const std::string& catalog, const std::string& database,
                              const std::string& name) {
  return absl::NotFoundError(
      absl::StrCat("function ", QualifiedName(catalog, database, name), " does not exist"));
}

absl::Status FunctionExists(const Function& fn) {
  return absl::AlreadyExistsError(absl::StrCat(
      "function ", QualifiedName(fn.catalog, fn.database, fn.name), " already exists"));
}

}  // namespace

absl::StatusOr<Function> SqliteTxn::GetFunction(const std::string& catalog,
                                                const std::string& database,
                                                const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectFunction));
  stmt.BindText(0, catalog);
  stmt.BindText(1, database);
  stmt.BindText(2, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return FunctionNotFound(catalog, database, name);
  return ReadFunction(stmt);
}

absl::StatusOr<std::vector<Function>> SqliteTxn::ListFunctions(const std::string& catalog,
                                                               const std::string& database) {
  ASSIGN_OR_RETURN(Statement stmt,
                   conn_->GetCachedStatement(database.empty() ? kSqlListFunctions
                                                              : kSqlListFunctionsInDatabase));
  stmt.BindText(0, catalog);
  if (!database.empty()) stmt.BindText(1, database);
  std::vector<Function> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(Function fn, ReadFunction(stmt));
    out.push_back(std::move(fn));
  }
}

absl::Status SqliteTxn::CreateFunction(const Function& fn) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertFunction));
  BindFunction(fn, stmt);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) return FunctionExists(fn);
  return status;
}

absl::Status SqliteTxn::UpdateFunction(const std::string& catalog, const std::string& database,
                                       const std::string& name, const Function& fn) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateFunction));
  BindFunction(fn, stmt);
  stmt.BindText(9, catalog);
  stmt.BindText(10, database);
  stmt.BindText(11, name);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) return FunctionExists(fn);
  RETURN_IF_ERROR(status);
  if (conn_->Changes() == 0) return FunctionNotFound(catalog, database, name);
  return absl::OkStatus();
}

absl::Status SqliteTxn::DeleteFunction(const std::string& catalog, const std::string& database,
                                       const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteFunction));
  stmt.BindText(0, catalog);
  stmt.BindText(1, database);
  stmt.BindText(2, name);
  RETURN_IF_ERROR(stmt.Run());
  if (conn_->Changes() == 0) return FunctionNotFound(catalog, database, name);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteTxn::CountFunctions(const std::string& catalog,
                                                  const std::string& database) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlCountFunctions));
  stmt.BindText(0, catalog);
  stmt.BindText(1, database);
  ASSIGN_OR_RETURN(const bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

}  // namespace almanac::sqlite
