// Table rules: normalisation, Hive's table types, default locations, alter (rename, cascade,
// compare-and-swap) and drop. Every change writes a table version in the same transaction.

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging.h"
#include "common/request_scope.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/directory_listings.h"
#include "server/core/error_subject.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/quick_stats.h"
#include "server/core/table_filter.h"
#include "server/core/table_rules.h"
#include "server/core/validation.h"

namespace almanac {
namespace {

// HMS fails an alter whose new definition lacks its database or a column's type before it
// validates anything, with a MetaException (its code dereferences them). An empty new name is
// validated as a name (InvalidOperationException).
absl::Status CheckAlterTableFieldsPresent(const Table& table) {
  auto missing = [](absl::string_view what) {
    return WithSubject(
        absl::InvalidArgumentError(absl::StrCat("The new table definition has no ", what)),
        ErrorSubject::kMalformedRequest);
  };
  if (table.database.empty()) return missing("database name");
  for (const Column& column : table.sd.columns) {
    if (column.type.empty()) return missing(absl::StrCat("type for column ", column.name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Table> CatalogService::CreateTable(const RequestContext& ctx, Table table,
                                                  const CreateTableOptions& options) {
  RETURN_IF_ERROR(NormalizeTableDefinition(table));
  if (IsRootLocation(table.sd.location)) {
    return absl::InvalidArgumentError(absl::StrCat(table.name, " location must not be root path"));
  }
  const int64_t now = Now();
  table.create_time = static_cast<int32_t>(now);
  if (!table.parameters.contains(kDdlTimeKey)) {
    table.parameters[kDdlTimeKey] = std::to_string(now);
  }
  // Places the table in its database and applies the quick-stats rule; run on a draft before the
  // write transaction, so that the directory is listed outside it, then inside it.
  DirectoryListings listings = NewListings();
  const auto place = [&](ReadView& view, Table& t) -> absl::Status {
    absl::StatusOr<Database> db = view.GetDatabase(t.catalog, t.database);
    if (absl::IsNotFound(db.status())) {
      return absl::NotFoundError(
          absl::StrCat("The database ", t.catalog, ".", t.database, " does not exist"));
    }
    RETURN_IF_ERROR(db.status());
    if (t.sd.location.empty() && t.table_type != kVirtualView) {
      t.sd.location = JoinLocation(db->location, TableDirectoryName(t.name));
    }
    return absl::OkStatus();
  };
  Table draft = table;
  absl::Status placed = store_->Read([&](ReadView& view) -> absl::Status {
    if (view.GetTable(draft.catalog, draft.database, draft.name).ok()) {
      return absl::AlreadyExistsError("");  // The transaction reports it; nothing to list.
    }
    return place(view, draft);
  });
  if (placed.ok()) {
    ApplyCreateTableStats(draft, options, options_.stats_auto_gather, listings);
  }
  listings.Freeze();
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(place(txn, table));
    // Before the directory is made: Hive counts only what was there already.
    ApplyCreateTableStats(table, options, options_.stats_auto_gather, listings);
    absl::StatusOr<int64_t> id = txn.CreateTable(table);
    if (absl::IsAlreadyExists(id.status())) {
      return absl::AlreadyExistsError(absl::StrCat("Table ", table.catalog, ".", table.database,
                                                   ".", table.name, " already exists"));
    }
    RETURN_IF_ERROR(id.status());
    table.id = *id;
    RETURN_IF_ERROR(RecordTableChange(txn, ctx, "CREATE_TABLE", "CREATE", table));
    return AddTableConstraintsInTxn(txn, ctx, table.catalog, options.constraints);
  }));
  if (options_.create_directories && !table.sd.location.empty()) {
    absl::Status made = guard_.Ensure(table.sd.location);
    if (!made.ok()) LogWarning("could not create table directory", {{"error", made.ToString()}});
  }
  return table;
}

absl::StatusOr<Table> CatalogService::GetTable(const std::string& catalog, const std::string& db,
                                               const std::string& name) {
  Table result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(result, ReadTable(view, catalog, NormalizeName(db), NormalizeName(name)));
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<std::vector<Table>> CatalogService::GetTables(
    const std::string& catalog_in, const std::string& db, const std::vector<std::string>& names) {
  const std::string catalog = NormalizeName(catalog_in);
  std::vector<Table> tables;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    for (const std::string& name : names) {
      absl::StatusOr<Table> table = view.GetTable(catalog, NormalizeName(db), NormalizeName(name));
      if (absl::IsNotFound(table.status())) continue;
      RETURN_IF_ERROR(table.status());
      tables.push_back(*std::move(table));
    }
    return absl::OkStatus();
  }));
  return tables;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListTables(
    const std::string& catalog_in, const std::string& db, const std::string& pattern,
    const std::optional<std::string>& type) {
  const std::string catalog = NormalizeName(catalog_in);
  if (db.empty()) {
    return WithSubject(absl::InvalidArgumentError("A database name is required to list tables"),
                       ErrorSubject::kMalformedRequest);
  }
  std::vector<std::string> names;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> listed =
        view.ListTableNames(catalog, NormalizeName(db), type);
    // Like Hive, listing the tables of a database that does not exist finds none.
    if (absl::IsNotFound(listed.status())) return absl::OkStatus();
    ASSIGN_OR_RETURN(names, std::move(listed));
    return absl::OkStatus();
  }));
  std::erase_if(names, [&](const std::string& n) { return !MatchesHivePattern(n, pattern); });
  return names;
}

