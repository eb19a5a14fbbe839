#pragma once

// QueryMetrics: what query engines store in HMS about their runs. Runtime statistics
// (add_runtime_stats / get_runtime_stats) are opaque payloads Hive's planner reads back to
// re-plan queries; replication metrics (add_replication_metrics / get_replication_metrics)
// record the progress of Hive's replication policies, one row per scheduled execution.
//
// Thread-safety: safe to call from many threads at once (all state lives in the Store).
// Ownership: does not own the Store; it must outlive this object.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/store.h"

namespace almanac {

class QueryMetrics {
 public:
  using Clock = std::function<int64_t()>;  // Seconds since the epoch.

  // Runtime statistics older than this are purged as new ones arrive.
  static constexpr int64_t kRuntimeStatsMaxAgeSeconds = 3 * 24 * 3600;

  QueryMetrics(Store* store, Clock clock);
  QueryMetrics(const QueryMetrics&) = delete;
  QueryMetrics& operator=(const QueryMetrics&) = delete;

  // Stores `stat` with the current time as its create time.
  absl::Status AddRuntimeStat(RuntimeStat stat);
  // The newest statistics created before `max_create_time` (any time if it is not positive),
  // newest first, until their weights add up to `max_weight` (no limit if it is negative).
  absl::StatusOr<std::vector<RuntimeStat>> GetRuntimeStats(int32_t max_weight,
                                                           int32_t max_create_time);

  // Records each entry: a new scheduled execution id starts a row (with the current time);
  // for a known one, metadata and progress are replaced when given and the message format
  // always. A value longer than its column is not stored; the progress then says so.
  absl::Status AddReplicationMetrics(const std::vector<ReplicationMetrics>& metrics);
  // The metrics of one scheduled execution if `scheduled_execution_id` is set, else those of
  // `policy` (newest execution first), else none.
  absl::StatusOr<std::vector<ReplicationMetrics>> GetReplicationMetrics(
      const std::optional<int64_t>& scheduled_execution_id,
      const std::optional<std::string>& policy);

 private:
  Store* store_;  // Not owned.
  Clock clock_;
};

}  // namespace almanac
