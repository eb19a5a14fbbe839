// Partition rules: validation, default locations, selection (filter, partial specification,
// names) and the file-system side of drops and renames.

#include <map>
#include <set>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/logging.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/directory_listings.h"
#include "server/core/error_subject.h"
#include "server/core/filter_parser.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/quick_stats.h"
#include "server/core/table_rules.h"
#include "server/core/validation.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

std::string DescribeValues(const std::vector<std::string>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

absl::Status PartitionNotFound(const std::vector<std::string>& values) {
  return absl::NotFoundError(absl::StrCat("partition values=", DescribeValues(values)));
}

absl::Status CheckValueCount(const Table& table, const std::vector<std::string>& values) {
  if (values.size() == table.partition_keys.size()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("Incorrect number of partition values for table ",
                                                 table.database, ".", table.name, ": expected ",
                                                 table.partition_keys.size(), ", got ",
                                                 values.size(), " ", DescribeValues(values)));
}

// HMS names a partition by its keys and values (Warehouse.makePartName), and refuses a count
// that differs or a table without keys as a MetaException.
absl::Status CheckKeysAndValues(const Table& table, const std::vector<std::string>& values) {
  if (values.size() == table.partition_keys.size() && !values.empty()) return absl::OkStatus();
  std::vector<std::string> keys;
  for (const Column& key : table.partition_keys) keys.push_back(key.name);
  return MalformedRequest(absl::StrCat("Invalid partition key & values for table ", table.database,
                                       ".", table.name, ": keys ", DescribeValues(keys),
                                       ", values ", DescribeValues(values)));
}

// The storage descriptor of a partition being added, as HMS's add calls take it: none only for a
// view's partition, a location only for a table's and one a Hadoop Path reads, a SerDeInfo, and
// columns with names and types.
absl::Status CheckAddedStorage(const Table& table, const Partition& part) {
  const bool view = table.sd.location.empty();
  const auto refuse = [&](absl::string_view what) {
    return MalformedRequest(absl::StrCat("Partition ", DescribeValues(part.values), " of table ",
                                         table.database, ".", table.name, ": ", what));
  };
  if (part.sd_null) return view ? absl::OkStatus() : refuse("the storage descriptor is null");
  if (!part.sd.location.empty()) {
    if (view) return refuse("cannot specify location for a view partition");
    absl::Status path = CheckPathLocation(part.sd.location);
    if (!path.ok()) return refuse(path.message());
  }
  if (part.sd.serde_null) return refuse("the SerDeInfo is null");
  if (part.sd.column_field_null) return refuse("a column has a null name or type");
  return absl::OkStatus();
}

// Binds `part` to `table`: checks what the store would refuse, sets its names, create time and
// DDL time, and gives it its default location (or normalises the one it has).
absl::Status CompletePartition(const Table& table, Partition& part, int64_t now) {
  RETURN_IF_ERROR(ValidatePartitionFields(table, part));
  part.catalog = table.catalog;
  part.database = table.database;
  part.table = table.name;
  part.create_time = static_cast<int32_t>(now);
  if (!part.parameters.contains(kDdlTimeKey)) part.parameters[kDdlTimeKey] = std::to_string(now);
  if (part.sd.location.empty() && !table.sd.location.empty()) {
    part.sd.location =
        JoinLocation(table.sd.location, MakePartitionName(table.partition_keys, part.values));
  } else if (!part.sd.location.empty()) {
    // As a Hadoop Path, which HMS stores the location through, drops a trailing '/'.
    absl::string_view location = part.sd.location;
    while (location.size() > 1 && location.back() == '/') location.remove_suffix(1);
    part.sd.location = NormalizeLocation(location);
  }
  return absl::OkStatus();
}

// A partition an add call brings for `db`.`table_name` (as the request spelt them) must name
// that table, case-insensitively (HMSHandler) and then exactly (HMS's store compares the names
// as sent); HMS refuses it as a MetaException otherwise.
absl::Status CheckNamesAsSent(const std::string& db, const std::string& table_name,
                              const Partition& part) {
  if (!absl::EqualsIgnoreCase(part.database, db) ||
      !absl::EqualsIgnoreCase(part.table, table_name)) {
    return MalformedRequest(absl::StrCat("Partition does not belong to target table ", db, ".",
                                         table_name, ". It belongs to the table ", part.database,
                                         ".", part.table));
  }
  if (part.database != db || part.table != table_name) {
    return MalformedRequest(absl::StrCat("Partition does not belong to target table ", db, ".",
                                         table_name, ": it names the table ", part.database, ".",
                                         part.table));
  }
  return absl::OkStatus();
}

// HMS's checks of a partition that an add call brings, each refused as a MetaException: its
// names (CheckNamesAsSent, unless `names` is kTarget), one value per key (an empty value names
// Hive's default partition) and a storage descriptor CheckAddedStorage accepts.
absl::Status PrepareAddedPartition(const Table& table, const std::string& db,
                                   const std::string& table_name,
                                   CatalogService::PartitionNames names, Partition& part,
                                   int64_t now) {
  if (names == CatalogService::PartitionNames::kAsSent) {
    RETURN_IF_ERROR(CheckNamesAsSent(db, table_name, part));
  }
  if (part.values.empty()) return MalformedRequest("The partition values cannot be empty");
  RETURN_IF_ERROR(CheckKeysAndValues(table, part.values));
  RETURN_IF_ERROR(CheckAddedStorage(table, part));
  return CompletePartition(table, part, now);
}

// A condition "key = value" on partition key `index`, compared as text like Hive's name match.
FilterNodePtr EqualsCondition(const Table& table, size_t index, const std::string& value) {
  auto node = std::make_unique<FilterNode>();
  node->kind = FilterNode::Kind::kCondition;
  node->condition.key = table.partition_keys[index].name;
  node->condition.key_index = static_cast<int>(index);
  node->condition.op = FilterOp::kEq;
  node->condition.value.kind = FilterLiteral::Kind::kString;
  node->condition.value.text = value;
  return node;
}

}  // namespace

