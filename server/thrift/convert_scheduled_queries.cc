// Conversions of scheduled queries, runtime statistics and replication metrics.

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

#include "server/thrift/convert.h"

namespace almanac::thrift_server {

ScheduledQuery ToDomain(const hive::ScheduledQuery& in) {
  ScheduledQuery out;
  out.name = in.scheduleKey.scheduleName;
  out.cluster_namespace = in.scheduleKey.clusterNamespace;
  // HMS reads an unset flag as false.
  out.enabled = in.__isset.enabled && in.enabled;
  out.schedule = in.schedule;
  out.user = in.user;
  out.query = in.query;
  if (in.__isset.nextExecution) out.next_execution = in.nextExecution;
  return out;
}

hive::ScheduledQuery ToWire(const ScheduledQuery& in) {
  hive::ScheduledQuery out;
  out.scheduleKey.scheduleName = in.name;
  out.scheduleKey.clusterNamespace = in.cluster_namespace;
  out.__set_enabled(in.enabled);
  out.__set_schedule(in.schedule);
  out.__set_user(in.user);
  out.__set_query(in.query);
  if (in.next_execution.has_value()) {
    // The wire field is 32 bits: a fire time after January 2038 is sent as the largest value
    // rather than wrapped into the past. The store keeps the real time.
    out.__set_nextExecution(static_cast<int32_t>(
        std::min<int64_t>(*in.next_execution, std::numeric_limits<int32_t>::max())));
  }
  return out;
}

hive::ScheduledQueryPollResponse ToWire(const std::optional<PolledQuery>& in) {
  hive::ScheduledQueryPollResponse out;
  if (!in.has_value()) return out;
  hive::ScheduledQueryKey key;
  key.scheduleName = in->name;
  key.clusterNamespace = in->cluster_namespace;
  out.__set_scheduleKey(key);
  out.__set_executionId(in->execution_id);
  out.__set_query(in->query);
  out.__set_user(in->user);
  return out;
}

ScheduledQueryProgress ToDomain(const hive::ScheduledQueryProgressInfo& in) {
  ScheduledQueryProgress out;
  out.execution_id = in.scheduledExecutionId;
  out.state = static_cast<QueryState>(in.state);
  out.executor_query_id = in.executorQueryId;
  if (in.__isset.errorMessage) out.error_message = in.errorMessage;
  return out;
}

RuntimeStat ToDomain(const hive::RuntimeStat& in) {
  RuntimeStat out;
  out.weight = in.weight;
  out.payload = in.payload;
  return out;
}

hive::RuntimeStat ToWire(const RuntimeStat& in) {
  hive::RuntimeStat out;
  out.__set_createTime(static_cast<int32_t>(in.create_time));
  out.weight = in.weight;
  out.payload = in.payload;
  return out;
}

ReplicationMetrics ToDomain(const hive::ReplicationMetrics& in) {
  ReplicationMetrics out;
  out.scheduled_execution_id = in.scheduledExecutionId;
  out.policy = in.policy;
  out.dump_execution_id = in.dumpExecutionId;
  if (in.__isset.metadata) out.metadata = in.metadata;
  if (in.__isset.progress) out.progress = in.progress;
  if (in.__isset.messageFormat) out.message_format = in.messageFormat;
  return out;
}

hive::ReplicationMetrics ToWire(const ReplicationMetrics& in) {
  hive::ReplicationMetrics out;
  out.scheduledExecutionId = in.scheduled_execution_id;
  out.policy = in.policy;
  out.dumpExecutionId = in.dump_execution_id;
  if (in.metadata.has_value()) out.__set_metadata(*in.metadata);
  if (in.progress.has_value()) out.__set_progress(*in.progress);
  if (in.message_format.has_value()) out.__set_messageFormat(*in.message_format);
  return out;
}

}  // namespace almanac::thrift_server
