#include "server/core/query_metrics.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/error_subject.h"

namespace almanac {
namespace {

// The longest metadata and progress stored; a longer value is replaced by a note, as in HMS.
constexpr size_t kMaxMetadataLength = 4000;
constexpr size_t kMaxProgressLength = 10000;
// Longer policies and message formats are refused.
constexpr size_t kMaxPolicyLength = 256;
constexpr size_t kMaxMessageFormatLength = 256;

// Applies one report to `row` as HMS does.
void ApplyReport(const ReplicationMetrics& report, ReplicationMetrics& row) {
  if (report.metadata.has_value() && !report.metadata->empty()) {
    if (report.metadata->size() > kMaxMetadataLength) {
      row.progress = absl::StrCat("RM_Metadata limit exceeded to ", report.metadata->size());
    } else {
      row.metadata = report.metadata;
    }
  }
  if (report.progress.has_value() && !report.progress->empty()) {
    if (report.progress->size() > kMaxProgressLength) {
      row.progress = absl::StrCat("RM_Progress limit exceeded to ", report.progress->size());
    } else {
      row.progress = report.progress;
    }
  }
  row.message_format = report.message_format;
}

absl::Status CheckReport(const ReplicationMetrics& report) {
  const bool too_long = report.policy.size() > kMaxPolicyLength ||
                        (report.message_format.has_value() &&
                         report.message_format->size() > kMaxMessageFormatLength);
  if (!too_long) return absl::OkStatus();
  return StoreLimit(absl::StrCat("replication metrics of scheduled execution ",
                                 report.scheduled_execution_id, ": the policy may have at most ",
                                 kMaxPolicyLength, " characters and the message format at most ",
                                 kMaxMessageFormatLength));
}

}  // namespace

QueryMetrics::QueryMetrics(Store* store, Clock clock) : store_(store), clock_(std::move(clock)) {}

absl::Status QueryMetrics::AddRuntimeStat(RuntimeStat stat) {
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    stat.create_time = clock_();
    RETURN_IF_ERROR(
        txn.DeleteRuntimeStatsBefore(stat.create_time - kRuntimeStatsMaxAgeSeconds).status());
    return txn.AddRuntimeStat(stat);
  });
}

absl::StatusOr<std::vector<RuntimeStat>> QueryMetrics::GetRuntimeStats(int32_t max_weight,
                                                                       int32_t max_create_time) {
  std::vector<RuntimeStat> stats;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    stats.clear();
    int64_t total = 0;
    return view.ListRuntimeStats(max_create_time, [&](RuntimeStat&& stat) {
      total += stat.weight;
      stats.push_back(std::move(stat));
      return max_weight < 0 || total < max_weight;
    });
  }));
  return stats;
}

absl::Status QueryMetrics::AddReplicationMetrics(const std::vector<ReplicationMetrics>& metrics) {
  for (const ReplicationMetrics& report : metrics) RETURN_IF_ERROR(CheckReport(report));
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    for (const ReplicationMetrics& report : metrics) {
      absl::StatusOr<ReplicationMetrics> row =
          txn.GetReplicationMetrics(report.scheduled_execution_id);
      if (absl::IsNotFound(row.status())) {
        row = ReplicationMetrics{};
        row->scheduled_execution_id = report.scheduled_execution_id;
        row->policy = report.policy;
        row->dump_execution_id = report.dump_execution_id;
        row->start_time = clock_();
      }
      RETURN_IF_ERROR(row.status());
      ApplyReport(report, *row);
      RETURN_IF_ERROR(txn.PutReplicationMetrics(*row));
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ReplicationMetrics>> QueryMetrics::GetReplicationMetrics(
    const std::optional<int64_t>& scheduled_execution_id,
    const std::optional<std::string>& policy) {
  std::vector<ReplicationMetrics> out;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    out.clear();
    if (scheduled_execution_id.has_value()) {
      absl::StatusOr<ReplicationMetrics> row = view.GetReplicationMetrics(*scheduled_execution_id);
      if (absl::IsNotFound(row.status())) return absl::OkStatus();
      RETURN_IF_ERROR(row.status());
      out.push_back(*std::move(row));
      return absl::OkStatus();
    }
    if (!policy.has_value() || policy->empty()) return absl::OkStatus();
    ASSIGN_OR_RETURN(out, view.ListReplicationMetricsOfPolicy(*policy));
    return absl::OkStatus();
  }));
  return out;
}

}  // namespace almanac
