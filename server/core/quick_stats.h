#pragma once

// Hive Metastore's quick statistics of tables and partitions: numFiles, totalSize and
// numFilesErasureCoded (StatsSetupConst.FAST_STATS), counted from the data directory, and the
// BASIC_STATS flag of COLUMN_STATS_ACCURATE that goes with them. Each Apply* function below is
// the rule of one HMS call, as Hive 4's HMSHandler, HiveAlterHandler and MetaStoreServerUtils
// apply it. CatalogService runs each twice: on drafts before the call's write transaction,
// where `listings` lists the directories the rule needs, and then inside the transaction over
// the frozen listings (server/core/directory_listings.h).
//
// Only "file:" locations (and bare absolute paths) under the allowed roots can be listed. For
// any other location the metastore does not look: a new table or partition there is treated as
// created empty (Hive then computes nothing), and a recomputation leaves the client's numFiles
// and totalSize as they are while still applying Hive's BASIC_STATS rule. A directory whose
// listing ran out of budget gets no new numbers either, and the BASIC_STATS rule still applies.
//
// Thread-safety: stateless functions; they change only their arguments and `listings`.

#include "absl/strings/string_view.h"
#include "server/core/catalog_service.h"
#include "server/core/directory_listings.h"
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

// create_table: computes the stats of a new, non-view table whose directory already existed
// (HMSHandler.create_table_core, MetaStoreServerUtils.updateTableStatsForCreateTable). Must run
// before the metastore creates the directory. `auto_gather` is stats_auto_gather.
void ApplyCreateTableStats(Table& table, const CreateTableOptions& options, bool auto_gather,
                           DirectoryListings& listings);

// alter_table that is not a rename: recomputes the stats of an unpartitioned table unless the
// call carries DO_NOT_UPDATE_STATS=true (HiveAlterHandler.alterTable). Hive does this whatever
// its auto-gather setting.
// Whether ApplyAlterTableStats recounts `new_table`'s directory (HMS then needs its location).
bool AlterTableRecountsStats(const Table& new_table, const EnvironmentProperties& environment);
void ApplyAlterTableStats(Table& new_table, const EnvironmentProperties& environment,
                          DirectoryListings& listings);

// add_partition(s) and append_partition: computes the stats of a new partition whose directory
// already existed (HMSHandler.initializeAddedPartition, append_partition_common). Must run
// before the metastore creates the directory.
void ApplyAddPartitionStats(const Table& table, Partition& part,
                            const EnvironmentProperties& environment, bool auto_gather,
                            DirectoryListings& listings);

// alter_partition(s): recomputes a partition's stats when Hive decides it must
// (HiveAlterHandler.alterPartition(s), MetaStoreServerUtils.requireCalStats).
void ApplyAlterPartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                              const EnvironmentProperties& environment,
                              DirectoryListings& listings);

// rename_partition: as alter_partition, without an EnvironmentContext. `data_location` is where
// the partition's files are when the rule runs (the old directory, before it moves).
void ApplyRenamePartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                               absl::string_view data_location, DirectoryListings& listings);

}  // namespace almanac
