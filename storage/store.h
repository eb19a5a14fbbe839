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

class ReadView {
 public:
  virtual ~ReadView() = default;

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
};

class WriteTxn : public ReadView {
 public:
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

  // History and the change feed. AppendEvent returns the new event's id.
  virtual absl::StatusOr<int64_t> AppendEvent(const Event& event) = 0;
  // Appends the next version of `table_id`; version.version is assigned (last + 1) and returned.
  virtual absl::StatusOr<int64_t> AppendTableVersion(int64_t table_id,
                                                     const TableVersion& version) = 0;
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
