#pragma once

// ScheduledQueries: HMS's scheduled-query service. Hive's HiveServer2 instances register queries
// with a Quartz cron schedule (scheduled_query_maintenance), poll for the next due query of their
// cluster namespace (scheduled_query_poll), and report the progress of each execution they
// started (scheduled_query_progress).
//
// A poll hands a due query to exactly one caller: in one write transaction it picks the enabled
// query of the namespace due first that has no active execution, creates an INITED execution,
// makes it the query's active one and moves the query's next execution to its schedule's next
// fire time after now. The execution stays active until it is reported FINISHED, FAILED or
// TIMED_OUT; an active execution without a progress report for kExecutionTimeoutSeconds is
// marked TIMED_OUT by the next poll or progress call, and finished executions are kept for
// kExecutionRetentionSeconds.
//
// Thread-safety: safe to call from many threads at once (all state lives in the Store).
// Ownership: does not own the Store; it must outlive this object.
//
// Status codes: NotFound for a missing query or execution; AlreadyExists for a duplicate;
// InvalidArgument for an invalid schedule ("Invalid QUARTZ schedule expression: '<s>'");
// FailedPrecondition for a progress report that is not a legal state change; values longer than
// HMS's backing database holds, and malformed requests, are tagged with an ErrorSubject
// (kStoreLimit, kMalformedRequest).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/store.h"

namespace almanac {

// What a scheduled_query_maintenance request does; the values are HMS's.
enum class ScheduledQueryChange { kCreate = 1, kAlter = 2, kDrop = 3 };

// A due query handed out by Poll.
struct PolledQuery {
  std::string name;
  std::string cluster_namespace;
  int64_t execution_id = 0;
  std::string query;  // The query text, prefixed with a comment naming the schedule.
  std::string user;
};

// A progress report of one execution.
struct ScheduledQueryProgress {
  int64_t execution_id = 0;
  QueryState state = QueryState::kInited;
  std::optional<std::string> executor_query_id;
  std::optional<std::string> error_message;
};

class ScheduledQueries {
 public:
  using Clock = std::function<int64_t()>;  // Seconds since the epoch.

  // How long an active execution may go without a progress report before it times out.
  static constexpr int64_t kExecutionTimeoutSeconds = 120;
  // How long finished executions are kept.
  static constexpr int64_t kExecutionRetentionSeconds = 30 * 24 * 3600;

  ScheduledQueries(Store* store, Clock clock);
  ScheduledQueries(const ScheduledQueries&) = delete;
  ScheduledQueries& operator=(const ScheduledQueries&) = delete;

  // Creates, alters or drops `query`, identified by its namespace and name. Create and alter
  // store the query with its next execution computed from its schedule (an alter that sets
  // query.next_execution keeps that instead). NotFound "Scheduled query with name: <n>@<ns>
  // doesn't exists." for an alter or drop of a missing query; AlreadyExists "Scheduled query
  // with name: <n>@<ns> already exists." for a create.
  absl::Status Change(ScheduledQueryChange change, const ScheduledQuery& query);
  // NotFound "There is no scheduled query for: <n>@<ns>".
  absl::StatusOr<ScheduledQuery> Get(const std::string& cluster_namespace, const std::string& name);
  // The due query handed to this caller, or nullopt if none of the namespace is due.
  absl::StatusOr<std::optional<PolledQuery>> Poll(const std::string& cluster_namespace);
  // Records a progress report. NotFound for an unknown execution; FailedPrecondition "Invalid
  // state change: <from>=><to>" or "invalid state: AUTO_DISABLED".
  absl::Status Progress(const ScheduledQueryProgress& progress);

 private:
  // Marks stale active executions TIMED_OUT and purges old finished ones, inside `txn`.
  absl::Status Expire(WriteTxn& txn, int64_t now);
  // Ends `execution` in `state` at `now` and clears its query's active execution.
  absl::Status EndExecution(WriteTxn& txn, ScheduledExecution& execution, QueryState state,
                            int64_t now);

  Store* store_;  // Not owned.
  Clock clock_;
};

// The name HMS gives a query state ("INITED", "EXECUTING", ...).
const char* QueryStateName(QueryState state);

}  // namespace almanac
