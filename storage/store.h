#pragma once

// The storage interface. The core (server/core) owns the rules; a Store owns durability.
//
// Every mutation runs inside Store::Write as exactly one transaction that commits before Write
// returns, or rolls back entirely when the callback returns an error. Reads run inside
// Store::Read against a consistent snapshot of committed state.
//
// Thread-safety: a Store is safe to use from many threads. Writes are serialised. ReadView and
// WriteTxn objects are only valid inside the callback that received them and must not be shared
// between threads.
//
// Status codes used throughout: NotFound for a missing object, AlreadyExists for a duplicate key,
// InvalidArgument for input the store cannot represent, Internal/Unavailable/DataLoss for storage
// failures.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/partition_filter.h"

namespace almanac {

// Which partitions of one table a listing covers. All given criteria must hold.
struct PartitionQuery {
  const FilterNode* filter = nullptr;             // Not owned; nullptr matches all.
  std::optional<std::vector<std::string>> names;  // Only partitions with these names.
  int64_t max_results = -1;                       // Negative = no limit.
};

// Called once per row in name order; return false to stop early.
using PartitionVisitor = std::function<bool(Partition&&)>;
using NameVisitor = std::function<bool(std::string&&)>;

// Which constraints a listing returns: all criteria that are set must hold, and at least one of
// the two tables must be given.
struct ConstraintFilter {
  std::optional<ConstraintKind> kind;
  int64_t table_id = 0;         // Constraints on this table (for foreign keys: held by it).
  int64_t parent_table_id = 0;  // Foreign keys referencing this table.
};

// Which locks a listing returns: those with a component matching every criterion that is set.
struct LockFilter {
  std::optional<std::string> database;
  std::optional<std::string> table;
  std::optional<std::string> partition;
  std::optional<int64_t> txn_id;
};

class ReadView {
 public:
  virtual ~ReadView() = default;

  // Catalogs. Names are already normalised by the caller. NotFound if missing.
  virtual absl::StatusOr<Catalog> GetCatalog(const std::string& name) = 0;
  // Names of all catalogs, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListCatalogNames() = 0;

  // Databases. `catalog` and names are already normalised by the caller.
  virtual absl::StatusOr<Database> GetDatabase(const std::string& catalog,
                                               const std::string& name) = 0;
  // Names of all databases of a catalog, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListDatabaseNames(
      const std::string& catalog) = 0;

  // Tables. GetTable returns NotFound if the database or the table is missing.
  virtual absl::StatusOr<Table> GetTable(const std::string& catalog, const std::string& database,
                                         const std::string& name) = 0;
  // Sorted names of the tables of a database; with `table_type` set, only tables of that type.
  virtual absl::StatusOr<std::vector<std::string>> ListTableNames(
      const std::string& catalog, const std::string& database,
      const std::optional<std::string>& table_type) = 0;
  // Sorted names of the tables of a database whose parameter `key` equals `value` (or, with
  // `like` true, matches the SQL LIKE pattern `value`).
  virtual absl::StatusOr<std::vector<std::string>> ListTableNamesByParameter(
      const std::string& catalog, const std::string& database, const std::string& key,
      const std::string& value, bool like) = 0;

  // Partitions of `table` (as returned by GetTable, so `table.id` is set).
  virtual absl::StatusOr<Partition> GetPartition(const Table& table,
                                                 const std::vector<std::string>& values) = 0;
  virtual absl::Status ListPartitions(const Table& table, const PartitionQuery& query,
                                      const PartitionVisitor& visit) = 0;
  virtual absl::Status ListPartitionNames(const Table& table, const PartitionQuery& query,
                                          const NameVisitor& visit) = 0;
  virtual absl::StatusOr<int64_t> CountPartitions(const Table& table,
                                                  const PartitionQuery& query) = 0;

  // Column statistics. Missing columns are simply absent from the result.
  virtual absl::StatusOr<std::vector<ColumnStatsObj>> GetTableColumnStats(
      const Table& table, const std::string& engine, const std::vector<std::string>& columns) = 0;
  // Keyed by partition name; partitions without statistics are absent.
  virtual absl::StatusOr<std::map<std::string, std::vector<ColumnStatsObj>>>
  GetPartitionColumnStats(const Table& table, const std::string& engine,
                          const std::vector<std::string>& partition_names,
                          const std::vector<std::string>& columns) = 0;