absl::StatusOr<std::vector<Table>> CatalogService::ListTablesMatching(
    const std::string& catalog_in, const std::string& db_pattern,
    const std::string& table_pattern) {
  const std::string catalog = NormalizeName(catalog_in);
  if (db_pattern.empty()) return absl::NotFoundError("DB name is null or empty");
  std::vector<Table> tables;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> dbs = view.ListDatabaseNames(catalog);
    if (absl::IsNotFound(dbs.status())) dbs = std::vector<std::string>();
    RETURN_IF_ERROR(dbs.status());
    for (const std::string& db : *dbs) {
      if (table_pattern.empty() || !MatchesHivePattern(db, db_pattern)) continue;
      ASSIGN_OR_RETURN(std::vector<std::string> names,
                       view.ListTableNames(catalog, db, std::nullopt));
      for (const std::string& name : names) {
        if (!MatchesHivePattern(name, table_pattern)) continue;
        RETURN_IF_ERROR(CheckDeadline("listing tables"));
        ASSIGN_OR_RETURN(Table table, view.GetTable(catalog, db, name));
        tables.push_back(std::move(table));
      }
    }
    // Like HMS, tell an unmatched pattern from a database that does not exist.
    if (tables.empty() && !view.GetDatabase(catalog, NormalizeName(db_pattern)).ok()) {
      return absl::NotFoundError(
          absl::StrCat("Database ", catalog, ".", db_pattern, " does not exist"));
    }
    return absl::OkStatus();
  }));
  return tables;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListMaterializedViewsForRewriting(
    const std::string& catalog_in, const std::string& db) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string db_name = NormalizeName(db);
  std::vector<std::string> names;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<std::vector<std::string>> views =
        view.ListTableNames(catalog, db_name, std::string(kMaterializedView));
    if (absl::IsNotFound(views.status())) return absl::OkStatus();
    RETURN_IF_ERROR(views.status());
    for (const std::string& name : *views) {
      ASSIGN_OR_RETURN(Table table, view.GetTable(catalog, db_name, name));
      if (table.rewrite_enabled.value_or(false)) names.push_back(name);
    }
    return absl::OkStatus();
  }));
  return names;
}

