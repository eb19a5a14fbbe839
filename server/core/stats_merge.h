#pragma once

// Merging of one column's statistics from several partitions (get_aggr_stats_for), and the
// parameter in which Hive records which columns of a table or partition have statistics.

#include <string>
#include <vector>

#include "storage/json.h"
#include "storage/model.h"

namespace almanac {

// Folds `other` into `into` the way Hive's aggregators do without bit vectors: null counts,
// true/false counts add up; low values take the minimum and high values the maximum; distinct
// counts and lengths take the maximum. Statistics of a different kind are ignored.
void MergeColumnStats(ColumnStatsData& into, const ColumnStatsData& other);

// Hive's COLUMN_STATS_ACCURATE parameter (StatsSetupConst): a JSON object such as
// {"BASIC_STATS":"true","COLUMN_STATS":{"id":"true","name":"true"}}. Hive Metastore adds the
// columns of every statistics update to it; Hive's planner uses only the column statistics it
// lists, and Hive 4's get_table_req returns only those.
inline constexpr char kColumnStatsAccurateKey[] = "COLUMN_STATS_ACCURATE";

// Adds `columns` to the COLUMN_STATS_ACCURATE of `params` as StatsSetupConst.setColumnStatsState
// does: columns already listed and BASIC_STATS stay; a value that is not such an object (Hive
// 1's plain "true") counts as BASIC_STATS alone. Columns are written in name order.
void RecordColumnsWithStats(Params& params, const std::vector<std::string>& columns);

// Sets the BASIC_STATS flag of COLUMN_STATS_ACCURATE as StatsSetupConst.setBasicStatsState does:
// `accurate` adds "BASIC_STATS":"true" and keeps the columns listed; otherwise the whole
// parameter is removed, column flags included.
void SetBasicStatsState(Params& params, bool accurate);

// A boolean in one of Hive's stats JSON documents: Hive writes the strings "true"/"false" (any
// case is read); a JSON boolean is read too. A missing value (null) is false.
bool HiveJsonTrue(const json::Value* value);

// The columns that the COLUMN_STATS_ACCURATE of `params` lists as having statistics, in name
// order (StatsSetupConst.getColumnsHavingStats).
std::vector<std::string> ColumnsWithStats(const Params& params);

}  // namespace almanac