  // Functions.
  virtual absl::StatusOr<Function> GetFunction(const std::string& catalog,
                                               const std::string& database,
                                               const std::string& name) = 0;
  // Sorted by database then name; an empty `database` means every database of the catalog.
  virtual absl::StatusOr<std::vector<Function>> ListFunctions(const std::string& catalog,
                                                              const std::string& database) = 0;

  // History. Versions are returned oldest first.
  virtual absl::StatusOr<std::vector<TableVersion>> ListTableVersions(int64_t table_id) = 0;
  virtual absl::StatusOr<std::vector<Event>> ListEvents(int64_t after_id, int64_t max_events) = 0;

  // Locks (see storage/sqlite/sqlite_locks.cc). NotFound if no lock has that id.
  virtual absl::StatusOr<Lock> GetLock(int64_t lock_id) = 0;
  // Locks matching `filter`, by id; each carries only its matching components.
  virtual absl::StatusOr<std::vector<Lock>> ListLocks(const LockFilter& filter) = 0;
  // Locks that may overlap a lock on `database`.`table`, by id, with all their components: when
  // `table` is empty every lock on the database, else its DB-level locks and those on `table`
  // (whole table or any partition). The caller decides which components really overlap.
  virtual absl::StatusOr<std::vector<Lock>> ListLocksOnResource(const std::string& database,
                                                                const std::string& table) = 0;

  // Constraints (see storage/sqlite/sqlite_constraints.cc). The columns of the constraints
  // matching `filter`, in the order they were added, with the names of their table and (foreign
  // keys) of the referenced table; parent_key_name is left empty. InvalidArgument for a filter
  // that names no table.
  virtual absl::StatusOr<std::vector<ConstraintColumn>> ListConstraints(
      const ConstraintFilter& filter) = 0;
  // True if a constraint named `name` is on table `table_id` or is a foreign key referencing it.
  virtual absl::StatusOr<bool> ConstraintNameInUse(int64_t table_id, const std::string& name) = 0;

  // Transactions. NotFound if no transaction has that id (or its record was purged).
  virtual absl::StatusOr<TxnInfo> GetTxn(int64_t txn_id) = 0;
  // Transactions in `state`, by id.
  virtual absl::StatusOr<std::vector<TxnInfo>> ListTxns(TxnState state) = 0;
  // The highest transaction id ever assigned (0 if none).
  virtual absl::StatusOr<int64_t> GetTxnHighWaterMark() = 0;

  // Scheduled queries (see storage/sqlite/sqlite_scheduled_queries.cc). NotFound if missing.
  virtual absl::StatusOr<ScheduledQuery> GetScheduledQuery(const std::string& cluster_namespace,
                                                           const std::string& name) = 0;
  // NotFound if no execution has that id (or it was purged).
  virtual absl::StatusOr<ScheduledExecution> GetScheduledExecution(int64_t execution_id) = 0;
  // Runtime statistics created before `before` (all if `before` <= 0), newest first, until
  // `visit` returns false.
  virtual absl::Status ListRuntimeStats(int64_t before,
                                        const std::function<bool(RuntimeStat&&)>& visit) = 0;
  // Replication metrics of a policy, by scheduled execution id descending.
  virtual absl::StatusOr<std::vector<ReplicationMetrics>> ListReplicationMetricsOfPolicy(
      const std::string& policy) = 0;
  // NotFound if no metrics have that scheduled execution id.
  virtual absl::StatusOr<ReplicationMetrics> GetReplicationMetrics(
      int64_t scheduled_execution_id) = 0;
};

class WriteTxn : public ReadView {
 public:
  // AlreadyExists if a catalog of that name exists.
  virtual absl::Status CreateCatalog(const Catalog& catalog) = 0;
  // Replaces the catalog named catalog.name. NotFound if missing.
  virtual absl::Status UpdateCatalog(const Catalog& catalog) = 0;
  // Deletes the catalog row only; the caller has removed or checked its databases.
  virtual absl::Status DeleteCatalog(const std::string& name) = 0;

  // AlreadyExists if a database of that name exists in the catalog.
  virtual absl::Status CreateDatabase(const Database& db) = 0;
  // Replaces the database identified by (db.catalog, db.name). NotFound if missing.
  virtual absl::Status UpdateDatabase(const Database& db) = 0;
  // Deletes the database row only; the caller has removed or checked its contents.
  virtual absl::Status DeleteDatabase(const std::string& catalog, const std::string& name) = 0;
  virtual absl::StatusOr<int64_t> CountTables(const std::string& catalog,
                                              const std::string& database) = 0;

