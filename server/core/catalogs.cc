// Catalog rules: names, the default database each catalog holds, and what blocks a drop.

#include <filesystem>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/location_guard.h"
#include "server/core/locations.h"
#include "server/core/names.h"

namespace almanac {
namespace {

// Column lengths of HMS's CTLGS table (Hive 4.0).
constexpr size_t kMaxCatalogNameChars = 256;   // CTLGS.NAME
constexpr size_t kMaxCatalogTextChars = 4000;  // CTLGS.DESC, CTLGS.LOCATION_URI
constexpr char kDefaultDatabase[] = "default";

absl::Status CatalogNotFound(const std::string& name) {
  return absl::NotFoundError(absl::StrCat("No catalog ", name));
}

// A value longer than HMS's column holds: HMS's database refuses it, a MetaException.
absl::Status CheckCatalogLength(const std::string& text, size_t max, const std::string& what) {
  if (text.size() <= max || CharacterCount(text) <= max) return absl::OkStatus();
  return StoreLimit(absl::StrCat(what, " is longer than ", max, " characters"));
}

absl::Status ValidateCatalogFields(const Catalog& catalog, const std::string& given_name) {
  if (!IsValidObjectName(catalog.name)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Printable(given_name), " is not a valid catalog name"));
  }
  RETURN_IF_ERROR(CheckCatalogLength(catalog.name, kMaxCatalogNameChars,
                                     absl::StrCat("Catalog name ", catalog.name)));
  RETURN_IF_ERROR(CheckCatalogLength(catalog.location, kMaxCatalogTextChars,
                                     absl::StrCat("The location of catalog ", catalog.name)));
  return CheckCatalogLength(catalog.description.value_or(""), kMaxCatalogTextChars,
                            absl::StrCat("The description of catalog ", catalog.name));
}

// Makes the catalog's directory if it is missing, where the guard allows; `*made` says whether
// this call made it. Elsewhere (another scheme, outside the allowed roots) nothing is made.
absl::Status MakeCatalogDirectory(const LocationGuard& guard, const Catalog& catalog, bool* made) {
  *made = false;
  const LocationGuard::Target target = guard.Check(catalog.location);
  const bool allowed = target.kind == LocationGuard::Target::Kind::kAllowed;
  std::error_code ec;
  const bool existed = allowed && std::filesystem::is_directory(target.path, ec);
  absl::Status ensured = guard.Ensure(catalog.location);
  if (!ensured.ok()) {
    return absl::InternalError(absl::StrCat("Unable to create catalog path ", catalog.location,
                                            ", failed to create catalog ", catalog.name, ": ",
                                            ensured.message()));
  }
  *made = allowed && !existed;
  return absl::OkStatus();
}

// Removes a directory the guard allows only if it is empty: dropping a catalog never deletes
// data the metastore does not know about.
void RemoveIfEmpty(const LocationGuard& guard, const std::string& location) {
  const LocationGuard::Target target = guard.Check(location, LocationGuard::LastLink::kKeep);
  if (target.kind != LocationGuard::Target::Kind::kAllowed || target.is_root) return;
  std::error_code ec;
  if (!std::filesystem::is_directory(std::filesystem::symlink_status(target.path, ec)) ||
      !std::filesystem::is_empty(target.path, ec)) {
    return;
  }
  std::filesystem::remove(target.path, ec);
  if (ec) {
    LogWarning("could not remove the directory of a dropped catalog",
               {{"location", location}, {"error", ec.message()}});
  }
}

}  // namespace

