#include "server/core/scheduled_queries.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/cron.h"
#include "server/core/error_subject.h"

namespace almanac {
namespace {

// The widths of HMS's backing columns (SCHEDULED_QUERIES, SCHEDULED_EXECUTIONS).
constexpr size_t kMaxKeyLength = 256;
constexpr size_t kMaxUserLength = 128;
constexpr size_t kMaxScheduleLength = 256;
constexpr size_t kMaxQueryLength = 4000;
constexpr size_t kMaxExecutorQueryIdLength = 256;
// Longer error messages are cut to their first line, abbreviated to this length.
constexpr size_t kMaxErrorMessageLength = 1000;

std::string KeyRef(const std::string& cluster_namespace, const std::string& name) {
  return absl::StrCat(name, "@", cluster_namespace);
}

absl::Status CheckLength(const char* what, const std::string& value, size_t max) {
  if (value.size() <= max) return absl::OkStatus();
  return StoreLimit(absl::StrCat("the ", what, " of a scheduled query is ", value.size(),
                                 " characters long; at most ", max, " are allowed"));
}

absl::Status CheckKey(const std::string& cluster_namespace, const std::string& name) {
  if (name.empty() || cluster_namespace.empty()) {
    return WithSubject(absl::InvalidArgumentError(
                           "a scheduled query needs a schedule name and a cluster namespace"),
                       ErrorSubject::kMalformedRequest);
  }
  RETURN_IF_ERROR(CheckLength("name", name, kMaxKeyLength));
  return CheckLength("cluster namespace", cluster_namespace, kMaxKeyLength);
}

// Checks what a create or alter stores.
absl::Status CheckDefinition(const ScheduledQuery& query) {
  RETURN_IF_ERROR(CheckLength("user", query.user, kMaxUserLength));
  RETURN_IF_ERROR(CheckLength("schedule", query.schedule, kMaxScheduleLength));
  return CheckLength("query", query.query, kMaxQueryLength);
}

// The schedule's next fire time after `now`; InvalidArgument in HMS's words if it is invalid.
absl::StatusOr<std::optional<int64_t>> NextExecution(const std::string& schedule, int64_t now) {
  absl::StatusOr<CronSchedule> cron = CronSchedule::Parse(schedule);
  if (!cron.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("Invalid QUARTZ schedule expression: '",
                                                   schedule, "' (", cron.status().message(), ")"));
  }
  return cron->NextAfter(now);
}

std::string AbbreviateErrorMessage(const std::string& message) {
  if (message.size() < kMaxErrorMessageLength) return message;
  std::string first_line = message.substr(0, message.find('\n'));
  if (first_line.size() <= kMaxErrorMessageLength) return first_line;
  return first_line.substr(0, kMaxErrorMessageLength - 3) + "...";
}

// Whether HMS allows an execution in state `from` to be reported in state `to`.
bool IsLegalChange(QueryState from, QueryState to) {
  switch (from) {
    case QueryState::kInited:
      return to != QueryState::kInited;
    case QueryState::kExecuting:
      return to == QueryState::kExecuting || to == QueryState::kFinished ||
             to == QueryState::kFailed || to == QueryState::kTimedOut;
    default:
      return false;
  }
}

}  // namespace

const char* QueryStateName(QueryState state) {
  switch (state) {
    case QueryState::kInited:
      return "INITED";
    case QueryState::kExecuting:
      return "EXECUTING";
    case QueryState::kFailed:
      return "FAILED";
    case QueryState::kFinished:
      return "FINISHED";
    case QueryState::kTimedOut:
      return "TIMED_OUT";
    case QueryState::kAutoDisabled:
      return "AUTO_DISABLED";
  }
  return "UNKNOWN";
}

ScheduledQueries::ScheduledQueries(Store* store, Clock clock)
    : store_(store), clock_(std::move(clock)) {}

absl::Status ScheduledQueries::Change(ScheduledQueryChange change, const ScheduledQuery& query) {
  RETURN_IF_ERROR(CheckKey(query.cluster_namespace, query.name));
  const std::string ref = KeyRef(query.cluster_namespace, query.name);
  if (change != ScheduledQueryChange::kDrop) RETURN_IF_ERROR(CheckDefinition(query));
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    absl::StatusOr<ScheduledQuery> stored =
        txn.GetScheduledQuery(query.cluster_namespace, query.name);
    if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
    if (change == ScheduledQueryChange::kCreate && stored.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("Scheduled query with name: ", ref, " already exists."));
    }
    if (change != ScheduledQueryChange::kCreate && !stored.ok()) {
      return absl::NotFoundError(
          absl::StrCat("Scheduled query with name: ", ref, " doesn't exists."));
    }
    if (change == ScheduledQueryChange::kDrop) return txn.DeleteScheduledQuery(stored->id);

    ScheduledQuery next = query;
    if (change == ScheduledQueryChange::kCreate || !query.next_execution.has_value()) {
      ASSIGN_OR_RETURN(next.next_execution, NextExecution(query.schedule, clock_()));
    }
    if (change == ScheduledQueryChange::kCreate) {
      next.active_execution_id = 0;
      return txn.CreateScheduledQuery(next).status();
    }
    next.id = stored->id;
    next.active_execution_id = stored->active_execution_id;
    return txn.UpdateScheduledQuery(next);
  });
}

