// Scheduled queries and their executions (see migrations.cc, version 5).

#include <optional>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite/sqlite_txn.h"

namespace almanac::sqlite {
namespace {

#define ALMANAC_QUERY_COLUMNS                                                                \
  "query_id, cluster_namespace, name, enabled, schedule, user_name, query, next_execution, " \
  "active_execution_id"
#define ALMANAC_EXECUTION_COLUMNS                                                           \
  "execution_id, query_id, state, executor_query_id, error_message, start_time, end_time, " \
  "last_update_time"

constexpr char kSqlSelectQuery[] = "SELECT " ALMANAC_QUERY_COLUMNS
                                   " FROM scheduled_queries WHERE cluster_namespace = ? AND "
                                   "name = ?";
constexpr char kSqlSelectDueQuery[] =
    "SELECT " ALMANAC_QUERY_COLUMNS
    " FROM scheduled_queries WHERE cluster_namespace = ? AND next_execution <= ? AND "
    "enabled = 1 AND active_execution_id = 0 ORDER BY next_execution, query_id LIMIT 1";
constexpr char kSqlInsertQuery[] =
    "INSERT INTO scheduled_queries(cluster_namespace, name, enabled, schedule, user_name, query, "
    "next_execution, active_execution_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdateQuery[] =
    "UPDATE scheduled_queries SET cluster_namespace = ?, name = ?, enabled = ?, schedule = ?, "
    "user_name = ?, query = ?, next_execution = ?, active_execution_id = ? WHERE query_id = ?";
constexpr char kSqlClearActiveExecution[] =
    "UPDATE scheduled_queries SET active_execution_id = 0 WHERE active_execution_id = ?";
constexpr char kSqlDeleteQuery[] = "DELETE FROM scheduled_queries WHERE query_id = ?";

constexpr char kSqlSelectExecution[] =
    "SELECT " ALMANAC_EXECUTION_COLUMNS " FROM scheduled_executions WHERE execution_id = ?";
// States 0 and 1 are INITED and EXECUTING (QueryState).
constexpr char kSqlSelectStaleExecutions[] =
    "SELECT " ALMANAC_EXECUTION_COLUMNS
    " FROM scheduled_executions WHERE last_update_time < ? AND state IN (0, 1) "
    "ORDER BY execution_id";
constexpr char kSqlInsertExecution[] =
    "INSERT INTO scheduled_executions(query_id, state, executor_query_id, error_message, "
    "start_time, end_time, last_update_time) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr char kSqlUpdateExecution[] =
    "UPDATE scheduled_executions SET query_id = ?, state = ?, executor_query_id = ?, "
    "error_message = ?, start_time = ?, end_time = ?, last_update_time = ? "
    "WHERE execution_id = ?";
constexpr char kSqlDeleteExecutionsBefore[] =
    "DELETE FROM scheduled_executions WHERE start_time < ? AND state NOT IN (0, 1)";

#undef ALMANAC_QUERY_COLUMNS
#undef ALMANAC_EXECUTION_COLUMNS

ScheduledQuery ReadQuery(const Statement& stmt) {
  ScheduledQuery q;
  q.id = stmt.ColumnInt64(0);
  q.cluster_namespace = stmt.ColumnText(1);
  q.name = stmt.ColumnText(2);
  q.enabled = stmt.ColumnBool(3);
  q.schedule = stmt.ColumnText(4);
  q.user = stmt.ColumnText(5);
  q.query = stmt.ColumnText(6);
  q.next_execution = stmt.ColumnOptionalInt64(7);
  q.active_execution_id = stmt.ColumnInt64(8);
  return q;
}

// Binds the query's columns in the order of kSqlInsertQuery and kSqlUpdateQuery.
void BindQuery(const ScheduledQuery& q, Statement& stmt) {
  stmt.BindText(0, q.cluster_namespace);
  stmt.BindText(1, q.name);
  stmt.BindBool(2, q.enabled);
  stmt.BindText(3, q.schedule);
  stmt.BindText(4, q.user);
  stmt.BindText(5, q.query);
  stmt.BindOptionalInt64(6, q.next_execution);
  stmt.BindInt64(7, q.active_execution_id);
}

ScheduledExecution ReadExecution(const Statement& stmt) {
  ScheduledExecution e;
  e.id = stmt.ColumnInt64(0);
  e.query_id = stmt.ColumnInt64(1);
  e.state = static_cast<QueryState>(stmt.ColumnInt(2));
  e.executor_query_id = stmt.ColumnText(3);
  e.error_message = stmt.ColumnText(4);
  e.start_time = stmt.ColumnInt64(5);
  e.end_time = stmt.ColumnOptionalInt64(6);
  e.last_update_time = stmt.ColumnOptionalInt64(7);
  return e;
}

// Binds the execution's columns in the order of kSqlInsertExecution and kSqlUpdateExecution.
void BindExecution(const ScheduledExecution& e, Statement& stmt) {
  stmt.BindInt64(0, e.query_id);
  stmt.BindInt64(1, static_cast<int>(e.state));
  stmt.BindText(2, e.executor_query_id);
  stmt.BindText(3, e.error_message);
  stmt.BindInt64(4, e.start_time);
  stmt.BindOptionalInt64(5, e.end_time);
  stmt.BindOptionalInt64(6, e.last_update_time);
}

absl::Status QueryNotFound(int64_t query_id) {
  return absl::NotFoundError(absl::StrCat("scheduled query ", query_id, " does not exist"));
}

absl::Status ExecutionNotFound(int64_t execution_id) {
  return absl::NotFoundError(
      absl::StrCat("scheduled query execution ", execution_id, " does not exist"));
}

}  // namespace

absl::StatusOr<ScheduledQuery> SqliteTxn::GetScheduledQuery(const std::string& cluster_namespace,
                                                            const std::string& name) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectQuery));
  stmt.BindText(0, cluster_namespace);
  stmt.BindText(1, name);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) {
    return absl::NotFoundError(
        absl::StrCat("scheduled query ", name, "@", cluster_namespace, " does not exist"));
  }
  return ReadQuery(stmt);
}