absl::StatusOr<Catalog> CatalogService::CreateCatalog(const RequestContext& ctx, Catalog catalog) {
  const std::string given_name = catalog.name;
  catalog.name = NormalizeName(catalog.name);
  // HMS checks, in this order: that the name is free, that it is valid, that a path is given.
  absl::Status existing = store_->Read(
      [&](ReadView& view) -> absl::Status { return view.GetCatalog(catalog.name).status(); });
  if (existing.ok()) {
    return absl::AlreadyExistsError(absl::StrCat("Catalog ", given_name, " already exists"));
  }
  if (!absl::IsNotFound(existing)) return existing;
  RETURN_IF_ERROR(ValidateCatalogFields(catalog, given_name));
  if (IsBlank(catalog.location)) {
    return absl::InvalidArgumentError("You must specify a path for the catalog");
  }
  catalog.create_time = static_cast<int32_t>(Now());

  Database db;
  db.catalog = catalog.name;
  db.name = kDefaultDatabase;
  db.description = absl::StrCat("Default database for catalog ", catalog.name);
  db.location = NormalizeLocation(catalog.location);
  db.owner_name = ctx.principal;
  db.create_time = catalog.create_time;

  bool made_directory = false;
  if (options_.create_directories) {
    RETURN_IF_ERROR(MakeCatalogDirectory(guard_, catalog, &made_directory));
  }
  absl::Status written = store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::Status created = txn.CreateCatalog(catalog);
    if (absl::IsAlreadyExists(created)) {
      return absl::AlreadyExistsError(absl::StrCat("Catalog ", given_name, " already exists"));
    }
    RETURN_IF_ERROR(created);
    RETURN_IF_ERROR(RecordEvent(txn, ctx, "CREATE_CATALOG", catalog.name, "", "", "").status());
    RETURN_IF_ERROR(txn.CreateDatabase(db));
    return RecordEvent(txn, ctx, "CREATE_DATABASE", db.catalog, db.name, "", "").status();
  });
  if (!written.ok() && made_directory) RemoveIfEmpty(guard_, catalog.location);
  RETURN_IF_ERROR(written);
  return catalog;
}

absl::StatusOr<Catalog> CatalogService::GetCatalog(const std::string& name) {
  Catalog result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<Catalog> catalog = view.GetCatalog(NormalizeName(name));
    if (absl::IsNotFound(catalog.status())) return CatalogNotFound(name);
    RETURN_IF_ERROR(catalog.status());
    result = *std::move(catalog);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListCatalogs() {
  std::vector<std::string> names;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(names, view.ListCatalogNames());
    return absl::OkStatus();
  }));
  return names;
}

absl::Status CatalogService::AlterCatalog(const RequestContext& ctx, const std::string& name_in,
                                          const Catalog& changes) {
  const std::string name = NormalizeName(name_in);
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Catalog> catalog = txn.GetCatalog(name);
    if (absl::IsNotFound(catalog.status())) return CatalogNotFound(name_in);
    RETURN_IF_ERROR(catalog.status());
    if (NormalizeName(changes.name) != name) {
      return absl::FailedPreconditionError("You cannot change a catalog's name");
    }
    if (!IsBlank(changes.location)) catalog->location = changes.location;
    if (changes.description && !IsBlank(*changes.description)) {
      catalog->description = changes.description;
    }
    RETURN_IF_ERROR(ValidateCatalogFields(*catalog, catalog->name));
    RETURN_IF_ERROR(txn.UpdateCatalog(*catalog));
    return RecordEvent(txn, ctx, "ALTER_CATALOG", name, "", "", "").status();
  });
}

absl::Status CatalogService::DropCatalog(const RequestContext& ctx, const std::string& name_in) {
  const std::string name = NormalizeName(name_in);
  if (name == kDefaultCatalog) {
    return absl::PermissionDeniedError(absl::StrCat("Can not drop ", kDefaultCatalog, " catalog"));
  }
  std::vector<std::string> directories;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Catalog> catalog = txn.GetCatalog(name);
    if (absl::IsNotFound(catalog.status())) return CatalogNotFound(name_in);
    RETURN_IF_ERROR(catalog.status());
    ASSIGN_OR_RETURN(std::vector<std::string> dbs, txn.ListDatabaseNames(name));
    if (dbs.size() > 1 || (dbs.size() == 1 && dbs[0] != kDefaultDatabase)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "There are non-default databases in the catalog ", name_in, " so it cannot be dropped."));
    }
    if (!dbs.empty()) {
      ASSIGN_OR_RETURN(Database db, txn.GetDatabase(name, kDefaultDatabase));
      ASSIGN_OR_RETURN(int64_t tables, txn.CountTables(name, kDefaultDatabase));
      ASSIGN_OR_RETURN(int64_t functions, txn.CountFunctions(name, kDefaultDatabase));
      if (tables > 0 || functions > 0) {
        return absl::FailedPreconditionError(
            absl::StrCat("There are still objects in the default database for catalog ", name_in));
      }
      RETURN_IF_ERROR(txn.DeleteDatabase(name, kDefaultDatabase));
      RETURN_IF_ERROR(RecordEvent(txn, ctx, "DROP_DATABASE", name, db.name, "", "").status());
      directories.push_back(db.location);
    }
    RETURN_IF_ERROR(txn.DeleteCatalog(name));
    directories.push_back(catalog->location);
    return RecordEvent(txn, ctx, "DROP_CATALOG", name, "", "", "").status();
  }));
  for (const std::string& directory : directories) RemoveIfEmpty(guard_, directory);
  return absl::OkStatus();
}

}  // namespace almanac
