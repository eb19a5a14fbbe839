// Runtime statistics and replication metrics (see migrations.cc, version 5).

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

constexpr char kSqlListRuntimeStats[] =
    "SELECT stat_id, weight, payload, create_time FROM runtime_stats "
    "ORDER BY create_time DESC, stat_id DESC";
constexpr char kSqlListRuntimeStatsBefore[] =
    "SELECT stat_id, weight, payload, create_time FROM runtime_stats WHERE create_time < ? "
    "ORDER BY create_time DESC, stat_id DESC";
constexpr char kSqlInsertRuntimeStat[] =
    "INSERT INTO runtime_stats(weight, payload, create_time) VALUES (?, ?, ?)";
constexpr char kSqlDeleteRuntimeStatsBefore[] = "DELETE FROM runtime_stats WHERE create_time < ?";

#define ALMANAC_METRICS_COLUMNS                                                             \
  "scheduled_execution_id, policy, dump_execution_id, metadata, progress, message_format, " \
  "start_time"

constexpr char kSqlSelectMetrics[] =
    "SELECT " ALMANAC_METRICS_COLUMNS " FROM replication_metrics WHERE scheduled_execution_id = ?";
constexpr char kSqlListMetricsOfPolicy[] =
    "SELECT " ALMANAC_METRICS_COLUMNS
    " FROM replication_metrics WHERE policy = ? ORDER BY scheduled_execution_id DESC";
constexpr char kSqlPutMetrics[] =
    "INSERT OR REPLACE INTO replication_metrics(" ALMANAC_METRICS_COLUMNS
    ") VALUES (?, ?, ?, ?, ?, ?, ?)";

#undef ALMANAC_METRICS_COLUMNS

ReplicationMetrics ReadMetrics(const Statement& stmt) {
  ReplicationMetrics m;
  m.scheduled_execution_id = stmt.ColumnInt64(0);
  m.policy = stmt.ColumnText(1);
  m.dump_execution_id = stmt.ColumnInt64(2);
  m.metadata = stmt.ColumnOptionalText(3);
  m.progress = stmt.ColumnOptionalText(4);
  m.message_format = stmt.ColumnOptionalText(5);
  m.start_time = stmt.ColumnInt64(6);
  return m;
}

}  // namespace

absl::Status SqliteTxn::ListRuntimeStats(int64_t before,
                                         const std::function<bool(RuntimeStat&&)>& visit) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(before > 0 ? kSqlListRuntimeStatsBefore
                                                                        : kSqlListRuntimeStats));
  if (before > 0) stmt.BindInt64(0, before);
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return absl::OkStatus();
    RuntimeStat stat;
    stat.id = stmt.ColumnInt64(0);
    stat.weight = stmt.ColumnInt(1);
    stat.payload = stmt.ColumnBlob(2);
    stat.create_time = stmt.ColumnInt64(3);
    if (!visit(std::move(stat))) return absl::OkStatus();
  }
}

absl::Status SqliteTxn::AddRuntimeStat(const RuntimeStat& stat) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertRuntimeStat));
  stmt.BindInt64(0, stat.weight);
  stmt.BindBlob(1, stat.payload);
  stmt.BindInt64(2, stat.create_time);
  return stmt.Run();
}

absl::StatusOr<int64_t> SqliteTxn::DeleteRuntimeStatsBefore(int64_t cutoff) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteRuntimeStatsBefore));
  stmt.BindInt64(0, cutoff);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes();
}

absl::StatusOr<std::vector<ReplicationMetrics>> SqliteTxn::ListReplicationMetricsOfPolicy(
    const std::string& policy) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlListMetricsOfPolicy));
  stmt.BindText(0, policy);
  std::vector<ReplicationMetrics> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadMetrics(stmt));
  }
}

absl::StatusOr<ReplicationMetrics> SqliteTxn::GetReplicationMetrics(
    int64_t scheduled_execution_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectMetrics));
  stmt.BindInt64(0, scheduled_execution_id);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("no replication metrics for scheduled execution ", scheduled_execution_id));
  }
  return ReadMetrics(stmt);
}

absl::Status SqliteTxn::PutReplicationMetrics(const ReplicationMetrics& metrics) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlPutMetrics));
  stmt.BindInt64(0, metrics.scheduled_execution_id);
  stmt.BindText(1, metrics.policy);
  stmt.BindInt64(2, metrics.dump_execution_id);
  stmt.BindOptionalText(3, metrics.metadata);
  stmt.BindOptionalText(4, metrics.progress);
  stmt.BindOptionalText(5, metrics.message_format);
  stmt.BindInt64(6, metrics.start_time);
  return stmt.Run();
}

}  // namespace almanac::sqlite