absl::StatusOr<ScheduledExecution> SqliteTxn::GetScheduledExecution(int64_t execution_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectExecution));
  stmt.BindInt64(0, execution_id);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return ExecutionNotFound(execution_id);
  return ReadExecution(stmt);
}

absl::StatusOr<int64_t> SqliteTxn::CreateScheduledQuery(const ScheduledQuery& query) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertQuery));
  BindQuery(query, stmt);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->LastInsertRowId();
}

absl::Status SqliteTxn::UpdateScheduledQuery(const ScheduledQuery& query) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateQuery));
  BindQuery(query, stmt);
  stmt.BindInt64(8, query.id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? QueryNotFound(query.id) : absl::OkStatus();
}

absl::Status SqliteTxn::DeleteScheduledQuery(int64_t query_id) {
  // Its executions go with it (ON DELETE CASCADE).
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteQuery));
  stmt.BindInt64(0, query_id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? QueryNotFound(query_id) : absl::OkStatus();
}

absl::StatusOr<std::optional<ScheduledQuery>> SqliteTxn::NextDueScheduledQuery(
    const std::string& cluster_namespace, int64_t now) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectDueQuery));
  stmt.BindText(0, cluster_namespace);
  stmt.BindInt64(1, now);
  ASSIGN_OR_RETURN(const bool found, stmt.Step());
  if (!found) return std::optional<ScheduledQuery>();
  return std::optional<ScheduledQuery>(ReadQuery(stmt));
}

absl::StatusOr<int64_t> SqliteTxn::CreateScheduledExecution(const ScheduledExecution& execution) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlInsertExecution));
  BindExecution(execution, stmt);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->LastInsertRowId();
}

absl::Status SqliteTxn::UpdateScheduledExecution(const ScheduledExecution& execution) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlUpdateExecution));
  BindExecution(execution, stmt);
  stmt.BindInt64(7, execution.id);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes() == 0 ? ExecutionNotFound(execution.id) : absl::OkStatus();
}

absl::Status SqliteTxn::ClearActiveScheduledExecution(int64_t execution_id) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlClearActiveExecution));
  stmt.BindInt64(0, execution_id);
  return stmt.Run();
}

absl::StatusOr<std::vector<ScheduledExecution>> SqliteTxn::ListStaleScheduledExecutions(
    int64_t cutoff) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlSelectStaleExecutions));
  stmt.BindInt64(0, cutoff);
  std::vector<ScheduledExecution> out;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadExecution(stmt));
  }
}

absl::StatusOr<int64_t> SqliteTxn::DeleteScheduledExecutionsBefore(int64_t cutoff) {
  ASSIGN_OR_RETURN(Statement stmt, conn_->GetCachedStatement(kSqlDeleteExecutionsBefore));
  stmt.BindInt64(0, cutoff);
  RETURN_IF_ERROR(stmt.Run());
  return conn_->Changes();
}

}  // namespace almanac::sqlite