absl::StatusOr<ScheduledQuery> ScheduledQueries::Get(const std::string& cluster_namespace,
                                                     const std::string& name) {
  RETURN_IF_ERROR(CheckKey(cluster_namespace, name));
  ScheduledQuery query;
  RETURN_IF_ERROR(store_->Read([&](ReadView& view) -> absl::Status {
    absl::StatusOr<ScheduledQuery> stored = view.GetScheduledQuery(cluster_namespace, name);
    if (absl::IsNotFound(stored.status())) {
      return absl::NotFoundError(
          absl::StrCat("There is no scheduled query for: ", KeyRef(cluster_namespace, name)));
    }
    ASSIGN_OR_RETURN(query, std::move(stored));
    return absl::OkStatus();
  }));
  return query;
}

absl::StatusOr<std::optional<PolledQuery>> ScheduledQueries::Poll(
    const std::string& cluster_namespace) {
  RETURN_IF_ERROR(CheckLength("cluster namespace", cluster_namespace, kMaxKeyLength));
  std::optional<PolledQuery> polled;
  RETURN_IF_ERROR(store_->Write([&](WriteTxn& txn) -> absl::Status {
    polled.reset();
    const int64_t now = clock_();
    RETURN_IF_ERROR(Expire(txn, now));
    ASSIGN_OR_RETURN(std::optional<ScheduledQuery> due,
                     txn.NextDueScheduledQuery(cluster_namespace, now));
    if (!due.has_value()) return absl::OkStatus();
    ScheduledExecution execution;
    execution.query_id = due->id;
    execution.state = QueryState::kInited;
    execution.start_time = now;
    execution.last_update_time = now;
    ASSIGN_OR_RETURN(execution.id, txn.CreateScheduledExecution(execution));
    // A schedule stored by an earlier version may no longer parse: then it never fires again.
    absl::StatusOr<std::optional<int64_t>> next = NextExecution(due->schedule, now);
    due->next_execution = next.ok() ? *next : std::nullopt;
    due->active_execution_id = execution.id;
    RETURN_IF_ERROR(txn.UpdateScheduledQuery(*due));
    polled = PolledQuery{due->name, due->cluster_namespace, execution.id,
                         absl::StrCat("/* schedule: ", due->name, " */", due->query), due->user};
    return absl::OkStatus();
  }));
  return polled;
}

absl::Status ScheduledQueries::Progress(const ScheduledQueryProgress& progress) {
  if (progress.executor_query_id.has_value()) {
    RETURN_IF_ERROR(
        CheckLength("executor query id", *progress.executor_query_id, kMaxExecutorQueryIdLength));
  }
  return store_->Write([&](WriteTxn& txn) -> absl::Status {
    const int64_t now = clock_();
    RETURN_IF_ERROR(Expire(txn, now));
    ASSIGN_OR_RETURN(ScheduledExecution execution,
                     txn.GetScheduledExecution(progress.execution_id));
    if (!IsLegalChange(execution.state, progress.state)) {
      return absl::FailedPreconditionError(
          absl::StrCat("Invalid state change: ", QueryStateName(execution.state), "=>",
                       QueryStateName(progress.state)));
    }
    if (progress.executor_query_id.has_value()) {
      execution.executor_query_id = *progress.executor_query_id;
    }
    if (progress.error_message.has_value()) {
      execution.error_message = AbbreviateErrorMessage(*progress.error_message);
    }
    switch (progress.state) {
      case QueryState::kInited:
      case QueryState::kExecuting:
        execution.state = progress.state;
        execution.last_update_time = now;
        return txn.UpdateScheduledExecution(execution);
      case QueryState::kFailed:
      case QueryState::kFinished:
      case QueryState::kTimedOut:
        return EndExecution(txn, execution, progress.state, now);
      default:
        return absl::FailedPreconditionError(
            absl::StrCat("invalid state: ", QueryStateName(progress.state)));
    }
  });
}

absl::Status ScheduledQueries::EndExecution(WriteTxn& txn, ScheduledExecution& execution,
                                            QueryState state, int64_t now) {
  execution.state = state;
  execution.end_time = now;
  execution.last_update_time.reset();
  RETURN_IF_ERROR(txn.UpdateScheduledExecution(execution));
  return txn.ClearActiveScheduledExecution(execution.id);
}

absl::Status ScheduledQueries::Expire(WriteTxn& txn, int64_t now) {
  ASSIGN_OR_RETURN(std::vector<ScheduledExecution> stale,
                   txn.ListStaleScheduledExecutions(now - kExecutionTimeoutSeconds));
  for (ScheduledExecution& execution : stale) {
    RETURN_IF_ERROR(EndExecution(txn, execution, QueryState::kTimedOut, now));
  }
  return txn.DeleteScheduledExecutionsBefore(now - kExecutionRetentionSeconds).status();
}

}  // namespace almanac