absl::StatusOr<std::vector<TableMeta>> CatalogService::GetTableMeta(
    const std::string& catalog_in, const std::optional<std::string>& db_pattern,
    const std::string& table_pattern, const std::vector<std::string>& types) {
  const std::string catalog = NormalizeName(catalog_in);
  std::vector<TableMeta> metas;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> dbs, view.ListDatabaseNames(catalog));
    for (const std::string& db : dbs) {
      if (db_pattern && (db_pattern->empty() || !MatchesHivePattern(db, *db_pattern))) continue;
      ASSIGN_OR_RETURN(std::vector<std::string> names,
                       view.ListTableNames(catalog, db, std::nullopt));
      for (const std::string& name : names) {
        if (!MatchesHivePattern(name, table_pattern)) continue;
        ASSIGN_OR_RETURN(Table table, view.GetTable(catalog, db, name));
        if (!types.empty() &&
            std::find(types.begin(), types.end(), table.table_type) == types.end()) {
          continue;
        }
        auto comment = table.parameters.find("comment");
        std::optional<std::string> comment_text;
        if (comment != table.parameters.end()) comment_text = comment->second;
        metas.push_back(TableMeta{catalog, db, name, table.table_type, std::move(comment_text),
                                  table.owner, table.owner_type});
      }
    }
    return absl::OkStatus();
  }));
  return metas;
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListTableNamesByFilter(
    const std::string& catalog_in, const std::string& db, const std::string& filter,
    int64_t max_tables) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string db_name = NormalizeName(db);
  if (catalog.empty() || db_name.empty()) return absl::NotFoundError("DB name is null or empty");
  if (absl::StripAsciiWhitespace(filter).empty()) {
    return absl::FailedPreconditionError("Cannot apply an empty table filter");
  }
  ASSIGN_OR_RETURN(TableFilter compiled, TableFilter::Compile(filter));
  const auto required = compiled.RequiredParameter();
  std::vector<std::string> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    // As in HMS, a database that does not exist holds no matching table.
    absl::StatusOr<std::vector<std::string>> candidates =
        required ? view.ListTableNamesByParameter(catalog, db_name, required->first,
                                                  required->second, false)
                 : view.ListTableNames(catalog, db_name, std::nullopt);
    if (absl::IsNotFound(candidates.status())) return absl::OkStatus();
    RETURN_IF_ERROR(candidates.status());
    for (const std::string& name : *candidates) {
      if (max_tables >= 0 && static_cast<int64_t>(result.size()) >= max_tables) break;
      RETURN_IF_ERROR(CheckDeadline("matching tables against a filter"));
      absl::StatusOr<Table> table = view.GetTable(catalog, db_name, name);
      if (absl::IsNotFound(table.status())) continue;
      RETURN_IF_ERROR(table.status());
      if (compiled.Matches(*table)) result.push_back(name);
    }
    return absl::OkStatus();
  }));
  return result;
}

absl::Status CatalogService::AlterTable(const RequestContext& ctx, const std::string& catalog_in,
                                        const std::string& db_in, const std::string& name_in,
                                        Table new_table, const AlterTableOptions& options) {
  const std::string catalog = NormalizeName(catalog_in);
  const std::string db = NormalizeName(db_in);
  const std::string name = NormalizeName(name_in);
  if (new_table.catalog.empty()) new_table.catalog = catalog;
  RETURN_IF_ERROR(CheckAlterTableFieldsPresent(new_table));
  RETURN_IF_ERROR(AsAlterValidationError(NormalizeTableDefinition(new_table)));
  if (new_table.catalog != catalog) {
    // HMS's text, without a space after the first "catalog".
    return absl::FailedPreconditionError(
        absl::StrCat("Tables cannot be moved between catalogs, old catalog", catalog,
                     ", new catalog ", new_table.catalog));
  }
  // The recount of an unpartitioned table lists its directory before the write transaction.
  DirectoryListings listings = NewListings();
  Table stored;
  absl::Status read = store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(stored, view.GetTable(catalog, db, name));
    return absl::OkStatus();
  });
  if (read.ok() && new_table.name == stored.name && new_table.database == stored.database) {
    Table draft = new_table;
    if (draft.sd.location.empty()) draft.sd.location = stored.sd.location;
    ApplyAlterTableStats(draft, options.environment, listings);
  }
  listings.Freeze();
  std::optional<std::pair<std::string, std::string>> move;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Table> old = txn.GetTable(catalog, db, name);
    if (absl::IsNotFound(old.status())) {
      return absl::FailedPreconditionError(
          absl::StrCat("table ", catalog, ".", db, ".", name, " doesn't exist"));
    }
    RETURN_IF_ERROR(old.status());
    RETURN_IF_ERROR(CheckExpectedParameter(*old, new_table, options));
    RETURN_IF_ERROR(CheckAlterAllowed(*old, new_table, options));
    new_table.id = old->id;
    new_table.create_time = old->create_time;
    const bool renamed = new_table.name != old->name || new_table.database != old->database;
    if (new_table.sd.location.empty() && !renamed &&
        AlterTableRecountsStats(new_table, options.environment)) {
      // HMS recounts the directory of the new definition, and fails without one.
      return WithSubject(absl::InvalidArgumentError(
                             absl::StrCat("The new definition of table ", new_table.database, ".",
                                          new_table.name, " has no location")),
                         ErrorSubject::kMalformedRequest);
    }
    if (new_table.sd.location.empty() && !renamed) new_table.sd.location = old->sd.location;
    if (!new_table.parameters.contains(kDdlTimeKey)) {
      new_table.parameters[kDdlTimeKey] = std::to_string(Now());
    }
    if (renamed) {
      ASSIGN_OR_RETURN(move, PlanRenameMove(txn, *old, new_table));
    } else {
      ApplyAlterTableStats(new_table, options.environment, listings);
    }
    absl::Status updated = txn.UpdateTable(old->id, new_table);
    if (absl::IsAlreadyExists(updated)) {
      return absl::FailedPreconditionError(
          absl::StrCat("new table ", new_table.database, ".", new_table.name, " already exists"));
    }
    RETURN_IF_ERROR(updated);
    if (move) RETURN_IF_ERROR(txn.MovePartitionLocations(old->id, move->first, move->second));
    if (options.cascade && new_table.sd.columns != old->sd.columns) {
      RETURN_IF_ERROR(CascadeColumns(txn, new_table));
    }
    return RecordTableChange(txn, ctx, "ALTER_TABLE", renamed ? "RENAME" : "ALTER", new_table);
  }));
  if (move) {
    absl::Status moved = guard_.Move(move->first, move->second);
    if (!moved.ok()) LogWarning("table data was not moved", {{"error", moved.ToString()}});
  }
  return absl::OkStatus();
}

