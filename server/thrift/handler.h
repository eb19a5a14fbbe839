#pragma once

// MetastoreHandler: the Thrift adapter. One instance per connection (it remembers the principal
// the client claimed with set_ugi). Each method converts its wire arguments to domain values,
// makes one CatalogService call, and converts the result or the error back. Errors become the
// exception type the method declares (see errors.h); every call is logged with its method,
// principal, duration and outcome.
//
// Thread-safety: used by one connection's thread only.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "ThriftHiveMetastore.h"
#include "absl/status/status.h"
#include "server/core/catalog_service.h"
#include "server/thrift/transport.h"

namespace almanac::thrift_server {

namespace hive = ::Apache::Hadoop::Hive;

// Facts about the running server that fb303 calls report.
struct ServerInfo {
  std::string version;
  int64_t started_at = 0;
  std::string warehouse_root;
};

class MetastoreHandler : public hive::ThriftHiveMetastoreIf {
 public:
  // `catalog` is not owned and outlives the handler.
  MetastoreHandler(CatalogService* catalog, std::shared_ptr<const ServerInfo> info,
                   std::shared_ptr<ConnectionState> connection);

  // The principal this connection claimed with set_ugi ("" before it did).
  const std::string& principal() const { return principal_; }

  // fb303
  void getName(std::string& _return) override;
  void getVersion(std::string& _return) override;
  facebook::fb303::fb_status::type getStatus() override;
  void getStatusDetails(std::string& _return) override;
  int64_t aliveSince() override;
  void getCounters(std::map<std::string, int64_t>& _return) override;
  int64_t getCounter(const std::string& key) override;
  void setOption(const std::string& key, const std::string& value) override;
  void getOption(std::string& _return, const std::string& key) override;
  void getOptions(std::map<std::string, std::string>& _return) override;
  void getCpuProfile(std::string& _return, const int32_t profileDurationInSec) override;
  void reinitialize() override;
  void shutdown() override;