absl::Status CatalogService::PreparePartition(const Table& table, Partition& part, int64_t now) {
  RETURN_IF_ERROR(CheckValueCount(table, part.values));
  for (const std::string& value : part.values) {
    if (value.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Partition values ", DescribeValues(part.values), " of table ",
                       table.database, ".", table.name, " contain an empty value"));
    }
  }
  return CompletePartition(table, part, now);
}

absl::StatusOr<std::vector<Partition>> CatalogService::AddPartitions(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, std::vector<Partition> parts, bool if_not_exists,
    const EnvironmentProperties& environment, PartitionNames names) {
  const int64_t now = Now();
  // The directories of the new partitions are listed before the write transaction, for a draft
  // of each, and the rule runs again inside it over those listings.
  DirectoryListings listings = NewListings();
  Table stored;
  std::vector<Partition> drafts;
  absl::Status read = store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(stored, view.GetTable(catalog, NormalizeName(db), NormalizeName(table_name)));
    for (const Partition& part : parts) {
      Partition draft = part;
      if (!PrepareAddedPartition(stored, db, table_name, names, draft, now).ok()) continue;
      if (if_not_exists && view.GetPartition(stored, draft.values).ok()) continue;
      drafts.push_back(std::move(draft));
    }
    return absl::OkStatus();
  });
  if (read.ok()) {
    for (Partition& draft : drafts) {
      ApplyAddPartitionStats(stored, draft, environment, options_.stats_auto_gather, listings);
    }
  }
  listings.Freeze();
  std::vector<Partition> added;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<Table> table =
        txn.GetTable(catalog, NormalizeName(db), NormalizeName(table_name));
    if (absl::IsNotFound(table.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("Unable to add partition because table or database do not exist: ", catalog,
                       ".", NormalizeName(db), ".", NormalizeName(table_name)));
    }
    RETURN_IF_ERROR(table.status());
    std::set<std::vector<std::string>> seen;
    added.clear();
    for (const Partition& in : parts) {
      Partition part = in;  // The transaction may run again: `parts` stays as sent.
      RETURN_IF_ERROR(PrepareAddedPartition(*table, db, table_name, names, part, now));
      if (!seen.insert(part.values).second) {
        return MalformedRequest(
            absl::StrCat("Duplicate partitions in the list: ", DescribeValues(part.values)));
      }
      if (if_not_exists) {
        absl::StatusOr<Partition> existing = txn.GetPartition(*table, part.values);
        if (existing.ok()) continue;
        if (!absl::IsNotFound(existing.status())) return existing.status();
      }
      ApplyAddPartitionStats(*table, part, environment, options_.stats_auto_gather, listings);
      added.push_back(std::move(part));
    }
    if (added.empty()) return absl::OkStatus();
    RETURN_IF_ERROR(txn.AddPartitions(*table, added));
    return RecordEvent(txn, ctx, "ADD_PARTITION", table->catalog, table->database, table->name,
                       absl::StrCat(added.size(), " partition(s)"))
        .status();
  }));
  if (options_.create_directories) {
    for (const Partition& part : added) {
      if (part.sd.location.empty()) continue;  // A view's partition has no directory.
      absl::Status made = guard_.Ensure(part.sd.location);
      if (!made.ok()) {
        LogWarning("could not create partition directory", {{"error", made.ToString()}});
      }
    }
  }
  return added;
}

