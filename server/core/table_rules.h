#pragma once

// Hive's rules for table definitions, used by CatalogService's table and partition methods.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "server/core/catalog_service.h"
#include "storage/model.h"
#include "storage/store.h"

namespace almanac {

inline constexpr char kDdlTimeKey[] = "transient_lastDdlTime";

// Lower-cases names, validates them (InvalidArgument), and normalises the table type the way
// Hive's object store does: MANAGED_TABLE with EXTERNAL=TRUE becomes EXTERNAL_TABLE, and
// EXTERNAL_TABLE without it becomes MANAGED_TABLE. An empty type means MANAGED_TABLE.
absl::Status NormalizeTableDefinition(Table& table);

// Hive's compare-and-swap of an alter (EnvironmentContext expected_parameter_key/value), with
// Hive's exact messages, both Aborted: "New value for expected key ... is not set" when the new
// table lacks the key, and "The table has been modified..." when the stored table's parameter
// differs from the expected value.
absl::Status CheckExpectedParameter(const Table& old_table, const Table& new_table,
                                    const AlterTableOptions& options);

// FailedPrecondition "partition keys can not be changed." when `new_table` renames, adds or
// removes a partition key (types and comments may change), unless the table is a view or the
// call's EnvironmentContext says allow_partition_key_change=true (HiveAlterHandler).
absl::Status CheckAlterAllowed(const Table& old_table, const Table& new_table,
                               const AlterTableOptions& options);

// For a rename: checks the target database exists and, for a managed table whose data sits at
// its default location, points `new_table` at the new default location and returns the
// (old, new) directories to move. Returns nullopt when nothing moves.
absl::StatusOr<std::optional<std::pair<std::string, std::string>>> PlanRenameMove(
    WriteTxn& txn, const Table& old_table, Table& new_table);

// Copies the table's column list into every partition (alter_table with cascade).
absl::Status CascadeColumns(WriteTxn& txn, const Table& table);

// Whether dropping the table with deleteData removes its files: managed tables, and external
// tables with external.table.purge=true.
bool ShouldDeleteData(const Table& table);

// Checks the projection of get_table_objects_by_name_req as HMS does (TableFields,
// HMSHandler): FailedPrecondition "Include and Exclude Param key are not supported." for
// parameter-key patterns without a field list, and InvalidArgument tagged kMalformedRequest for
// a field HMS does not know. Tables are returned whole whatever the fields.
absl::Status CheckTableProjection(const std::optional<std::vector<std::string>>& fields,
                                  bool has_param_key_pattern);

}  // namespace almanac
