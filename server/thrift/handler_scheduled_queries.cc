// Scheduled queries, runtime statistics and replication metrics. The rules live in the core
// (server/core/scheduled_queries.cc, query_metrics.cc).

#include <optional>
#include <vector>

#include "server/thrift/convert.h"
#include "server/thrift/errors.h"
#include "server/thrift/handler.h"

namespace almanac::thrift_server {

using hive::AlreadyExistsException;
using hive::InvalidInputException;
using hive::InvalidOperationException;
using hive::NoSuchObjectException;

void MetastoreHandler::scheduled_query_poll(hive::ScheduledQueryPollResponse& _return,
                                            const hive::ScheduledQueryPollRequest& request) {
  Call("scheduled_query_poll", [&] {
    _return = ToWire(Unwrap<>(catalog_->scheduled_queries().Poll(request.clusterNamespace)));
  });
}

void MetastoreHandler::scheduled_query_maintenance(
    const hive::ScheduledQueryMaintenanceRequest& request) {
  Call("scheduled_query_maintenance", [&] {
    const int type = static_cast<int>(request.type);
    if (type < static_cast<int>(ScheduledQueryChange::kCreate) ||
        type > static_cast<int>(ScheduledQueryChange::kDrop)) {
      hive::MetaException e;
      e.__set_message("invalid request");
      throw e;
    }
    Check<NoSuchObjectException, AlreadyExistsException, InvalidInputException>(
        catalog_->scheduled_queries().Change(static_cast<ScheduledQueryChange>(type),
                                             ToDomain(request.scheduledQuery)));
  });
}

void MetastoreHandler::scheduled_query_progress(const hive::ScheduledQueryProgressInfo& info) {
  Call("scheduled_query_progress", [&] {
    Check<InvalidOperationException>(catalog_->scheduled_queries().Progress(ToDomain(info)));
  });
}

void MetastoreHandler::get_scheduled_query(hive::ScheduledQuery& _return,
                                           const hive::ScheduledQueryKey& scheduleKey) {
  Call("get_scheduled_query", [&] {
    _return = ToWire(Unwrap<NoSuchObjectException>(
        catalog_->scheduled_queries().Get(scheduleKey.clusterNamespace, scheduleKey.scheduleName)));
  });
}

void MetastoreHandler::add_runtime_stats(const hive::RuntimeStat& stat) {
  Call("add_runtime_stats",
       [&] { Check<>(catalog_->query_metrics().AddRuntimeStat(ToDomain(stat))); });
}

void MetastoreHandler::get_runtime_stats(std::vector<hive::RuntimeStat>& _return,
                                         const hive::GetRuntimeStatsRequest& rqst) {
  Call("get_runtime_stats", [&] {
    _return.clear();
    for (const RuntimeStat& stat :
         Unwrap<>(catalog_->query_metrics().GetRuntimeStats(rqst.maxWeight, rqst.maxCreateTime))) {
      _return.push_back(ToWire(stat));
    }
  });
}

void MetastoreHandler::add_replication_metrics(
    const hive::ReplicationMetricList& replicationMetricList) {
  Call("add_replication_metrics", [&] {
    std::vector<ReplicationMetrics> metrics;
    for (const hive::ReplicationMetrics& m : replicationMetricList.replicationMetricList) {
      metrics.push_back(ToDomain(m));
    }
    Check<>(catalog_->query_metrics().AddReplicationMetrics(metrics));
  });
}

void MetastoreHandler::get_replication_metrics(hive::ReplicationMetricList& _return,
                                               const hive::GetReplicationMetricsRequest& rqst) {
  Call("get_replication_metrics", [&] {
    const std::optional<int64_t> execution_id =
        rqst.__isset.scheduledExecutionId ? std::optional<int64_t>(rqst.scheduledExecutionId)
                                          : std::nullopt;
    const std::optional<std::string> policy =
        rqst.__isset.policy ? std::optional<std::string>(rqst.policy) : std::nullopt;
    _return.replicationMetricList.clear();
    for (const ReplicationMetrics& m :
         Unwrap<>(catalog_->query_metrics().GetReplicationMetrics(execution_id, policy))) {
      _return.replicationMetricList.push_back(ToWire(m));
    }
  });
}

}  // namespace almanac::thrift_server