absl::StatusOr<Partition> CatalogService::AppendPartition(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, const std::vector<std::string>& values,
    const EnvironmentProperties& environment) {
  if (values.empty()) return MalformedRequest("The partition values must not be null or empty");
  ASSIGN_OR_RETURN(Table table, TableToAppendTo(catalog, db, table_name));
  return AppendToTable(ctx, table, db, table_name, values, environment);
}

absl::StatusOr<Partition> CatalogService::AppendPartitionByName(
    const RequestContext& ctx, const std::string& catalog, const std::string& db,
    const std::string& table_name, const std::string& name,
    const EnvironmentProperties& environment) {
  absl::StatusOr<Table> table = GetTable(catalog, db, table_name);
  if (absl::IsNotFound(table.status())) {
    return absl::InvalidArgumentError(absl::StrCat(db, ".", table_name, " table not found"));
  }
  RETURN_IF_ERROR(table.status());
  // HMS reads the name as lookups do, but a missing key is an invalid object here.
  absl::StatusOr<std::vector<std::string>> values = LookupValuesFromName(*table, name);
  if (absl::IsNotFound(values.status())) {
    return absl::InvalidArgumentError(values.status().message());
  }
  RETURN_IF_ERROR(values.status());
  return AppendToTable(ctx, *table, db, table_name, *values, environment);
}

absl::StatusOr<Table> CatalogService::TableToAppendTo(const std::string& catalog,
                                                      const std::string& db,
                                                      const std::string& table_name) {
  absl::StatusOr<Table> table = GetTable(catalog, db, table_name);
  if (absl::IsNotFound(table.status())) {
    return absl::InvalidArgumentError(
        absl::StrCat("Unable to add partition because table or database do not exist: ", catalog,
                     ".", NormalizeName(db), ".", NormalizeName(table_name)));
  }
  return table;
}

absl::StatusOr<Partition> CatalogService::AppendToTable(const RequestContext& ctx,
                                                        const Table& table, const std::string& db,
                                                        const std::string& table_name,
                                                        const std::vector<std::string>& values,
                                                        const EnvironmentProperties& environment) {
  if (table.sd.location.empty()) {
    return MalformedRequest(
        absl::StrCat("Cannot append a partition to a view: ", table.database, ".", table.name));
  }
  RETURN_IF_ERROR(CheckKeysAndValues(table, values));
  Partition part;
  part.values = values;
  part.sd = table.sd;
  part.sd.location.clear();
  ASSIGN_OR_RETURN(std::vector<Partition> added,
                   AddPartitions(ctx, table.catalog, db, table_name, {part}, false, environment));
  return added.at(0);
}