  // Hive metastore
  void set_ugi(std::vector<std::string>& _return, const std::string& user_name,
               const std::vector<std::string>& group_names) override;
  void get_config_value(std::string& _return, const std::string& name,
                        const std::string& defaultValue) override;
  void create_catalog(const hive::CreateCatalogRequest& catalog) override;
  void alter_catalog(const hive::AlterCatalogRequest& rqst) override;
  void get_catalogs(hive::GetCatalogsResponse& _return) override;
  void get_catalog(hive::GetCatalogResponse& _return,
                   const hive::GetCatalogRequest& catName) override;
  void drop_catalog(const hive::DropCatalogRequest& catName) override;
  void create_database(const hive::Database& database) override;
  void create_database_req(const hive::CreateDatabaseRequest& request) override;
  void get_database(hive::Database& _return, const std::string& name) override;
  void get_database_req(hive::Database& _return, const hive::GetDatabaseRequest& request) override;
  void get_databases(std::vector<std::string>& _return, const std::string& pattern) override;
  void get_all_databases(std::vector<std::string>& _return) override;
  void alter_database(const std::string& dbname, const hive::Database& db) override;
  void alter_database_req(const hive::AlterDatabaseRequest& request) override;
  void drop_database(const std::string& name, const bool deleteData, const bool cascade) override;
  void drop_database_req(const hive::DropDatabaseRequest& req) override;
  void create_table(const hive::Table& tbl) override;
  void create_table_with_environment_context(
      const hive::Table& tbl, const hive::EnvironmentContext& environment_context) override;
  void create_table_req(const hive::CreateTableRequest& request) override;
  void get_table(hive::Table& _return, const std::string& dbname,
                 const std::string& tbl_name) override;
  void get_table_req(hive::GetTableResult& _return, const hive::GetTableRequest& req) override;
  void get_table_objects_by_name(std::vector<hive::Table>& _return, const std::string& dbname,
                                 const std::vector<std::string>& tbl_names) override;
  void get_table_objects_by_name_req(hive::GetTablesResult& _return,
                                     const hive::GetTablesRequest& req) override;
  void get_tables(std::vector<std::string>& _return, const std::string& db_name,
                  const std::string& pattern) override;
  void get_tables_by_type(std::vector<std::string>& _return, const std::string& db_name,
                          const std::string& pattern, const std::string& tableType) override;
  void get_all_tables(std::vector<std::string>& _return, const std::string& db_name) override;
  void get_materialized_views_for_rewriting(std::vector<std::string>& _return,
                                            const std::string& db_name) override;
  void get_table_meta(std::vector<hive::TableMeta>& _return, const std::string& db_patterns,
                      const std::string& tbl_patterns,
                      const std::vector<std::string>& tbl_types) override;
  void get_table_names_by_filter(std::vector<std::string>& _return, const std::string& dbname,
                                 const std::string& filter, const int16_t max_tables) override;
  void get_fields(std::vector<hive::FieldSchema>& _return, const std::string& db_name,
                  const std::string& table_name) override;
  void get_fields_with_environment_context(
      std::vector<hive::FieldSchema>& _return, const std::string& db_name,
      const std::string& table_name, const hive::EnvironmentContext& environment_context) override;
  void get_fields_req(hive::GetFieldsResponse& _return, const hive::GetFieldsRequest& req) override;
  void get_schema(std::vector<hive::FieldSchema>& _return, const std::string& db_name,
                  const std::string& table_name) override;
  void get_schema_with_environment_context(
      std::vector<hive::FieldSchema>& _return, const std::string& db_name,
      const std::string& table_name, const hive::EnvironmentContext& environment_context) override;
  void get_schema_req(hive::GetSchemaResponse& _return, const hive::GetSchemaRequest& req) override;
  void alter_table(const std::string& dbname, const std::string& tbl_name,
                   const hive::Table& new_tbl) override;
  void alter_table_with_environment_context(
      const std::string& dbname, const std::string& tbl_name, const hive::Table& new_tbl,
      const hive::EnvironmentContext& environment_context) override;
  void alter_table_with_cascade(const std::string& dbname, const std::string& tbl_name,
                                const hive::Table& new_tbl, const bool cascade) override;
  void alter_table_req(hive::AlterTableResponse& _return,
                       const hive::AlterTableRequest& req) override;
  void drop_table(const std::string& dbname, const std::string& name,
                  const bool deleteData) override;
  void drop_table_with_environment_context(
      const std::string& dbname, const std::string& name, const bool deleteData,
      const hive::EnvironmentContext& environment_context) override;
  void drop_table_req(const hive::DropTableRequest& dropTableReq) override;
  void create_table_with_constraints(
      const hive::Table& tbl, const std::vector<hive::SQLPrimaryKey>& primaryKeys,
      const std::vector<hive::SQLForeignKey>& foreignKeys,
      const std::vector<hive::SQLUniqueConstraint>& uniqueConstraints,
      const std::vector<hive::SQLNotNullConstraint>& notNullConstraints,
      const std::vector<hive::SQLDefaultConstraint>& defaultConstraints,
      const std::vector<hive::SQLCheckConstraint>& checkConstraints) override;
  // Table constraints (handler_constraints.cc).
  void add_primary_key(const hive::AddPrimaryKeyRequest& req) override;
  void add_foreign_key(const hive::AddForeignKeyRequest& req) override;
  void add_unique_constraint(const hive::AddUniqueConstraintRequest& req) override;
  void add_not_null_constraint(const hive::AddNotNullConstraintRequest& req) override;
  void add_default_constraint(const hive::AddDefaultConstraintRequest& req) override;
  void add_check_constraint(const hive::AddCheckConstraintRequest& req) override;
  void drop_constraint(const hive::DropConstraintRequest& req) override;
  void get_primary_keys(hive::PrimaryKeysResponse& _return,
                        const hive::PrimaryKeysRequest& request) override;
  void get_foreign_keys(hive::ForeignKeysResponse& _return,
                        const hive::ForeignKeysRequest& request) override;
  void get_unique_constraints(hive::UniqueConstraintsResponse& _return,
                              const hive::UniqueConstraintsRequest& request) override;
  void get_not_null_constraints(hive::NotNullConstraintsResponse& _return,
                                const hive::NotNullConstraintsRequest& request) override;
  void get_default_constraints(hive::DefaultConstraintsResponse& _return,
                               const hive::DefaultConstraintsRequest& request) override;
  void get_check_constraints(hive::CheckConstraintsResponse& _return,
                             const hive::CheckConstraintsRequest& request) override;
  void get_all_table_constraints(hive::AllTableConstraintsResponse& _return,
                                 const hive::AllTableConstraintsRequest& request) override;
  void truncate_table(const std::string& dbName, const std::string& tableName,
                      const std::vector<std::string>& partNames) override;
  void truncate_table_req(hive::TruncateTableResponse& _return,
                          const hive::TruncateTableRequest& req) override;
  void add_partition(hive::Partition& _return, const hive::Partition& new_part) override;
  void add_partition_with_environment_context(
      hive::Partition& _return, const hive::Partition& new_part,
      const hive::EnvironmentContext& environment_context) override;
  int32_t add_partitions(const std::vector<hive::Partition>& new_parts) override;
  void add_partitions_req(hive::AddPartitionsResult& _return,
                          const hive::AddPartitionsRequest& request) override;
  void append_partition(hive::Partition& _return, const std::string& db_name,
                        const std::string& tbl_name,
                        const std::vector<std::string>& part_vals) override;
  void append_partition_with_environment_context(
      hive::Partition& _return, const std::string& db_name, const std::string& tbl_name,
      const std::vector<std::string>& part_vals,
      const hive::EnvironmentContext& environment_context) override;
  void append_partition_req(hive::Partition& _return,
                            const hive::AppendPartitionsRequest& appendPartitionsReq) override;
  void append_partition_by_name(hive::Partition& _return, const std::string& db_name,
                                const std::string& tbl_name, const std::string& part_name) override;
  void append_partition_by_name_with_environment_context(
      hive::Partition& _return, const std::string& db_name, const std::string& tbl_name,
      const std::string& part_name, const hive::EnvironmentContext& environment_context) override;
  void get_partition(hive::Partition& _return, const std::string& db_name,
                     const std::string& tbl_name,
                     const std::vector<std::string>& part_vals) override;
  void get_partition_req(hive::GetPartitionResponse& _return,
                         const hive::GetPartitionRequest& req) override;
  void get_partition_with_auth(hive::Partition& _return, const std::string& db_name,
                               const std::string& tbl_name,
                               const std::vector<std::string>& part_vals,
                               const std::string& user_name,
                               const std::vector<std::string>& group_names) override;
  void get_partition_by_name(hive::Partition& _return, const std::string& db_name,
                             const std::string& tbl_name, const std::string& part_name) override;
  void get_partitions(std::vector<hive::Partition>& _return, const std::string& db_name,
                      const std::string& tbl_name, const int16_t max_parts) override;
  void get_partitions_req(hive::PartitionsResponse& _return,
                          const hive::PartitionsRequest& req) override;
  void get_partitions_with_auth(std::vector<hive::Partition>& _return, const std::string& db_name,
                                const std::string& tbl_name, const int16_t max_parts,
                                const std::string& user_name,
                                const std::vector<std::string>& group_names) override;
  void get_partitions_ps(std::vector<hive::Partition>& _return, const std::string& db_name,
                         const std::string& tbl_name, const std::vector<std::string>& part_vals,
                         const int16_t max_parts) override;
  void get_partitions_ps_with_auth(std::vector<hive::Partition>& _return,
                                   const std::string& db_name, const std::string& tbl_name,
                                   const std::vector<std::string>& part_vals,
                                   const int16_t max_parts, const std::string& user_name,
                                   const std::vector<std::string>& group_names) override;
  void get_partitions_ps_with_auth_req(hive::GetPartitionsPsWithAuthResponse& _return,
                                       const hive::GetPartitionsPsWithAuthRequest& req) override;
  void get_partition_names(std::vector<std::string>& _return, const std::string& db_name,
                           const std::string& tbl_name, const int16_t max_parts) override;
  void get_partition_names_ps(std::vector<std::string>& _return, const std::string& db_name,
                              const std::string& tbl_name,
                              const std::vector<std::string>& part_vals,
                              const int16_t max_parts) override;
  void get_partition_names_ps_req(hive::GetPartitionNamesPsResponse& _return,
                                  const hive::GetPartitionNamesPsRequest& req) override;
  void fetch_partition_names_req(std::vector<std::string>& _return,
                                 const hive::PartitionsRequest& partitionReq) override;
  void get_partitions_by_names(std::vector<hive::Partition>& _return, const std::string& db_name,
                               const std::string& tbl_name,
                               const std::vector<std::string>& names) override;
  void get_partitions_by_names_req(hive::GetPartitionsByNamesResult& _return,
                                   const hive::GetPartitionsByNamesRequest& req) override;
  void get_partitions_by_filter(std::vector<hive::Partition>& _return, const std::string& db_name,
                                const std::string& tbl_name, const std::string& filter,
                                const int16_t max_parts) override;
  void get_partitions_by_filter_req(std::vector<hive::Partition>& _return,
                                    const hive::GetPartitionsByFilterRequest& req) override;
  int32_t get_num_partitions_by_filter(const std::string& db_name, const std::string& tbl_name,
                                       const std::string& filter) override;
  // Partition specs, values and exchange (handler_partition_specs.cc).
  int32_t add_partitions_pspec(const std::vector<hive::PartitionSpec>& new_parts) override;
  void get_partitions_pspec(std::vector<hive::PartitionSpec>& _return, const std::string& db_name,
                            const std::string& tbl_name, const int32_t max_parts) override;
  void get_part_specs_by_filter(std::vector<hive::PartitionSpec>& _return,
                                const std::string& db_name, const std::string& tbl_name,
                                const std::string& filter, const int32_t max_parts) override;
  void get_partition_values(hive::PartitionValuesResponse& _return,
                            const hive::PartitionValuesRequest& request) override;
  void exchange_partition(hive::ExchangedPartition& _return,
                          const std::map<std::string, std::string>& partitionSpecs,
                          const std::string& source_db, const std::string& source_table_name,
                          const std::string& dest_db, const std::string& dest_table_name) override;
  void exchange_partitions(std::vector<hive::Partition>& _return,
                           const std::map<std::string, std::string>& partitionSpecs,
                           const std::string& source_db, const std::string& source_table_name,
                           const std::string& dest_db, const std::string& dest_table_name) override;
  void alter_partition(const std::string& db_name, const std::string& tbl_name,
                       const hive::Partition& new_part) override;
  void alter_partitions(const std::string& db_name, const std::string& tbl_name,
                        const std::vector<hive::Partition>& new_parts) override;
  void alter_partitions_with_environment_context(
      const std::string& db_name, const std::string& tbl_name,
      const std::vector<hive::Partition>& new_parts,
      const hive::EnvironmentContext& environment_context) override;
  void alter_partition_with_environment_context(
      const std::string& db_name, const std::string& tbl_name, const hive::Partition& new_part,
      const hive::EnvironmentContext& environment_context) override;
  void alter_partitions_req(hive::AlterPartitionsResponse& _return,
                            const hive::AlterPartitionsRequest& req) override;
  void rename_partition(const std::string& db_name, const std::string& tbl_name,
                        const std::vector<std::string>& part_vals,
                        const hive::Partition& new_part) override;
  void rename_partition_req(hive::RenamePartitionResponse& _return,
                            const hive::RenamePartitionRequest& req) override;
  bool drop_partition(const std::string& db_name, const std::string& tbl_name,
                      const std::vector<std::string>& part_vals, const bool deleteData) override;
  bool drop_partition_with_environment_context(
      const std::string& db_name, const std::string& tbl_name,
      const std::vector<std::string>& part_vals, const bool deleteData,
      const hive::EnvironmentContext& environment_context) override;
  bool drop_partition_by_name(const std::string& db_name, const std::string& tbl_name,
                              const std::string& part_name, const bool deleteData) override;
  bool drop_partition_by_name_with_environment_context(
      const std::string& db_name, const std::string& tbl_name, const std::string& part_name,
      const bool deleteData, const hive::EnvironmentContext& environment_context) override;
  bool drop_partition_req(const hive::DropPartitionRequest& dropPartitionReq) override;
  void drop_partitions_req(hive::DropPartitionsResult& _return,
                           const hive::DropPartitionsRequest& req) override;
  void partition_name_to_vals(std::vector<std::string>& _return,
                              const std::string& part_name) override;
  void partition_name_to_spec(std::map<std::string, std::string>& _return,
                              const std::string& part_name) override;
  bool update_table_column_statistics(const hive::ColumnStatistics& stats_obj) override;
  bool update_partition_column_statistics(const hive::ColumnStatistics& stats_obj) override;
  void update_table_column_statistics_req(hive::SetPartitionsStatsResponse& _return,
                                          const hive::SetPartitionsStatsRequest& req) override;
  void update_partition_column_statistics_req(hive::SetPartitionsStatsResponse& _return,
                                              const hive::SetPartitionsStatsRequest& req) override;
  void get_table_column_statistics(hive::ColumnStatistics& _return, const std::string& db_name,
                                   const std::string& tbl_name,
                                   const std::string& col_name) override;
  void get_partition_column_statistics(hive::ColumnStatistics& _return, const std::string& db_name,
                                       const std::string& tbl_name, const std::string& part_name,
                                       const std::string& col_name) override;
  void get_table_statistics_req(hive::TableStatsResult& _return,
                                const hive::TableStatsRequest& request) override;
  void get_partitions_statistics_req(hive::PartitionsStatsResult& _return,
                                     const hive::PartitionsStatsRequest& request) override;
  void get_aggr_stats_for(hive::AggrStats& _return,
                          const hive::PartitionsStatsRequest& request) override;
  bool set_aggr_stats_for(const hive::SetPartitionsStatsRequest& request) override;
  bool delete_partition_column_statistics(const std::string& db_name, const std::string& tbl_name,
                                          const std::string& part_name, const std::string& col_name,
                                          const std::string& engine) override;
  bool delete_table_column_statistics(const std::string& db_name, const std::string& tbl_name,
                                      const std::string& col_name,
                                      const std::string& engine) override;
  void create_function(const hive::Function& func) override;
  void drop_function(const std::string& dbName, const std::string& funcName) override;
  void alter_function(const std::string& dbName, const std::string& funcName,
                      const hive::Function& newFunc) override;
  void get_functions(std::vector<std::string>& _return, const std::string& dbName,
                     const std::string& pattern) override;
  void get_function(hive::Function& _return, const std::string& dbName,
                    const std::string& funcName) override;
  void get_all_functions(hive::GetAllFunctionsResponse& _return) override;

