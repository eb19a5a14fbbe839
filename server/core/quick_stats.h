#pragma once

// Hive Metastore's quick statistics of tables and partitions: numFiles, totalSize and
// numFilesErasureCoded (StatsSetupConst.FAST_STATS), counted from the data directory, and the
// BASIC_STATS flag of COLUMN_STATS_ACCURATE that goes with them. Each Apply* function below is
// the rule of one HMS call, as Hive 4's HMSHandler, HiveAlterHandler and MetaStoreServerUtils
// apply it; CatalogService calls them inside the transaction of that call.
//
// Only "file:" locations (and bare absolute paths) can be listed. For any other scheme the
// metastore has no file-system client: a new table or partition there is treated as created
// empty (Hive then computes nothing), and a recomputation leaves the client's numFiles and
// totalSize as they are while still applying Hive's BASIC_STATS rule.
//
// Thread-safety: stateless functions; they read the file system and change only their
// arguments.

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "server/core/catalog_service.h"
#include "storage/model.h"

namespace almanac {

inline constexpr char kNumFilesKey[] = "numFiles";
inline constexpr char kTotalSizeKey[] = "totalSize";
inline constexpr char kNumErasureCodedFilesKey[] = "numFilesErasureCoded";
// EnvironmentContext properties (and, for DO_NOT_UPDATE_STATS, a table parameter) that steer
// the rules.
inline constexpr char kDoNotUpdateStatsKey[] = "DO_NOT_UPDATE_STATS";
inline constexpr char kDoNotPopulateQuickStatsKey[] = "DO_NOT_POPULATE_QUICK_STATS";
inline constexpr char kStatsGeneratedKey[] = "STATS_GENERATED";

// What a directory holds, as Hive counts it.
struct DirectoryStats {
  int64_t num_files = 0;
  int64_t total_size = 0;  // Bytes.
};

// Lists `location` as Hive's FileUtils.getFileStatusRecurse does: recursively, skipping entries
// whose names start with '.' or '_' (hidden directories are not entered), counting files (and
// not directories) with their sizes. A location that does not exist, or any listing error,
// counts as empty. A location that is itself a file counts as that one file. Returns nullopt
// when `location` is not a "file:" location.
std::optional<DirectoryStats> ScanLocation(absl::string_view location);

// create_table: computes the stats of a new, non-view table whose directory already existed
// (HMSHandler.create_table_core, MetaStoreServerUtils.updateTableStatsForCreateTable). Must run
// before the metastore creates the directory. `auto_gather` is stats_auto_gather.
void ApplyCreateTableStats(Table& table, const CreateTableOptions& options, bool auto_gather);

// alter_table that is not a rename: recomputes the stats of an unpartitioned table unless the
// call carries DO_NOT_UPDATE_STATS=true (HiveAlterHandler.alterTable). Hive does this whatever
// its auto-gather setting.
void ApplyAlterTableStats(Table& new_table, const EnvironmentProperties& environment);

// add_partition(s) and append_partition: computes the stats of a new partition whose directory
// already existed (HMSHandler.initializeAddedPartition, append_partition_common). Must run
// before the metastore creates the directory.
void ApplyAddPartitionStats(const Table& table, Partition& part,
                            const EnvironmentProperties& environment, bool auto_gather);

// alter_partition(s): recomputes a partition's stats when Hive decides it must
// (HiveAlterHandler.alterPartition(s), MetaStoreServerUtils.requireCalStats).
void ApplyAlterPartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                              const EnvironmentProperties& environment);

// rename_partition: as alter_partition, without an EnvironmentContext. `data_location` is where
// the partition's files are when the rule runs (the old directory, before it moves).
void ApplyRenamePartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                               absl::string_view data_location);

}  // namespace almanac