absl::StatusOr<Partition> CatalogService::GetPartition(const std::string& catalog,
                                                       const std::string& db,
                                                       const std::string& table_name,
                                                       const std::vector<std::string>& values) {
  Partition result;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(view, catalog, NormalizeName(db), NormalizeName(table_name)));
    RETURN_IF_ERROR(CheckValueCount(table, values));
    absl::StatusOr<Partition> part = view.GetPartition(table, values);
    if (absl::IsNotFound(part.status())) return PartitionNotFound(values);
    RETURN_IF_ERROR(part.status());
    result = *std::move(part);
    return absl::OkStatus();
  }));
  return result;
}

absl::StatusOr<Partition> CatalogService::GetPartitionByName(const std::string& catalog,
                                                             const std::string& db,
                                                             const std::string& table_name,
                                                             const std::string& name) {
  ASSIGN_OR_RETURN(Table table, GetTable(catalog, db, table_name));
  ASSIGN_OR_RETURN(std::vector<std::string> values, LookupValuesFromName(table, name));
  return GetPartition(catalog, db, table_name, values);
}

absl::StatusOr<std::vector<std::string>> CatalogService::PartitionValuesFromName(
    const Table& table, const std::string& name) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> pairs = ParsePartitionName(name);
  if (!pairs.ok() || pairs->size() != table.partition_keys.size()) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid partition name '", name, "' for table ",
                                                   table.database, ".", table.name));
  }
  std::vector<std::string> values;
  for (size_t i = 0; i < pairs->size(); ++i) {
    if (NormalizeName((*pairs)[i].first) != table.partition_keys[i].name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Invalid partition name '", name, "': expected key ", table.partition_keys[i].name));
    }
    values.push_back((*pairs)[i].second);
  }
  return values;
}

absl::Status CatalogService::BuildQuery(const Table& table, const PartitionSelector& selector,
                                        FilterNodePtr* filter_storage, PartitionQuery* query) {
  auto root = std::make_unique<FilterNode>();
  root->kind = FilterNode::Kind::kAnd;
  if (selector.filter.has_value() && !selector.filter->empty()) {
    ASSIGN_OR_RETURN(FilterNodePtr parsed, ParsePartitionFilter(*selector.filter));
    RETURN_IF_ERROR(ResolveFilterKeys(*parsed, table.partition_keys));
    root->children.push_back(std::move(parsed));
  }
  if (selector.partial_values.has_value()) {
    const std::vector<std::string>& values = *selector.partial_values;
    if (values.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("No partition values given for table ", table.database, ".", table.name,
                       ": a partial specification needs at least the first key's value"));
    }
    if (values.size() > table.partition_keys.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "Incorrect number of partition values: table ", table.database, ".", table.name, " has ",
          table.partition_keys.size(), " partition keys, got ", values.size()));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (!values[i].empty()) root->children.push_back(EqualsCondition(table, i, values[i]));
    }
  }
  if (root->children.size() == 1) {
    *filter_storage = std::move(root->children[0]);
  } else if (!root->children.empty()) {
    *filter_storage = std::move(root);
  }
  query->filter = filter_storage->get();
  query->names = selector.names;
  query->max_results = selector.max_results;
  return absl::OkStatus();
}

absl::Status CatalogService::ReadSelectedPartitions(
    const std::string& catalog, const std::string& db, const std::string& table_name,
    const PartitionSelector& selector,
    const std::function<absl::Status(ReadView&, const Table&, const PartitionQuery&)>& fn) {
  return store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table,
                     ReadTable(view, catalog, NormalizeName(db), NormalizeName(table_name)));
    FilterNodePtr filter;  // The query points into it.
    PartitionQuery query;
    RETURN_IF_ERROR(BuildQuery(table, selector, &filter, &query));
    return fn(view, table, query);
  });
}