  // Locks and transactions (handler_locks.cc).
  void get_open_txns(hive::GetOpenTxnsResponse& _return) override;
  void open_txns(hive::OpenTxnsResponse& _return, const hive::OpenTxnRequest& rqst) override;
  void abort_txn(const hive::AbortTxnRequest& rqst) override;
  void commit_txn(const hive::CommitTxnRequest& rqst) override;
  void lock(hive::LockResponse& _return, const hive::LockRequest& rqst) override;
  void check_lock(hive::LockResponse& _return, const hive::CheckLockRequest& rqst) override;
  void unlock(const hive::UnlockRequest& rqst) override;
  void show_locks(hive::ShowLocksResponse& _return, const hive::ShowLocksRequest& rqst) override;
  void heartbeat(const hive::HeartbeatRequest& ids) override;

  // Scheduled queries, runtime statistics and replication metrics
  // (handler_scheduled_queries.cc).
  void scheduled_query_poll(hive::ScheduledQueryPollResponse& _return,
                            const hive::ScheduledQueryPollRequest& request) override;
  void scheduled_query_maintenance(const hive::ScheduledQueryMaintenanceRequest& request) override;
  void scheduled_query_progress(const hive::ScheduledQueryProgressInfo& info) override;
  void get_scheduled_query(hive::ScheduledQuery& _return,
                           const hive::ScheduledQueryKey& scheduleKey) override;
  void add_runtime_stats(const hive::RuntimeStat& stat) override;
  void get_runtime_stats(std::vector<hive::RuntimeStat>& _return,
                         const hive::GetRuntimeStatsRequest& rqst) override;
  void add_replication_metrics(const hive::ReplicationMetricList& replicationMetricList) override;
  void get_replication_metrics(hive::ReplicationMetricList& _return,
                               const hive::GetReplicationMetricsRequest& rqst) override;

