#pragma once

// SqliteTxn: the ReadView / WriteTxn of the SQLite store, bound to one connection for the
// duration of one transaction. SqliteStore hands one to each Read (on a read-only connection,
// where only the ReadView methods are reachable) and each Write (on the writer connection).
//
// The implementation is split by entity: sqlite_catalogs.cc, sqlite_databases.cc,
// sqlite_tables.cc, sqlite_partitions.cc, sqlite_partition_list.cc, sqlite_stats.cc,
// sqlite_functions.cc, sqlite_history.cc, sqlite_locks.cc, sqlite_txns.cc, sqlite_constraints.cc,
// sqlite_scheduled_queries.cc, sqlite_runtime_stats.cc.
//
// Thread-safety: none; used only by the thread running the transaction's callback.
// Ownership: does not own the connection.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/sqlite/connection.h"
#include "storage/store.h"

namespace almanac::sqlite {

// One row of the partitions table as read, before its documents are decoded.
struct PartitionRow {
  int64_t part_id = 0;
  std::string part_name;
  std::string vals;
  int64_t create_time = 0;
  int64_t last_access_time = 0;
  std::string location;
  int64_t sd_id = 0;
  std::string params;
  int64_t write_id = -1;
};

// The columns every partition query selects, in the order ReadPartitionRow expects them.
#define ALMANAC_PARTITION_COLUMNS                                                            \
  "p.part_id, p.part_name, p.vals, p.create_time, p.last_access_time, p.location, p.sd_id, " \
  "p.params, p.write_id"

// Reads the current row of a statement that selected ALMANAC_PARTITION_COLUMNS first.
PartitionRow ReadPartitionRow(const Statement& stmt);

class SqliteTxn final : public WriteTxn {
 public:
  explicit SqliteTxn(Connection* connection) : conn_(connection) {}
  SqliteTxn(const SqliteTxn&) = delete;
  SqliteTxn& operator=(const SqliteTxn&) = delete;

  // ReadView.
  absl::StatusOr<Catalog> GetCatalog(const std::string& name) override;
  absl::StatusOr<std::vector<std::string>> ListCatalogNames() override;
  absl::StatusOr<Database> GetDatabase(const std::string& catalog,
                                       const std::string& name) override;
  absl::StatusOr<std::vector<std::string>> ListDatabaseNames(const std::string& catalog) override;
  absl::StatusOr<Table> GetTable(const std::string& catalog, const std::string& database,
                                 const std::string& name) override;
  absl::StatusOr<std::vector<std::string>> ListTableNames(
      const std::string& catalog, const std::string& database,
      const std::optional<std::string>& table_type) override;
  absl::StatusOr<std::vector<std::string>> ListTableNamesByParameter(const std::string& catalog,
                                                                     const std::string& database,
                                                                     const std::string& key,
                                                                     const std::string& value,
                                                                     bool like) override;
  absl::StatusOr<Partition> GetPartition(const Table& table,
                                         const std::vector<std::string>& values) override;
  absl::Status ListPartitions(const Table& table, const PartitionQuery& query,
                              const PartitionVisitor& visit) override;
  absl::Status ListPartitionNames(const Table& table, const PartitionQuery& query,
                                  const NameVisitor& visit) override;
  absl::StatusOr<int64_t> CountPartitions(const Table& table, const PartitionQuery& query) override;
  absl::StatusOr<std::vector<ColumnStatsObj>> GetTableColumnStats(
      const Table& table, const std::string& engine,
      const std::vector<std::string>& columns) override;
  absl::StatusOr<std::map<std::string, std::vector<ColumnStatsObj>>> GetPartitionColumnStats(
      const Table& table, const std::string& engine,
      const std::vector<std::string>& partition_names,
      const std::vector<std::string>& columns) override;
  absl::StatusOr<Function> GetFunction(const std::string& catalog, const std::string& database,
                                       const std::string& name) override;
  absl::StatusOr<std::vector<Function>> ListFunctions(const std::string& catalog,
                                                      const std::string& database) override;
  absl::StatusOr<std::vector<TableVersion>> ListTableVersions(int64_t table_id) override;
  absl::StatusOr<std::vector<Event>> ListEvents(int64_t after_id, int64_t max_events) override;
  absl::StatusOr<Lock> GetLock(int64_t lock_id) override;
  absl::StatusOr<std::vector<Lock>> ListLocks(const LockFilter& filter) override;
  absl::StatusOr<std::vector<Lock>> ListLocksOnResource(const std::string& database,
                                                        const std::string& table) override;
  absl::StatusOr<std::vector<ConstraintColumn>> ListConstraints(
      const ConstraintFilter& filter) override;
  absl::StatusOr<bool> ConstraintNameInUse(int64_t table_id, const std::string& name) override;
  absl::StatusOr<TxnInfo> GetTxn(int64_t txn_id) override;
  absl::StatusOr<std::vector<TxnInfo>> ListTxns(TxnState state) override;
  absl::StatusOr<int64_t> GetTxnHighWaterMark() override;
  absl::StatusOr<ScheduledQuery> GetScheduledQuery(const std::string& cluster_namespace,
                                                   const std::string& name) override;
  absl::StatusOr<ScheduledExecution> GetScheduledExecution(int64_t execution_id) override;
  absl::Status ListRuntimeStats(int64_t before,
                                const std::function<bool(RuntimeStat&&)>& visit) override;
  absl::StatusOr<std::vector<ReplicationMetrics>> ListReplicationMetricsOfPolicy(
      const std::string& policy) override;
  absl::StatusOr<ReplicationMetrics> GetReplicationMetrics(int64_t scheduled_execution_id) override;

