// Function rules: names, the owning database, what an alter changes, and Hive's error texts
// (Spark matches "<name> does not exist").

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/names.h"
#include "server/core/validation.h"

namespace almanac {
namespace {

absl::Status FunctionNotFound(const std::string& catalog, const std::string& db,
                              const std::string& name) {
  return absl::NotFoundError(
      absl::StrCat("Function ", catalog, ".", db, ".", name, " does not exist"));
}

absl::Status FunctionExists(const Function& fn) {
  return absl::AlreadyExistsError(
      absl::StrCat("Function ", fn.catalog, ".", fn.database, ".", fn.name, " already exists"));
}

// The database a function goes into must exist.
absl::Status CheckDatabaseExists(WriteTxn& txn, const Function& fn) {
  absl::StatusOr<Database> db = txn.GetDatabase(fn.catalog, fn.database);
  if (absl::IsNotFound(db.status())) {
    return absl::NotFoundError(
        absl::StrCat("The database ", fn.catalog, ".", fn.database, " does not exist"));
  }
  return db.status();
}

absl::Status NormalizeFunction(Function& fn, const MissingFunctionFields& missing) {
  fn.catalog = NormalizeName(fn.catalog.empty() ? kDefaultCatalog : fn.catalog);
  fn.database = NormalizeName(fn.database);
  fn.name = NormalizeName(fn.name);
  return ValidateFunctionFields(fn, missing);
}

}  // namespace

absl::Status CatalogService::CreateFunction(const RequestContext& ctx, Function fn,
                                            const MissingFunctionFields& missing) {
  RETURN_IF_ERROR(NormalizeFunction(fn, missing));
  fn.create_time = static_cast<int32_t>(Now());
  if (fn.owner_name.empty()) fn.owner_name = ctx.principal;
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(CheckDatabaseExists(txn, fn));
    absl::Status created = txn.CreateFunction(fn);
    if (absl::IsAlreadyExists(created)) return FunctionExists(fn);
    RETURN_IF_ERROR(created);
    return RecordEvent(txn, ctx, "CREATE_FUNCTION", fn.catalog, fn.database, "", fn.name).status();
  });
}

absl::StatusOr<Function> CatalogService::GetFunction(const std::string& catalog_in,
                                                     const std::string& db,
                                                     const std::string& name) {
  const std::string catalog = NormalizeName(catalog_in);
  Function result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<Function> fn = view.GetFunction(catalog, NormalizeName(db), NormalizeName(name));
    if (absl::IsNotFound(fn.status())) {
      return FunctionNotFound(catalog, NormalizeName(db), NormalizeName(name));
    }
    RETURN_IF_ERROR(fn.status());
    result = *std::move(fn);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListFunctions(
    const std::string& catalog_in, const std::string& db,
    const std::optional<std::string>& pattern) {
  const std::string catalog = NormalizeName(catalog_in);
  std::vector<std::string> names;
  // HMS matches an empty pattern against the names, and no function has an empty name.
  if (pattern && pattern->empty()) return names;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<Function> fns, view.ListFunctions(catalog, NormalizeName(db)));
    for (const Function& fn : fns) {
      if (!pattern || MatchesHivePattern(fn.name, *pattern)) names.push_back(fn.name);
    }
    return absl::OkStatus();
  }));
  return names;
}

absl::StatusOr<std::vector<Function>> CatalogService::ListAllFunctions(
    const std::string& catalog_in) {
  const std::string catalog = NormalizeName(catalog_in);
  std::vector<Function> fns;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(fns, view.ListFunctions(catalog, ""));
    return absl::OkStatus();
  }));
  return fns;
}

absl::Status CatalogService::AlterFunction(const RequestContext& ctx, const std::string& catalog_in,
                                           const std::string& db_in, const std::string& name_in,
                                           Function fn, const MissingFunctionFields& missing) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string db = NormalizeName(db_in);
  const std::string name = NormalizeName(name_in);
  RETURN_IF_ERROR(NormalizeFunction(fn, missing));
  if (fn.catalog != catalog) {
    return absl::InvalidArgumentError(absl::StrCat(
        "You cannot move a function between catalogs (from ", catalog, " to ", fn.catalog, ")"));
  }
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Function> old = txn.GetFunction(catalog, db, name);
    if (absl::IsNotFound(old.status())) return FunctionNotFound(catalog, db, name);
    RETURN_IF_ERROR(old.status());
    RETURN_IF_ERROR(CheckDatabaseExists(txn, fn));
    // HMS's alter keeps the resource URIs and the create time.
    fn.resource_uris = old->resource_uris;
    fn.create_time = old->create_time;
    absl::Status updated = txn.UpdateFunction(catalog, db, name, fn);
    if (absl::IsAlreadyExists(updated)) return FunctionExists(fn);
    RETURN_IF_ERROR(updated);
    return RecordEvent(txn, ctx, "ALTER_FUNCTION", catalog, db, "", name).status();
  });
}

absl::Status CatalogService::DropFunction(const RequestContext& ctx, const std::string& catalog_in,
                                          const std::string& db_in, const std::string& name_in) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string db = NormalizeName(db_in);
  const std::string name = NormalizeName(name_in);
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Function> old = txn.GetFunction(catalog, db, name);
    if (absl::IsNotFound(old.status())) return FunctionNotFound(catalog, db, name);
    RETURN_IF_ERROR(old.status());
    RETURN_IF_ERROR(txn.DeleteFunction(catalog, db, name));
    return RecordEvent(txn, ctx, "DROP_FUNCTION", catalog, db, "", name).status();
  });
}

}  // namespace almanac
