#include "server/core/quick_stats.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "server/core/stats_merge.h"
#include "storage/json.h"

namespace almanac {
namespace {

// STATS_GENERATED values: the stats come from a statistics task, or from the user.
constexpr char kGeneratedByTask[] = "TASK";
constexpr char kGeneratedByUser[] = "USER";
constexpr char kTransactionalKey[] = "transactional";
constexpr char kNumRowsKey[] = "numRows";
constexpr char kRawDataSizeKey[] = "rawDataSize";

bool IsView(const Table& table) { return table.table_type == kVirtualView; }

// Boolean.valueOf / Boolean.parseBoolean: "true" in any case.
bool ParsesTrue(const Params& params, const char* key) {
  auto it = params.find(key);
  return it != params.end() && absl::EqualsIgnoreCase(it->second, "true");
}

// StatsSetupConst.TRUE.equals(...): exactly "true".
bool IsExactlyTrue(const Params& params, const char* key) {
  auto it = params.find(key);
  return it != params.end() && it->second == "true";
}

bool ContainsAllFastStats(const Params& params) {
  return params.contains(kNumFilesKey) && params.contains(kTotalSizeKey) &&
         params.contains(kNumErasureCodedFilesKey);
}

// MetaStoreServerUtils.isFastStatsSame. A value that is not a number (where Hive would fail the
// call) counts as a difference.
bool FastStatsSame(const Params& old_params, const Params& new_params) {
  for (const char* key : {kNumFilesKey, kTotalSizeKey, kNumErasureCodedFilesKey}) {
    auto old_it = old_params.find(key);
    auto new_it = new_params.find(key);
    if (old_it == old_params.end() || new_it == new_params.end()) return false;
    int64_t old_value = 0;
    int64_t new_value = 0;
    if (!absl::SimpleAtoi(old_it->second, &old_value) ||
        !absl::SimpleAtoi(new_it->second, &new_value) || old_value != new_value) {
      return false;
    }
  }
  return true;
}

// MetaStoreServerUtils.updateBasicState: BASIC_STATS is accurate only when a statistics task
// says so; otherwise COLUMN_STATS_ACCURATE goes altogether.
void UpdateBasicState(const EnvironmentProperties& environment, Params& params) {
  auto generated = environment.find(kStatsGeneratedKey);
  SetBasicStatsState(params,
                     generated != environment.end() && generated->second == kGeneratedByTask);
}

// MetaStoreServerUtils.populateQuickStats over a listing of `location`; nothing for a location
// that cannot be listed.
void PopulateQuickStats(absl::string_view location, Params& params, DirectoryListings& listings) {
  std::optional<DirectoryStats> stats = listings.Count(location);
  if (!stats) return;
  params[kNumFilesKey] = std::to_string(stats->num_files);
  params[kTotalSizeKey] = std::to_string(stats->total_size);
  params[kNumErasureCodedFilesKey] = "0";  // A local file system has no erasure coding.
}

// MetaStoreServerUtils.requireCalStats; a null partition stands for Hive's null.
bool RequireCalStats(const Partition* old_part, const Partition* new_part, const Table& table,
                     const EnvironmentProperties& environment) {
  if (IsExactlyTrue(environment, kDoNotUpdateStatsKey) || IsView(table)) return false;
  if (old_part == nullptr && new_part == nullptr) return true;
  if (new_part == nullptr || !ContainsAllFastStats(new_part->parameters)) return true;
  auto generated = environment.find(kStatsGeneratedKey);
  if (generated != environment.end() &&
      (generated->second == kGeneratedByTask || generated->second == kGeneratedByUser)) {
    return true;
  }
  return old_part == nullptr || !FastStatsSame(old_part->parameters, new_part->parameters);
}

// MetaStoreServerUtils.updateTableStatsSlow. A DO_NOT_UPDATE_STATS table parameter is consumed
// here, as in Hive, which treats it as a per-call hint.
void UpdateTableStatsSlow(Table& table, bool new_dir, bool force,
                          const EnvironmentProperties& environment, DirectoryListings& listings) {
  Params& params = table.parameters;
  bool update = true;
  if (auto it = params.find(kDoNotUpdateStatsKey); it != params.end()) {
    update = !absl::EqualsIgnoreCase(it->second, "true");
    params.erase(it);
  }
  if (!update || new_dir || !table.partition_keys.empty()) return;
  if (!force && ContainsAllFastStats(params)) return;
  if (!IsExactlyTrue(environment, kDoNotPopulateQuickStatsKey)) {
    PopulateQuickStats(table.sd.location, params, listings);
  }
  UpdateBasicState(environment, params);
}

// MetaStoreServerUtils.updatePartitionStatsFast, listing `location`.
void UpdatePartitionStatsFast(const Table& table, Params& params, absl::string_view location,
                              bool made_dir, bool force, const EnvironmentProperties& environment,
                              bool is_create, DirectoryListings& listings) {
  if (!force && ContainsAllFastStats(params)) return;
  if (!is_create && ParsesTrue(table.parameters, kTransactionalKey)) return;
  if (made_dir) return;
  PopulateQuickStats(location, params, listings);
  UpdateBasicState(environment, params);
}

// The parsed value of Hive 4's "setStatsStateForCreateTable" (StatsSetupConst.ColumnStatsSetup).
struct StatsSetup {
  bool enabled = false;
  bool iceberg = false;
  std::vector<std::string> columns;
};

// Unreadable text means "not enabled", as in Hive.
StatsSetup ParseStatsSetup(const std::string& text) {
  StatsSetup setup;
  absl::StatusOr<json::Value> doc = json::Parse(text);
  if (!doc.ok() || doc->type() != json::Value::Type::kObject) return setup;
  setup.enabled = HiveJsonTrue(doc->Find("enabled"));
  setup.iceberg = HiveJsonTrue(doc->Find("isIcebergTable"));
  if (const json::Value* names = doc->Find("columnNames");
      names != nullptr && names->type() == json::Value::Type::kArray) {
    for (const json::Value& name : names->items()) {
      if (name.type() == json::Value::Type::kString) setup.columns.push_back(name.string_value());
    }
  }
  return setup;
}

// The STATS_FOR_CREATE_TABLE step of updateTableStatsForCreateTable: a table created empty
// starts with zero basic stats and accurate column stats (StatsSetupConst.
// setStatsStateForCreateTable). Whether a non-local directory is empty cannot be known, so only
// an Iceberg table there gets them.
void ApplyStatsSetup(Table& table, const std::string& text, DirState dir,
                     DirectoryListings& listings) {
  StatsSetup setup = ParseStatsSetup(text);
  if (!setup.enabled) return;
  const bool fresh =
      dir == DirState::kMissing || setup.iceberg ||
      (dir == DirState::kDirectory && listings.HasNoVisibleEntries(table.sd.location));
  if (!fresh) return;
  if (setup.columns.empty()) {
    for (const Column& column : table.sd.columns) setup.columns.push_back(column.name);
  }
  for (const char* key :
       {kNumFilesKey, kNumRowsKey, kTotalSizeKey, kRawDataSizeKey, kNumErasureCodedFilesKey}) {
    table.parameters[key] = "0";
  }
  SetBasicStatsState(table.parameters, true);
  RecordColumnsWithStats(table.parameters, setup.columns);
}

}  // namespace

void ApplyCreateTableStats(Table& table, const CreateTableOptions& options, bool auto_gather,
                           DirectoryListings& listings) {
  if (IsView(table)) return;
  const DirState dir = listings.Probe(table.sd.location);
  if (options.stats_setup) ApplyStatsSetup(table, *options.stats_setup, dir, listings);
  if (!auto_gather || ParsesTrue(options.environment, kDoNotUpdateStatsKey)) return;
  // A directory that does not exist yet is one Hive would create now, and so empty.
  UpdateTableStatsSlow(table, dir != DirState::kDirectory, false, options.environment, listings);
}

bool AlterTableRecountsStats(const Table& new_table, const EnvironmentProperties& environment) {
  // Hive updates a partitioned table's stats per partition instead.
  return RequireCalStats(nullptr, nullptr, new_table, environment) &&
         new_table.partition_keys.empty();
}

void ApplyAlterTableStats(Table& new_table, const EnvironmentProperties& environment,
                          DirectoryListings& listings) {
  if (!AlterTableRecountsStats(new_table, environment)) return;
  UpdateTableStatsSlow(new_table, false, true, environment, listings);
}

void ApplyAddPartitionStats(const Table& table, Partition& part,
                            const EnvironmentProperties& environment, bool auto_gather,
                            DirectoryListings& listings) {
  // HMSHandler.canUpdateStats: only the table parameter, not the call's context, opts out.
  if (!auto_gather || IsView(table) || ParsesTrue(table.parameters, kDoNotUpdateStatsKey)) return;
  const bool made_dir = listings.Probe(part.sd.location) != DirState::kDirectory;
  UpdatePartitionStatsFast(table, part.parameters, part.sd.location, made_dir, false, environment,
                           true, listings);
}

void ApplyAlterPartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                              const EnvironmentProperties& environment,
                              DirectoryListings& listings) {
  if (!RequireCalStats(&old_part, &new_part, table, environment)) return;
  if (FastStatsSame(old_part.parameters, new_part.parameters)) {
    UpdateBasicState(environment, new_part.parameters);
    return;
  }
  UpdatePartitionStatsFast(table, new_part.parameters, new_part.sd.location, false, true,
                           environment, false, listings);
}

void ApplyRenamePartitionStats(const Table& table, const Partition& old_part, Partition& new_part,
                               absl::string_view data_location, DirectoryListings& listings) {
  const EnvironmentProperties none;
  if (!RequireCalStats(&old_part, &new_part, table, none)) return;
  UpdatePartitionStatsFast(table, new_part.parameters, data_location, false, true, none, false,
                           listings);
}

}  // namespace almanac
