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
#include "re2/re2.h"
#include "server/core/catalog_service.h"
#include "server/core/directory_listings.h"
#include "server/core/error_subject.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/quick_stats.h"
#include "server/core/table_rules.h"
#include "server/core/validation.h"

namespace almanac {
namespace {

// Memory RE2 may use for one compiled client pattern; a larger pattern is refused.
constexpr int64_t kMaxPatternMemory = 1 << 20;

// Sorted names of the tables whose parameter matches `c`. Hive compares `=` exactly and matches
// LIKE as a Java regular expression over the whole value. RE2 runs in time linear in the value
// and needs no stack per character, so no pattern or value a client sends can stall or crash
// the server; it lacks back-references and look-around, which such a pattern is refused for.
absl::StatusOr<std::vector<std::string>> TablesMatching(ReadView& view, const std::string& catalog,
                                                        const std::string& db,
                                                        const TableParameterCondition& c) {
  if (!c.like) return view.ListTableNamesByParameter(catalog, db, c.key, c.value, false);
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  const RE2 pattern(c.value, options);
  if (!pattern.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Error parsing table filter: '", c.value,
                     "' is not a valid regular expression: ", pattern.error()));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> candidates,
                   view.ListTableNamesByParameter(catalog, db, c.key, "%", true));
  std::vector<std::string> names;
  for (std::string& name : candidates) {
    RETURN_IF_ERROR(CheckDeadline("matching table parameters"));
    ASSIGN_OR_RETURN(Table table, view.GetTable(catalog, db, name));
    auto it = table.parameters.find(c.key);
    if (it != table.parameters.end() && RE2::FullMatch(it->second, pattern)) {
      names.push_back(std::move(name));
    }
  }
  return names;
}

// HMS fails an alter whose new definition lacks its database, its name or a column's type
// before it validates anything, with a MetaException (its code dereferences them).
absl::Status CheckAlterTableFieldsPresent(const Table& table) {
  auto missing = [](absl::string_view what) {
    return WithSubject(
        absl::InvalidArgumentError(absl::StrCat("The new table definition has no ", what)),
        ErrorSubject::kMalformedRequest);
  };
  if (table.database.empty()) return missing("database name");
  if (table.name.empty()) return missing("table name");
  for (const Column& column : table.sd.columns) {
    if (column.type.empty()) return missing(absl::StrCat("type for column ", column.name));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Table> CatalogService::CreateTable(const RequestContext& ctx, Table table,
                                                  const CreateTableOptions& options) {
  RETURN_IF_ERROR(NormalizeTableDefinition(table));
  const int64_t now = Now();
  table.create_time = static_cast<int32_t>(now);
  if (!table.parameters.contains(kDdlTimeKey)) {
    table.parameters[kDdlTimeKey] = std::to_string(now);
  }
  if (table.owner.empty()) table.owner = ctx.principal;
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

absl::StatusOr<std::vector<TableMeta>> CatalogService::GetTableMeta(
    const std::string& catalog_in, const std::string& db_pattern, const std::string& table_pattern,
    const std::vector<std::string>& types) {
  const std::string catalog = NormalizeName(catalog_in);
  std::vector<TableMeta> metas;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<std::string> dbs, view.ListDatabaseNames(catalog));
    for (const std::string& db : dbs) {
      if (!MatchesHivePattern(db, db_pattern)) continue;
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
        metas.push_back(TableMeta{catalog, db, name, table.table_type,
                                  comment == table.parameters.end() ? "" : comment->second,
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
  ASSIGN_OR_RETURN(std::vector<TableParameterCondition> conditions,
                   ParseTableParameterFilter(filter));
  std::vector<std::string> result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    const std::string db_name = NormalizeName(db);
    RETURN_IF_ERROR(view.GetDatabase(catalog, db_name).status());
    bool first = true;
    for (const TableParameterCondition& c : conditions) {
      ASSIGN_OR_RETURN(std::vector<std::string> names, TablesMatching(view, catalog, db_name, c));
      if (first) {
        result = std::move(names);
        first = false;
      } else {
        std::vector<std::string> both;
        std::set_intersection(result.begin(), result.end(), names.begin(), names.end(),
                              std::back_inserter(both));
        result = std::move(both);
      }
    }
    return absl::OkStatus();
  }));
  if (max_tables >= 0 && static_cast<int64_t>(result.size()) > max_tables) {
    result.resize(static_cast<size_t>(max_tables));
  }
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
    RETURN_IF_ERROR(CheckAlterAllowed(*old, new_table));
    new_table.id = old->id;
    new_table.create_time = old->create_time;
    const bool renamed = new_table.name != old->name || new_table.database != old->database;
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