absl::Status CatalogService::DropTable(const RequestContext& ctx, const std::string& catalog,
                                       const std::string& db, const std::string& name,
                                       bool delete_data) {
  std::vector<std::string> locations;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Table table, ReadTable(txn, catalog, NormalizeName(db), NormalizeName(name)));
    // As HMS (with its storage checks on): data that could not be deleted keeps its metadata.
    if (delete_data && ShouldDeleteData(table) && !table.sd.location.empty()) {
      if (auto parent = guard_.UnwritableParent(table.sd.location)) {
        return absl::FailedPreconditionError(absl::StrCat(
            "Table metadata not deleted since ", *parent, " is not writable by ", ctx.principal));
      }
    }
    locations.clear();
    return DropTableContents(txn, ctx, table, delete_data, &locations);
  }));
  // Data goes only after the metadata change is durable, as in Hive.
  for (const std::string& location : locations) RETURN_IF_ERROR(guard_.Delete(location));
  return absl::OkStatus();
}

absl::Status CatalogService::DropTableContents(WriteTxn& txn, const RequestContext& ctx,
                                               const Table& table, bool delete_data,
                                               std::vector<std::string>* locations) {
  if (delete_data && ShouldDeleteData(table)) {
    // The table's directory, and every partition directory outside it.
    if (!table.sd.location.empty()) locations->push_back(table.sd.location);
    RETURN_IF_ERROR(txn.ListPartitions(table, PartitionQuery{}, [&](Partition&& part) {
      if (!part.sd.location.empty() && !IsUnderLocation(part.sd.location, table.sd.location)) {
        locations->push_back(part.sd.location);
      }
      return true;
    }));
  }
  RETURN_IF_ERROR(txn.DeleteTable(table.id));
  return RecordEvent(txn, ctx, "DROP_TABLE", table.catalog, table.database, table.name,
                     delete_data ? "deleteData=true" : "deleteData=false")
      .status();
}

absl::StatusOr<std::vector<TableVersion>> CatalogService::ListTableVersions(
    const std::string& catalog, const std::string& db, const std::string& name) {
  std::vector<TableVersion> versions;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table, ReadTable(view, catalog, NormalizeName(db), NormalizeName(name)));
    ASSIGN_OR_RETURN(versions, view.ListTableVersions(table.id));
    return absl::OkStatus();
  }));
  return versions;
}

}  // namespace almanac
