#include "server/core/table_rules.h"
#include "absl/strings/string_view.h"

#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "server/core/error_subject.h"
#include "server/core/locations.h"
#include "server/core/names.h"
#include "server/core/validation.h"

namespace almanac {
namespace {

absl::Status NormalizeColumns(std::vector<Column>& columns, std::set<std::string>& seen,
                              const std::string& table) {
  for (Column& column : columns) {
    column.name = NormalizeName(column.name);
    if (column.name.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid column name: a column of table ", table, " has an empty name"));
    }
    if (column.type.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Invalid column type: column ", column.name, " has no type"));
    }
    if (!seen.insert(column.name).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("Duplicate column name ", column.name, " in table ", table));
    }
  }
  return absl::OkStatus();
}

bool IsTrue(const Params& params, const std::string& key) {
  auto it = params.find(key);
  return it != params.end() && absl::EqualsIgnoreCase(it->second, "true");
}

}  // namespace

absl::Status NormalizeTableDefinition(Table& table) {
  table.catalog = NormalizeName(table.catalog.empty() ? kDefaultCatalog : table.catalog);
  table.database = NormalizeName(table.database);
  table.name = NormalizeName(table.name);
  std::set<std::string> seen;
  RETURN_IF_ERROR(NormalizeColumns(table.sd.columns, seen, table.name));
  RETURN_IF_ERROR(NormalizeColumns(table.partition_keys, seen, table.name));
  RETURN_IF_ERROR(ValidateTableFields(table));
  if (table.table_type.empty()) table.table_type = kManagedTable;
  const bool external_flag = IsTrue(table.parameters, "EXTERNAL");
  if (table.table_type == kManagedTable && external_flag) {
    table.table_type = kExternalTable;
  } else if (table.table_type == kExternalTable && !external_flag) {
    table.table_type = kManagedTable;
  }
  if (!table.sd.location.empty()) table.sd.location = NormalizeLocation(table.sd.location);
  return absl::OkStatus();
}

absl::Status CheckExpectedParameter(const Table& old_table, const Table& new_table,
                                    const AlterTableOptions& options) {
  if (!options.expected_key.has_value() || !options.expected_value.has_value()) {
    return absl::OkStatus();
  }
  if (!new_table.parameters.contains(*options.expected_key)) {
    return absl::AbortedError(
        absl::StrCat("New value for expected key ", *options.expected_key, " is not set"));
  }
  auto it = old_table.parameters.find(*options.expected_key);
  const std::string current = it == old_table.parameters.end() ? "null" : it->second;
  if (it != old_table.parameters.end() && it->second == *options.expected_value) {
    return absl::OkStatus();
  }
  return absl::AbortedError(absl::StrCat(
      "The table has been modified. The parameter value for key '", *options.expected_key, "' is '",
      current, "'. The expected was value was '", *options.expected_value, "'"));
}

absl::Status CheckAlterAllowed(const Table& old_table, const Table& new_table,
                               const AlterTableOptions& options) {
  if (old_table.table_type == kVirtualView) return absl::OkStatus();
  if (IsTrue(options.environment, "allow_partition_key_change")) return absl::OkStatus();
  // A key's type and comment may change; its name and the number of keys may not.
  bool same = old_table.partition_keys.size() == new_table.partition_keys.size();
  for (size_t i = 0; same && i < old_table.partition_keys.size(); ++i) {
    same = old_table.partition_keys[i].name == new_table.partition_keys[i].name;
  }
  if (!same) return absl::FailedPreconditionError("partition keys can not be changed.");
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::pair<std::string, std::string>>> PlanRenameMove(
    WriteTxn& txn, const Table& old_table, Table& new_table) {
  absl::StatusOr<Database> old_db = txn.GetDatabase(old_table.catalog, old_table.database);
  RETURN_IF_ERROR(old_db.status());
  absl::StatusOr<Database> new_db = txn.GetDatabase(new_table.catalog, new_table.database);
  if (absl::IsNotFound(new_db.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat("Unable to change partition or table. Database ", new_table.database,
                     " does not exist Check metastore logs for detailed stack."));
  }
  RETURN_IF_ERROR(new_db.status());
  const std::string old_default =
      JoinLocation(old_db->location, TableDirectoryName(old_table.name));
  if (old_table.table_type != kManagedTable || old_table.sd.location != old_default ||
      (new_table.sd.location != old_table.sd.location && !new_table.sd.location.empty())) {
    return std::optional<std::pair<std::string, std::string>>();
  }
  new_table.sd.location = JoinLocation(new_db->location, TableDirectoryName(new_table.name));
  return std::make_optional(std::make_pair(old_table.sd.location, new_table.sd.location));
}

absl::Status CascadeColumns(WriteTxn& txn, const Table& table) {
  std::vector<Partition> parts;
  RETURN_IF_ERROR(txn.ListPartitions(table, PartitionQuery{}, [&](Partition&& p) {
    parts.push_back(std::move(p));
    return true;
  }));
  for (Partition& part : parts) {
    part.sd.columns = table.sd.columns;
    RETURN_IF_ERROR(txn.UpdatePartition(table, part.values, part));
  }
  return absl::OkStatus();
}

absl::Status CheckTableProjection(const std::optional<std::vector<std::string>>& fields,
                                  bool has_param_key_pattern) {
  if (!fields.has_value()) {
    if (!has_param_key_pattern) return absl::OkStatus();
    return absl::FailedPreconditionError("Include and Exclude Param key are not supported.");
  }
  static const absl::flat_hash_set<std::string>* const kFields =
      new absl::flat_hash_set<std::string>({
          "id",
          "tableName",
          "dbName",
          "owner",
          "ownerType",
          "createTime",
          "lastAccessTime",
          "retention",
          "sd.location",
          "sd.inputFormat",
          "sd.outputFormat",
          "sd.compressed",
          "sd.numBuckets",
          "sd.serdeInfo.name",
          "sd.serdeInfo.serializationLib",
          "sd.serdeInfo.description",
          "sd.serdeInfo.serializerClass",
          "sd.serdeInfo.deserializerClass",
          "sd.serdeInfo.serdeType",
          "sd.storedAsSubDirectories",
          "viewOriginalText",
          "viewExpandedText",
          "rewriteEnabled",
          "tableType",
          "writeId",
          "values",
          "sd.cols.name",
          "sd.cols.type",
          "sd.cols.comment",
          "sd.serdeInfo.parameters",
          "sd.bucketCols",
          "sd.sortCols.col",
          "sd.sortCols.order",
          "sd.parameters",
          "sd.skewedInfo.skewedColNames",
          "sd.skewedInfo.skewedColValues",
          "sd.skewedInfo.skewedColValueLocationMaps",
          "partitionKeys.name",
          "partitionKeys.type",
          "partitionKeys.comment",
          "parameters",
      });
  std::vector<std::string> unknown;
  for (const std::string& field : *fields) {
    if (!kFields->contains(field)) unknown.push_back(field);
  }
  if (unknown.empty()) return absl::OkStatus();
  return WithSubject(
      absl::InvalidArgumentError(absl::StrCat("Invalid table fields in the projection spec [",
                                              absl::StrJoin(unknown, ", "), "]")),
      ErrorSubject::kMalformedRequest);
}

bool ShouldDeleteData(const Table& table) {
  if (table.table_type == kManagedTable) return true;
  return table.table_type == kExternalTable && IsTrue(table.parameters, "external.table.purge");
}

}  // namespace almanac
