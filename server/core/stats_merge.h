#pragma once

// Merging of one column's statistics from several partitions (get_aggr_stats_for).

#include "storage/model.h"

namespace almanac {

// Folds `other` into `into` the way Hive's aggregators do without bit vectors: null counts,
// true/false counts add up; low values take the minimum and high values the maximum; distinct
// counts and lengths take the maximum. Statistics of a different kind are ignored.
void MergeColumnStats(ColumnStatsData& into, const ColumnStatsData& other);

}  // namespace almanac