  // WriteTxn.
  absl::Status CreateCatalog(const Catalog& catalog) override;
  absl::Status UpdateCatalog(const Catalog& catalog) override;
  absl::Status DeleteCatalog(const std::string& name) override;
  absl::Status CreateDatabase(const Database& db) override;
  absl::Status UpdateDatabase(const Database& db) override;
  absl::Status DeleteDatabase(const std::string& catalog, const std::string& name) override;
  absl::StatusOr<int64_t> CountTables(const std::string& catalog,
                                      const std::string& database) override;
  absl::StatusOr<int64_t> CreateTable(const Table& table) override;
  absl::Status UpdateTable(int64_t table_id, const Table& table) override;
  absl::Status DeleteTable(int64_t table_id) override;
  absl::Status MovePartitionLocations(int64_t table_id, const std::string& old_prefix,
                                      const std::string& new_prefix) override;
  absl::Status AddPartitions(const Table& table, const std::vector<Partition>& parts) override;
  absl::Status UpdatePartition(const Table& table, const std::vector<std::string>& old_values,
                               const Partition& part) override;
  absl::Status DeletePartition(const Table& table, const std::vector<std::string>& values) override;
  absl::Status UpsertTableColumnStats(const Table& table, const ColumnStatistics& stats) override;
  absl::Status UpsertPartitionColumnStats(const Table& table,
                                          const std::vector<std::string>& values,
                                          const ColumnStatistics& stats) override;
  absl::StatusOr<int64_t> DeleteTableColumnStats(const Table& table, const std::string& engine,
                                                 const std::string& column) override;
  absl::StatusOr<int64_t> DeletePartitionColumnStats(const Table& table,
                                                     const std::vector<std::string>& values,
                                                     const std::string& engine,
                                                     const std::string& column) override;
  absl::Status CreateFunction(const Function& fn) override;
  absl::Status UpdateFunction(const std::string& catalog, const std::string& database,
                              const std::string& name, const Function& fn) override;
  absl::Status DeleteFunction(const std::string& catalog, const std::string& database,
                              const std::string& name) override;
  absl::StatusOr<int64_t> CountFunctions(const std::string& catalog,
                                         const std::string& database) override;
  absl::Status AddConstraint(int64_t table_id, int64_t parent_table_id,
                             const std::vector<ConstraintColumn>& columns) override;
  absl::StatusOr<int64_t> DeleteConstraint(int64_t table_id, const std::string& name) override;
  absl::StatusOr<int64_t> AppendEvent(const Event& event) override;
  absl::StatusOr<int64_t> AppendTableVersion(int64_t table_id,
                                             const TableVersion& version) override;
  absl::StatusOr<int64_t> CreateLock(const Lock& lock) override;
  absl::Status SetLockState(int64_t lock_id, LockState state, int64_t acquired_ms) override;
  absl::Status TouchLock(int64_t lock_id, int64_t now_ms, bool count) override;
  absl::Status DeleteLock(int64_t lock_id) override;
  absl::StatusOr<int64_t> TouchTxnLocks(int64_t txn_id, int64_t now_ms) override;
  absl::StatusOr<int64_t> DeleteTxnLocks(int64_t txn_id) override;
  absl::StatusOr<std::vector<Lock>> DeleteExpiredLocks(int64_t cutoff_ms) override;
  absl::StatusOr<int64_t> CreateTxn(const TxnInfo& txn) override;
  absl::Status SetTxnState(int64_t txn_id, TxnState state, int64_t finished_ms) override;
  absl::Status TouchTxn(int64_t txn_id, int64_t now_ms) override;
  absl::StatusOr<std::vector<int64_t>> ListExpiredTxns(int64_t cutoff_ms) override;
  absl::StatusOr<int64_t> DeleteFinishedTxns(int64_t before_ms) override;
  absl::StatusOr<int64_t> CreateScheduledQuery(const ScheduledQuery& query) override;
  absl::Status UpdateScheduledQuery(const ScheduledQuery& query) override;
  absl::Status DeleteScheduledQuery(int64_t query_id) override;
  absl::StatusOr<std::optional<ScheduledQuery>> NextDueScheduledQuery(
      const std::string& cluster_namespace, int64_t now) override;
  absl::StatusOr<int64_t> CreateScheduledExecution(const ScheduledExecution& execution) override;
  absl::Status UpdateScheduledExecution(const ScheduledExecution& execution) override;
  absl::Status ClearActiveScheduledExecution(int64_t execution_id) override;
  absl::StatusOr<std::vector<ScheduledExecution>> ListStaleScheduledExecutions(
      int64_t cutoff) override;
  absl::StatusOr<int64_t> DeleteScheduledExecutionsBefore(int64_t cutoff) override;
  absl::Status AddRuntimeStat(const RuntimeStat& stat) override;
  absl::StatusOr<int64_t> DeleteRuntimeStatsBefore(int64_t cutoff) override;
  absl::Status PutReplicationMetrics(const ReplicationMetrics& metrics) override;

  // Partitions inserted through this transaction so far.
  int64_t partitions_added() const { return partitions_added_; }

 private:
  // Decoded storage descriptor templates by sd_id, for one listing; nullopt for the template of
  // partitions stored without one (Partition::sd_null).
  using SdCache = absl::flat_hash_map<int64_t, std::optional<StorageDescriptor>>;

  // db_id of (catalog, name); NotFound if the database does not exist.
  absl::StatusOr<int64_t> FindDatabaseId(const std::string& catalog, const std::string& name);
  // The partition `values` of `table`: its row, or NotFound naming it.
  absl::StatusOr<PartitionRow> FindPartition(const Table& table,
                                             const std::vector<std::string>& values);
  // The name of `values` in `table`; InvalidArgument if the count does not match the keys.
  static absl::StatusOr<std::string> PartitionName(const Table& table,
                                                   const std::vector<std::string>& values);
  // Turns a row into a Partition, decoding its template through `cache`.
  absl::StatusOr<Partition> DecodePartition(const Table& table, PartitionRow&& row, SdCache& cache);

  Connection* conn_;  // Not owned.
  int64_t partitions_added_ = 0;
};

}  // namespace almanac::sqlite