absl::StatusOr<std::vector<Partition>> CatalogService::ListPartitions(
    const std::string& catalog, const std::string& db, const std::string& table_name,
    const PartitionSelector& selector, Table* table_out) {
  std::vector<Partition> parts;
  RETURN_IF_ERROR(ReadSelectedPartitions(
      catalog, db, table_name, selector,
      [&](ReadView& view, const Table& table, const PartitionQuery& query) -> absl::Status {
        RETURN_IF_ERROR(CheckPartitionRequestLimit(view, table, query));
        if (table_out != nullptr) *table_out = table;
        return view.ListPartitions(table, query, [&](Partition&& p) {
          parts.push_back(std::move(p));
          return true;
        });
      }));
  return parts;
}

absl::Status CatalogService::CheckPartitionRequestLimit(ReadView& view, const Table& table,
                                                        const PartitionQuery& query) const {
  const int64_t limit = options_.partition_request_limit;
  if (limit < 0) return absl::OkStatus();
  // What the call asks for, or, when it asks for all, what it would get.
  int64_t requested = query.max_results;
  if (requested < 0) {
    ASSIGN_OR_RETURN(requested, view.CountPartitions(table, query));
  }
  if (requested <= limit) return absl::OkStatus();
  return WithSubject(absl::InvalidArgumentError(absl::StrCat(
                         "Number of partitions requested (=", requested, ") on table '",
                         table.database, ".", table.name, "' exceeds the limit (=", limit,
                         ") set on the metastore server by partition_request_limit")),
                     ErrorSubject::kMalformedRequest);
}

absl::StatusOr<std::vector<std::string>> CatalogService::ListPartitionNames(
    const std::string& catalog, const std::string& db, const std::string& table_name,
    const PartitionSelector& selector) {
  std::vector<std::string> names;
  absl::Status read =
      ReadSelectedPartitions(catalog, db, table_name, selector,
                             [&](ReadView& view, const Table& table, const PartitionQuery& query) {
                               return view.ListPartitionNames(table, query, [&](std::string&& n) {
                                 names.push_back(std::move(n));
                                 return true;
                               });
                             });
  if (absl::IsNotFound(read) && selector.missing_table_lists_nothing && !db.empty() &&
      !table_name.empty()) {
    return std::vector<std::string>{};
  }
  RETURN_IF_ERROR(read);
  return names;
}

absl::StatusOr<int64_t> CatalogService::CountPartitions(const std::string& catalog,
                                                        const std::string& db,
                                                        const std::string& table_name,
                                                        const PartitionSelector& selector) {
  int64_t count = 0;
  RETURN_IF_ERROR(ReadSelectedPartitions(
      catalog, db, table_name, selector,
      [&](ReadView& view, const Table& table, const PartitionQuery& query) -> absl::Status {
        ASSIGN_OR_RETURN(count, view.CountPartitions(table, query));
        return absl::OkStatus();
      }));
  return count;
}

absl::StatusOr<std::vector<std::string>> CatalogService::LookupValuesFromName(
    const Table& table, const std::string& name) {
  if (name.empty()) return MalformedRequest("Partition name is invalid: it is empty");
  // Each "key=value" component (split at the last '=' that leaves a value) names one key; a
  // later component wins over an earlier one with the same key.
  std::map<std::string, std::string> spec;
  for (absl::string_view component : absl::StrSplit(name, '/', absl::SkipEmpty())) {
    const std::string_view text(component.data(), component.size());
    const size_t eq = text.substr(0, text.size() - 1).rfind('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    spec[UnescapePathName(text.substr(0, eq))] = UnescapePathName(text.substr(eq + 1));
  }
  std::vector<std::string> values;
  for (const Column& key : table.partition_keys) {
    auto it = spec.find(key.name);
    if (it == spec.end()) {
      return absl::NotFoundError(absl::StrCat("Incomplete partition name '", name, "' for table ",
                                              table.database, ".", table.name, ": missing ",
                                              key.name));
    }
    values.push_back(it->second);
  }
  return values;
}

}  // namespace almanac