 private:
  // Runs `fn` as the call `method`: logs it and records the outcome.
  template <typename Fn>
  auto Call(const char* method, Fn&& fn) -> decltype(fn());
  RequestContext Context() const;
  // Whether the client sent the current call's argument of field id `id` (a Java client leaves
  // a null one out).
  bool ArgumentSent(int16_t id) const { return connection_->arguments_sent.contains(id); }

  CatalogService* catalog_;  // Not owned.
  std::shared_ptr<const ServerInfo> info_;
  std::shared_ptr<ConnectionState> connection_;
  std::string principal_;
};

// Logs one finished call (defined in handler.cc).
void LogCall(const char* method, const std::string& principal, const std::string& peer,
             std::chrono::steady_clock::duration elapsed, const char* outcome,
             const std::string& detail);

template <typename Fn>
auto MetastoreHandler::Call(const char* method, Fn&& fn) -> decltype(fn()) {
  const auto start = std::chrono::steady_clock::now();
  auto log = [&](const char* outcome, const std::string& detail) {
    LogCall(method, principal_, connection_->peer, std::chrono::steady_clock::now() - start,
            outcome, detail);
  };
  try {
    if constexpr (std::is_void_v<decltype(fn())>) {
      fn();
      log("ok", "");
    } else {
      auto result = fn();
      log("ok", "");
      return result;
    }
  } catch (const apache::thrift::TException& e) {
    log("error", e.what());
    throw;
  } catch (const std::exception& e) {  // Out of its memory budget, or a library's failure.
    log("error", e.what());
    throw;
  }
}

}  // namespace almanac::thrift_server