  // Inserts a table and returns its id. AlreadyExists on a duplicate name.
  virtual absl::StatusOr<int64_t> CreateTable(const Table& table) = 0;
  // Replaces the table with id `table_id` (its name, database and definition may change).
  // AlreadyExists if a rename collides with another table.
  virtual absl::Status UpdateTable(int64_t table_id, const Table& table) = 0;
  // Deletes a table with its partitions and statistics. Its versions stay as history.
  virtual absl::Status DeleteTable(int64_t table_id) = 0;
  // Rewrites partition locations that start with `old_prefix` to start with `new_prefix`.
  virtual absl::Status MovePartitionLocations(int64_t table_id, const std::string& old_prefix,
                                              const std::string& new_prefix) = 0;

  // Inserts partitions of `table`. AlreadyExists (naming the partition) on a duplicate.
  virtual absl::Status AddPartitions(const Table& table, const std::vector<Partition>& parts) = 0;
  // Replaces the partition with values `old_values` (its values may change: a rename).
  virtual absl::Status UpdatePartition(const Table& table,
                                       const std::vector<std::string>& old_values,
                                       const Partition& part) = 0;
  // Deletes a partition and its statistics. NotFound if missing.
  virtual absl::Status DeletePartition(const Table& table,
                                       const std::vector<std::string>& values) = 0;

  // Inserts or replaces statistics per column (merging with existing columns).
  virtual absl::Status UpsertTableColumnStats(const Table& table,
                                              const ColumnStatistics& stats) = 0;
  virtual absl::Status UpsertPartitionColumnStats(const Table& table,
                                                  const std::vector<std::string>& values,
                                                  const ColumnStatistics& stats) = 0;
  // An empty `column` deletes the statistics of every column. Returns how many rows were deleted.
  virtual absl::StatusOr<int64_t> DeleteTableColumnStats(const Table& table,
                                                         const std::string& engine,
                                                         const std::string& column) = 0;
  virtual absl::StatusOr<int64_t> DeletePartitionColumnStats(const Table& table,
                                                             const std::vector<std::string>& values,
                                                             const std::string& engine,
                                                             const std::string& column) = 0;

  virtual absl::Status CreateFunction(const Function& fn) = 0;
  // Replaces the function (catalog, database, name); `fn` may carry a new name or database.
  virtual absl::Status UpdateFunction(const std::string& catalog, const std::string& database,
                                      const std::string& name, const Function& fn) = 0;
  virtual absl::Status DeleteFunction(const std::string& catalog, const std::string& database,
                                      const std::string& name) = 0;
  virtual absl::StatusOr<int64_t> CountFunctions(const std::string& catalog,
                                                 const std::string& database) = 0;

  // Adds one constraint: `columns` share its kind and name and lie on table `table_id`; a foreign
  // key references `parent_table_id` (0 for the other kinds). Table and database names in
  // `columns` are ignored. A constraint is deleted with its table and with the table it
  // references, and follows either through a rename. AlreadyExists if the table already has a
  // constraint column of that name and position.
  virtual absl::Status AddConstraint(int64_t table_id, int64_t parent_table_id,
                                     const std::vector<ConstraintColumn>& columns) = 0;
  // Deletes the constraints named `name` that are on table `table_id` or reference it; returns
  // how many columns were deleted.
  virtual absl::StatusOr<int64_t> DeleteConstraint(int64_t table_id, const std::string& name) = 0;

  // History and the change feed. AppendEvent returns the new event's id.
  virtual absl::StatusOr<int64_t> AppendEvent(const Event& event) = 0;
  // Appends the next version of `table_id`; version.version is assigned (last + 1) and returned.
  virtual absl::StatusOr<int64_t> AppendTableVersion(int64_t table_id,
                                                     const TableVersion& version) = 0;

