// truncate_table: empties the data directories of a table or of some of its partitions and
// resets their basic statistics, as HMSHandler.truncateTableInternal does.

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/names.h"
#include "server/core/stats_merge.h"

namespace almanac {
namespace {

// The basic statistics (StatsSetupConst.SUPPORTED_STATS) a truncate sets to zero where present.
constexpr const char* kBasicStats[] = {"numFiles", "numRows", "totalSize", "rawDataSize",
                                       "numFilesErasureCoded"};

// What HMS's updateStatsForTruncate leaves: the present basic statistics at zero, marked
// accurate, and no column marked as having accurate statistics.
void ResetStatsForTruncate(Params& params) {
  for (const char* stat : kBasicStats) {
    auto it = params.find(stat);
    if (it != params.end()) it->second.assign(1, '0');
  }
  params.erase(kColumnStatsAccurateKey);
  SetBasicStatsState(params, true);
}

// The partitions a truncate touches: those named, or all of them when no names are given.
// An unpartitioned table has none; names that match no partition are skipped, as in HMS.
absl::StatusOr<std::vector<Partition>> PartitionsToTruncate(
    ReadView& view, const Table& table,
    const std::optional<std::vector<std::string>>& partition_names) {
  std::vector<Partition> parts;
  if (table.partition_keys.empty()) return parts;
  PartitionQuery query;
  query.names = partition_names;
  RETURN_IF_ERROR(view.ListPartitions(table, query, [&](Partition&& p) {
    parts.push_back(std::move(p));
    return true;
  }));
  return parts;
}

}  // namespace

absl::Status CatalogService::TruncateTable(
    const RequestContext& ctx, const std::string& catalog, const std::string& db_in,
    const std::string& name_in, const std::optional<std::vector<std::string>>& partition_names) {
  const std::string db = NormalizeName(db_in);
  const std::string name = NormalizeName(name_in);
  // The directories to empty, read first: as in HMS, the data goes before the statistics change.
  std::vector<std::string> locations;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    ASSIGN_OR_RETURN(Table table, ReadTable(view, catalog, db, name));
    if (table.table_type == kVirtualView) {
      return absl::FailedPreconditionError(absl::StrCat("Cannot truncate ", table.database, ".",
                                                        table.name, ": a view holds no data"));
    }
    if (table.partition_keys.empty()) {
      if (!partition_names.has_value()) locations.push_back(table.sd.location);
      return absl::OkStatus();
    }
    ASSIGN_OR_RETURN(std::vector<Partition> parts,
                     PartitionsToTruncate(view, table, partition_names));
    for (const Partition& part : parts) locations.push_back(part.sd.location);
    return absl::OkStatus();
  }));
  // Refuse before deleting anything rather than leave some of the data in place.
  for (const std::string& location : locations) RETURN_IF_ERROR(guard_.CheckEmptiable(location));
  for (const std::string& location : locations) RETURN_IF_ERROR(guard_.EmptyDirectory(location));
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Table table, ReadTable(txn, catalog, db, name));
    if (table.partition_keys.empty()) {
      if (partition_names.has_value()) return absl::OkStatus();
      ResetStatsForTruncate(table.parameters);
      RETURN_IF_ERROR(txn.UpdateTable(table.id, table));
      return RecordTableChange(txn, ctx, "ALTER_TABLE", "TRUNCATE", table);
    }
    ASSIGN_OR_RETURN(std::vector<Partition> parts,
                     PartitionsToTruncate(txn, table, partition_names));
    for (Partition& part : parts) {
      ResetStatsForTruncate(part.parameters);
      RETURN_IF_ERROR(txn.UpdatePartition(table, part.values, part));
    }
    return RecordEvent(txn, ctx, "ALTER_PARTITION", table.catalog, table.database, table.name,
                       absl::StrCat("truncated ", parts.size(), " partitions"))
        .status();
  });
}

}  // namespace almanac
