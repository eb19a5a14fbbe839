// Database rules: creation defaults, listing patterns, and drop with or without cascade.

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/validation.h"

namespace almanac {
namespace {

absl::Status DatabaseNotFound(const std::string& catalog, const std::string& name) {
  return absl::NotFoundError(absl::StrCat("Database ", catalog, ".", name, " does not exist"));
}

// Where a database without a location goes: under the warehouse in catalog "hive", under its
// catalog's location elsewhere (every database there, "default" included, gets "<name>.db").
std::string DefaultLocationIn(const Catalog& catalog, const std::string& warehouse_root,
                              const std::string& db) {
  if (catalog.name == kDefaultCatalog) return DefaultDatabaseLocation(warehouse_root, db);
  return JoinLocation(NormalizeLocation(catalog.location), absl::StrCat(db, ".db"));
}

}  // namespace

absl::StatusOr<Database> CatalogService::CreateDatabase(const RequestContext& ctx, Database db) {
  db.name = NormalizeName(db.name);
  db.catalog = NormalizeName(db.catalog.empty() ? kDefaultCatalog : db.catalog);
  RETURN_IF_ERROR(ValidateDatabaseFields(db));
  if (!db.location.empty()) db.location = NormalizeLocation(db.location);
  if (db.owner_name.empty()) db.owner_name = ctx.principal;
  db.create_time = static_cast<int32_t>(Now());
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Catalog> catalog = txn.GetCatalog(db.catalog);
    if (absl::IsNotFound(catalog.status())) {
      return absl::InvalidArgumentError(absl::StrCat("No such catalog ", db.catalog));
    }
    RETURN_IF_ERROR(catalog.status());
    if (db.location.empty()) {
      db.location = DefaultLocationIn(*catalog, options_.warehouse_root, db.name);
    }
    absl::Status created = txn.CreateDatabase(db);
    if (absl::IsAlreadyExists(created)) {
      return absl::AlreadyExistsError(absl::StrCat("Database ", db.name, " already exists"));
    }
    RETURN_IF_ERROR(created);
    return RecordEvent(txn, ctx, "CREATE_DATABASE", db.catalog, db.name, "", "").status();
  }));
  // Hive creates the database directory too; engines (Spark's MSCK, LOAD DATA, file sinks)
  // expect it to exist.
  if (options_.create_directories) {
    absl::Status made = guard_.Ensure(db.location);
    if (!made.ok()) LogWarning("could not create database directory", {{"error", made.ToString()}});
  }
  return db;
}

absl::StatusOr<Database> CatalogService::GetDatabase(const std::string& catalog_in,
                                                     const std::string& name) {
  const std::string catalog = NormalizeName(catalog_in);
  Database result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<Database> db = view.GetDatabase(catalog, NormalizeName(name));
    if (absl::IsNotFound(db.status())) return DatabaseNotFound(catalog, name);
    RETURN_IF_ERROR(db.status());
    result = *std::move(db);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListDatabases(const std::string& catalog,
                                                                       const std::string& pattern) {
  std::vector<std::string> names;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(names, view.ListDatabaseNames(NormalizeName(catalog)));
    return absl::OkStatus();
  }));
  std::erase_if(names, [&](const std::string& n) { return !MatchesHivePattern(n, pattern); });
  return names;
}

absl::Status CatalogService::AlterDatabase(const RequestContext& ctx, const std::string& catalog_in,
                                           const std::string& name, Database db,
                                           bool owner_type_given) {
  const std::string catalog = NormalizeName(catalog_in);
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Database> old = txn.GetDatabase(catalog, NormalizeName(name));
    if (absl::IsNotFound(old.status())) return DatabaseNotFound(catalog, name);
    RETURN_IF_ERROR(old.status());
    db.catalog = old->catalog;
    db.name = old->name;
    db.create_time = old->create_time;
    if (!owner_type_given) db.owner_type = old->owner_type;
    if (IsBlank(db.description)) db.description = old->description;
    db.location = IsBlank(db.location) ? old->location : NormalizeLocation(db.location);
    if (IsBlank(db.managed_location)) db.managed_location = old->managed_location;
    RETURN_IF_ERROR(ValidateDatabaseFields(db));
    RETURN_IF_ERROR(txn.UpdateDatabase(db));
    return RecordEvent(txn, ctx, "ALTER_DATABASE", db.catalog, db.name, "", "").status();
  });
}

absl::Status CatalogService::DropDatabase(const RequestContext& ctx, const std::string& catalog_in,
                                          const std::string& name_in, bool delete_data,
                                          bool cascade) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string name = NormalizeName(name_in);
  if (name == "default" && catalog == kDefaultCatalog) {
    return absl::PermissionDeniedError("Can not drop default database in catalog hive");
  }
  std::vector<std::string> locations_to_delete;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Database> db = txn.GetDatabase(catalog, name);
    if (absl::IsNotFound(db.status())) return DatabaseNotFound(catalog, name);
    RETURN_IF_ERROR(db.status());
    ASSIGN_OR_RETURN(std::vector<std::string> tables,
                     txn.ListTableNames(catalog, name, std::nullopt));
    ASSIGN_OR_RETURN(int64_t functions, txn.CountFunctions(catalog, name));
    if (!cascade && !tables.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("Database ", name, " is not empty. One or more tables exist."));
    }
    if (!cascade && functions > 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("Database ", name, " is not empty. One or more functions exist."));
    }
    for (const std::string& table_name : tables) {
      ASSIGN_OR_RETURN(Table table, txn.GetTable(catalog, name, table_name));
      RETURN_IF_ERROR(DropTableContents(txn, ctx, table, delete_data, &locations_to_delete));
    }
    ASSIGN_OR_RETURN(std::vector<Function> fns, txn.ListFunctions(catalog, name));
    for (const Function& fn : fns) {
      RETURN_IF_ERROR(txn.DeleteFunction(catalog, name, fn.name));
    }
    RETURN_IF_ERROR(txn.DeleteDatabase(catalog, name));
    if (delete_data) locations_to_delete.push_back(db->location);
    return RecordEvent(txn, ctx, "DROP_DATABASE", catalog, name, "", "").status();
  }));
  // Data goes only after the metadata change is durable, as in Hive.
  for (const std::string& location : locations_to_delete) {
    RETURN_IF_ERROR(guard_.Delete(location));
  }
  return absl::OkStatus();
}

}  // namespace almanac