  // Locks. Inserts `lock` (its id is ignored) with its components and returns the new id.
  virtual absl::StatusOr<int64_t> CreateLock(const Lock& lock) = 0;
  // NotFound (for these three) if no lock has that id.
  virtual absl::Status SetLockState(int64_t lock_id, LockState state, int64_t acquired_ms) = 0;
  // Sets the lock's last heartbeat to `now_ms`; with `count`, also increments its heartbeat count.
  virtual absl::Status TouchLock(int64_t lock_id, int64_t now_ms, bool count) = 0;
  virtual absl::Status DeleteLock(int64_t lock_id) = 0;
  // Sets the last heartbeat of every lock of the transaction; returns how many there are.
  virtual absl::StatusOr<int64_t> TouchTxnLocks(int64_t txn_id, int64_t now_ms) = 0;
  // Deletes every lock of the transaction; returns how many there were.
  virtual absl::StatusOr<int64_t> DeleteTxnLocks(int64_t txn_id) = 0;
  // Deletes the locks last heartbeated before `cutoff_ms` and returns them (without components).
  virtual absl::StatusOr<std::vector<Lock>> DeleteExpiredLocks(int64_t cutoff_ms) = 0;

  // Transactions. Inserts `txn` (its id is ignored) and returns the new id.
  virtual absl::StatusOr<int64_t> CreateTxn(const TxnInfo& txn) = 0;
  // NotFound (for both) if no transaction has that id.
  virtual absl::Status SetTxnState(int64_t txn_id, TxnState state, int64_t finished_ms) = 0;
  virtual absl::Status TouchTxn(int64_t txn_id, int64_t now_ms) = 0;
  // Ids of the open transactions last heartbeated before `cutoff_ms`, by id.
  virtual absl::StatusOr<std::vector<int64_t>> ListExpiredTxns(int64_t cutoff_ms) = 0;
  // Deletes committed and aborted transactions that finished before `before_ms`.
  virtual absl::StatusOr<int64_t> DeleteFinishedTxns(int64_t before_ms) = 0;

  // Scheduled queries. Inserts `query` (its id is ignored) and returns its id; AlreadyExists
  // for a duplicate (namespace, name).
  virtual absl::StatusOr<int64_t> CreateScheduledQuery(const ScheduledQuery& query) = 0;
  // Replaces the query with id query.id. NotFound if missing.
  virtual absl::Status UpdateScheduledQuery(const ScheduledQuery& query) = 0;
  // Deletes a query with its executions. NotFound if missing.
  virtual absl::Status DeleteScheduledQuery(int64_t query_id) = 0;
  // The enabled query of the namespace due first (next execution at or before `now`) that has
  // no active execution, if any.
  virtual absl::StatusOr<std::optional<ScheduledQuery>> NextDueScheduledQuery(
      const std::string& cluster_namespace, int64_t now) = 0;
  // Inserts `execution` (its id is ignored) and returns its id.
  virtual absl::StatusOr<int64_t> CreateScheduledExecution(const ScheduledExecution& execution) = 0;
  // Replaces the execution with id execution.id. NotFound if missing.
  virtual absl::Status UpdateScheduledExecution(const ScheduledExecution& execution) = 0;
  // Clears the active execution of the query whose active execution is `execution_id`.
  virtual absl::Status ClearActiveScheduledExecution(int64_t execution_id) = 0;
  // Active executions (INITED or EXECUTING) last updated before `cutoff`, by id.
  virtual absl::StatusOr<std::vector<ScheduledExecution>> ListStaleScheduledExecutions(
      int64_t cutoff) = 0;
  // Deletes the finished executions that started before `cutoff`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteScheduledExecutionsBefore(int64_t cutoff) = 0;

  // Inserts a runtime statistic (its id is ignored).
  virtual absl::Status AddRuntimeStat(const RuntimeStat& stat) = 0;
  // Deletes the runtime statistics created before `cutoff`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteRuntimeStatsBefore(int64_t cutoff) = 0;
  // Inserts or replaces the metrics of metrics.scheduled_execution_id.
  virtual absl::Status PutReplicationMetrics(const ReplicationMetrics& metrics) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Runs `fn` against a snapshot of committed state.
  virtual absl::Status Read(const std::function<absl::Status(ReadView&)>& fn) = 0;
  // Runs `fn` in one write transaction. Commits (durably) if `fn` returns OK, else rolls back
  // and returns fn's status. A commit failure is returned as the store's error.
  virtual absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) = 0;
  // Flushes the write-ahead log into the main file (used on shutdown).
  virtual absl::Status Checkpoint() = 0;
};

}  // namespace almanac
