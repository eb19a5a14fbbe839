// Catalogs (see sqlite_txn.h).

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlSelectCatalog[] =
    "SELECT name, description, location, create_time FROM catalogs WHERE name = ?";
constexpr char kSqlListCatalogNames[] = "SELECT name FROM catalogs ORDER BY name";
constexpr char kSqlInsertCatalog[] =
    "INSERT INTO catalogs(description, location, create_time, name) VALUES (?, ?, ?, ?)";
constexpr char kSqlUpdateCatalog[] =
    "UPDATE catalogs SET description = ?, location = ?, create_time = ? WHERE name = ?";
constexpr char kSqlDeleteCatalog[] = "DELETE FROM catalogs WHERE name = ?";

absl::Status CatalogNotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat("catalog ", name, " does not exist"));
}

// Binds the columns shared by INSERT and UPDATE, in the order both statements list them.
void BindCatalog(const Catalog& catalog, Statement& stmt) {
  if (catalog.description) {
    stmt.BindText(0, *catalog.description);
  } else {
    stmt.BindNull(0);
  }
  stmt.BindText(1, catalog.location);
  stmt.BindInt64(2, catalog.create_time);
  stmt.BindText(3, catalog.name);
}

}  // namespace

absl::StatusOr<Catalog> SqliteTxn::GetCatalog(const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectCatalog));
  stmt.BindText(0, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return CatalogNotFound(name);
  Catalog catalog;
  catalog.name = stmt.ColumnText(0);
  if (!stmt.ColumnIsNull(1)) catalog.description = stmt.ColumnText(1);
  catalog.location = stmt.ColumnText(2);
  catalog.create_time = stmt.ColumnInt(3);
  return catalog;
}

absl::StatusOr<std::vector<std::string>> SqliteTxn::ListCatalogNames() {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListCatalogNames));
  return stmt.FirstColumnTexts();
}

absl::Status SqliteTxn::CreateCatalog(const Catalog& catalog) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertCatalog));
  BindCatalog(catalog, stmt);
  absl::Status status = stmt.Run();
  if (absl::IsAlreadyExists(status)) {
    return absl::AlreadyExistsError(absl::StrCat("catalog ", catalog.name, " already exists"));
  }
  return status;
}

absl::Status SqliteTxn::UpdateCatalog(const Catalog& catalog) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateCatalog));
  BindCatalog(catalog, stmt);
  RETURN_IF_ERROR(stmt.Run());
  if (conn_->Changes() == 0) return CatalogNotFound(catalog.name);
  return absl::OkStatus();
}

absl::Status SqliteTxn::DeleteCatalog(const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteCatalog));
  stmt.BindText(0, name);
  RETURN_IF_ERROR(stmt.Run());
  if (conn_->Changes() == 0) return CatalogNotFound(name);
  return absl::OkStatus();
}

}  // namespace almanac::sqlite
