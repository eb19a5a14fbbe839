#pragma once

// CatalogService: the one place that holds the metastore's rules. Both front ends (Thrift and,
// later, gRPC) convert their wire types to the domain model, make one call here, and convert the
// result back. Validation, name normalisation, defaults (locations, times), Hive's table-type
// rules, the history of table definitions and the change feed all live here, written once.
//
// Each mutating method runs as exactly one Store::Write transaction: it appends its change-feed
// event and, for tables, the new table version in that same transaction.
//
// Thread-safety: safe to call from many threads at once (all state lives in the Store).
// Ownership: does not own the Store passed in; it must outlive the service.
//
// Status codes (the front ends map them to wire errors):
//   NotFound           a catalog, database, table, partition, function or statistic that does
//                      not exist
//   AlreadyExists      creating something that already exists
//   InvalidArgument    malformed input: a bad name, wrong number of partition values, a filter
//                      that does not parse
//   FailedPrecondition an operation that is not allowed in the current state (dropping a
//                      non-empty database, altering a missing table, a failed compare-and-swap)
//   Aborted            the compare-and-swap of an alter failed (message matches Hive's text)
//   PermissionDenied   dropping what HMS never drops: catalog "hive", its database "default"
//   other              storage failures
// Lock and transaction errors are also tagged with their subject (server/core/error_subject.h),
// because HMS answers them with per-kind exceptions (NoSuchLockException, NoSuchTxnException,
// TxnAbortedException, TxnOpenException).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/location_guard.h"
#include "server/core/partition_specs.h"
#include "server/core/periodic_task.h"
#include "server/core/query_metrics.h"
#include "server/core/scheduled_queries.h"
#include "server/core/validation.h"
#include "storage/model.h"
#include "storage/store.h"

namespace almanac {

class DirectoryListings;

// Who is asking. The principal is whatever the client claimed (set_ugi or a request field).
struct RequestContext {
  std::string principal;
};

struct CatalogOptions {
  // Root under which default database directories are created ("<root>/<db>.db").
  // A plain path is treated as a "file:" location.
  std::string warehouse_root = "file:/tmp/almanac/warehouse";
  // Create missing "file:" directories for new databases, tables and partitions, as Hive does.
  bool create_directories = true;
  // A lock or transaction not heartbeated for this long is reaped (Hive's hive.txn.timeout).
  int64_t lock_timeout_s = 300;
  // Compute numFiles and totalSize of new tables and partitions from their "file:" directories
  // (Hive's hive.stats.autogather; server/core/quick_stats.h).
  bool stats_auto_gather = true;
  // Local roots, besides the warehouse root, under which the server may delete, create, move
  // and list files ("file:" URIs or absolute paths; server/core/location_guard.h).
  std::vector<std::string> allowed_roots;
  // The budget of one call's quick-stats listings: directory entries read, and time
  // (server/core/directory_listings.h).
  int64_t quick_stats_max_entries = 10000;
  int64_t quick_stats_timeout_ms = 2000;
  // Hadoop-style trash root ("file:" URI or absolute path) that dropped partition data moves
  // to unless purged (LocationGuard::Discard); empty: data is deleted.
  std::string trash_dir;
  // Most partitions one listing of whole partitions may ask for or return (HMS's
  // metastore.limit.partition.request); negative: no limit.
  int64_t partition_request_limit = -1;
};

// The properties of a call's EnvironmentContext: per-call hints such as DO_NOT_UPDATE_STATS
// and STATS_GENERATED. Empty when the call carries none.
using EnvironmentProperties = std::map<std::string, std::string>;

// Options of a create_table call.
struct CreateTableOptions {
  EnvironmentProperties environment;
  // Hive 4's "setStatsStateForCreateTable" entry of the table's dictionary: JSON telling the
  // metastore to mark a table created empty as having accurate, zero statistics.
  std::optional<std::string> stats_setup;
  // Constraints created with the table, in its transaction (create_table_req and
  // create_table_with_constraints), as AddConstraints adds them; a column that names no catalog
  // is in the table's.
  TableConstraints constraints;
};

// Which foreign keys get_foreign_keys returns: those the foreign table holds and/or those
// referencing the parent table. At least one of the two tables must be named; a database given
// without its table filters by database.
struct ForeignKeyQuery {
  std::string catalog;  // Empty: "hive".
  std::optional<std::string> parent_database;
  std::optional<std::string> parent_table;
  std::optional<std::string> foreign_database;
  std::optional<std::string> foreign_table;
};

// A lock request (HMS's LockRequest): all components are granted together or not at all.
struct LockRequest {
  std::vector<LockComponent> components;
  int64_t txn_id = 0;  // 0: the lock belongs to no transaction.
  std::string user;
  std::string host;
  std::string agent_info;
};

// An open_txns request.
struct OpenTxnsRequest {
  int32_t count = 1;
  std::string user;
  std::string host;
  std::string agent_info;
  int32_t type = 0;  // Hive's TxnType; 0 = DEFAULT.
};

// What get_open_txns reports.
struct OpenTxnList {
  int64_t high_water_mark = 0;  // The highest transaction id ever assigned.
  // The open and the aborted (not yet purged) transactions, by id.
  std::vector<TxnInfo> txns;
};

// Options of an alter_table call.
struct AlterTableOptions {
  bool cascade = false;  // Also apply column changes to every partition.
  // Compare-and-swap: when `expected_key` is set, the stored table's parameter of that key
  // must equal `expected_value` at the moment of the update.
  std::optional<std::string> expected_key;
  std::optional<std::string> expected_value;
  EnvironmentProperties environment;
};

// Which partitions of a table a listing returns. All criteria that are set must hold.
struct PartitionSelector {
  std::optional<std::string> filter;  // Hive filter text; empty text means "all".
  // Partial specification: one value per leading partition key, "" matches any value.
  std::optional<std::vector<std::string>> partial_values;
  std::optional<std::vector<std::string>> names;  // Exact partition names.
  int64_t max_results = -1;                       // Negative: no limit.
  // ListPartitionNames of a missing table (named by non-empty names) lists nothing instead of
  // failing, as HMS's get_partition_names and fetch_partition_names_req do.
  bool missing_table_lists_nothing = false;
};

struct TableMeta {
  std::string catalog;
  std::string database;
  std::string name;
  std::string table_type;
  std::optional<std::string> comment;  // The table's "comment" parameter, if it has one.
  std::string owner;
  PrincipalType owner_type = PrincipalType::kUser;
};

class CatalogService {
 public:
  using Clock = std::function<int64_t()>;  // Seconds since the epoch.

  CatalogService(Store* store, CatalogOptions options, Clock clock = nullptr);
  CatalogService(const CatalogService&) = delete;
  CatalogService& operator=(const CatalogService&) = delete;
  ~CatalogService();  // Stops the lock reaper.

  const CatalogOptions& options() const { return options_; }
  // Where the server may touch files: the warehouse root and options().allowed_roots.
  const LocationGuard& location_guard() const { return guard_; }
  // Scheduled queries (scheduled_queries.h) and engines' runtime statistics and replication
  // metrics (query_metrics.h), on the same store and clock.
  ScheduledQueries& scheduled_queries() { return scheduled_queries_; }
  QueryMetrics& query_metrics() { return query_metrics_; }

  // --- Catalogs (catalogs.cc) ---
  // Catalog names are case-insensitive: every method lower-cases the names it is given. "hive"
  // always exists, located at the warehouse root.
  //
  // Creates the catalog, with its create time, and its database "default" located at the
  // catalog's location, in one transaction. The location is kept as given; its "file:" directory
  // is made first (options().create_directories). AlreadyExists "Catalog <name> already exists";
  // InvalidArgument "<name> is not a valid catalog name" or "You must specify a path for the
  // catalog"; Internal "Unable to create catalog path ..." when the directory cannot be made.
  absl::StatusOr<Catalog> CreateCatalog(const RequestContext& ctx, Catalog catalog);
  // NotFound "No catalog <name>".
  absl::StatusOr<Catalog> GetCatalog(const std::string& name);
  // Every catalog's name, sorted.
  absl::StatusOr<std::vector<std::string>> ListCatalogs();
  // Replaces the description and the location with those of `changes` that are not blank; the
  // create time stays. NotFound as GetCatalog; FailedPrecondition "You cannot change a catalog's
  // name" when changes.name names another catalog.
  absl::Status AlterCatalog(const RequestContext& ctx, const std::string& name,
                            const Catalog& changes);
  // Drops a catalog that holds no database but an empty "default", which goes with it; their
  // directories are removed if they are empty. PermissionDenied "Can not drop hive catalog";
  // NotFound as GetCatalog; FailedPrecondition "There are non-default databases in the catalog
  // <name> so it cannot be dropped." or "There are still objects in the default database for
  // catalog <name>".
  absl::Status DropCatalog(const RequestContext& ctx, const std::string& name);

  // --- Databases (databases.cc) ---
  // Returns the database as stored: normalised name, default location and owner, create time.
  // A database without a location is placed at "<warehouse>/<name>.db" in catalog "hive" (the
  // warehouse itself for "default") and at "<catalog location>/<name>.db" in other catalogs.
  // InvalidArgument "No such catalog <catalog>" when its catalog does not exist.
  absl::StatusOr<Database> CreateDatabase(const RequestContext& ctx, Database db);
  absl::StatusOr<Database> GetDatabase(const std::string& catalog, const std::string& name);
  // `pattern` uses Hive's syntax ('*' wildcard, '|' alternatives); empty lists all.
  absl::StatusOr<std::vector<std::string>> ListDatabases(const std::string& catalog,
                                                         const std::string& pattern);
  // Replaces what HMS replaces: the parameters and the owner's name (an empty one included);
  // the owner's type only when `owner_type_given`; the description, location and managed
  // location only when the new ones are not blank. The name, catalog and create time stay.
  // NotFound "Database <catalog>.<name> does not exist".
  absl::Status AlterDatabase(const RequestContext& ctx, const std::string& catalog,
                             const std::string& name, Database db, bool owner_type_given = true);
  absl::Status DropDatabase(const RequestContext& ctx, const std::string& catalog,
                            const std::string& name, bool delete_data, bool cascade);

  // --- Tables (tables.cc) ---
  // Quick stats of the new table follow ApplyCreateTableStats (server/core/quick_stats.h).
  absl::StatusOr<Table> CreateTable(const RequestContext& ctx, Table table,
                                    const CreateTableOptions& options = {});
  absl::StatusOr<Table> GetTable(const std::string& catalog, const std::string& db,
                                 const std::string& name);
  // Tables that exist among `names`, in the order asked; missing ones are skipped.
  absl::StatusOr<std::vector<Table>> GetTables(const std::string& catalog, const std::string& db,
                                               const std::vector<std::string>& names);
  // An empty `db` is MetaException material: InvalidArgument tagged kMalformedRequest.
  absl::StatusOr<std::vector<std::string>> ListTables(const std::string& catalog,
                                                      const std::string& db,
                                                      const std::string& pattern,
                                                      const std::optional<std::string>& type);
  // The tables whose database matches `db_pattern` and whose name matches `table_pattern`
  // (Hive patterns, names.h; an empty table pattern matches nothing), by database and name, as
  // HMS's get_table_objects_by_name_req with a tablesPattern. NotFound "DB name is null or
  // empty" for an empty pattern, and "Database <cat>.<db> does not exist" when nothing matched
  // and no database has the name `db_pattern`.
  absl::StatusOr<std::vector<Table>> ListTablesMatching(const std::string& catalog,
                                                        const std::string& db_pattern,
                                                        const std::string& table_pattern);
  // Names of the database's materialized views with rewriting enabled, sorted; none for a
  // database or catalog that does not exist.
  absl::StatusOr<std::vector<std::string>> ListMaterializedViewsForRewriting(
      const std::string& catalog, const std::string& db);
  // Deletes the files of the table, or of its partitions named in `partition_names` (all of
  // them when absent; names matching no partition are skipped), keeping the directories, then
  // sets their present basic statistics (numFiles, numRows, totalSize, rawDataSize,
  // numFilesErasureCoded) to 0 and COLUMN_STATS_ACCURATE to {"BASIC_STATS":"true"}, as HMS
  // does. Nothing is deleted unless every directory is a "file:" location under the allowed
  // roots (and not a root): otherwise FailedPrecondition naming it. NotFound for a missing
  // table; FailedPrecondition for a view; Internal when the file system refuses a deletion.
  absl::Status TruncateTable(const RequestContext& ctx, const std::string& catalog,
                             const std::string& db, const std::string& name,
                             const std::optional<std::vector<std::string>>& partition_names);
  // Tables of the databases matching `db_pattern` (every database when it is absent, none
  // when it is empty, as in HMS) whose names match `table_pattern` and whose type is among
  // `types` (any when empty). Hive patterns (names.h).
  absl::StatusOr<std::vector<TableMeta>> GetTableMeta(const std::string& catalog,
                                                      const std::optional<std::string>& db_pattern,
                                                      const std::string& table_pattern,
                                                      const std::vector<std::string>& types);
  // Names of the tables that match Hive's table filter (server/core/table_filter.h), sorted,
  // at most `max_tables` of them (negative: all). None for a database that does not exist.
  // NotFound "DB name is null or empty" for an empty catalog or database; FailedPrecondition
  // for an empty filter; InvalidArgument for a filter TableFilter refuses.
  absl::StatusOr<std::vector<std::string>> ListTableNamesByFilter(const std::string& catalog,
                                                                  const std::string& db,
                                                                  const std::string& filter,
                                                                  int64_t max_tables);
  // Quick stats of an unpartitioned table follow ApplyAlterTableStats unless it is a rename.
  // FailedPrecondition "Tables cannot be moved between catalogs, ..." when new_table names
  // another catalog.
  absl::Status AlterTable(const RequestContext& ctx, const std::string& catalog,
                          const std::string& db, const std::string& name, Table new_table,
                          const AlterTableOptions& options);
  absl::Status DropTable(const RequestContext& ctx, const std::string& catalog,
                         const std::string& db, const std::string& name, bool delete_data);
  absl::StatusOr<std::vector<TableVersion>> ListTableVersions(const std::string& catalog,
                                                              const std::string& db,
                                                              const std::string& name);

  // --- Partitions (partitions.cc) ---
  // Whose database and table names AddPartitions takes for each partition.
  enum class PartitionNames {
    kTarget,  // The target table's, whatever the partitions carry.
    // Each partition's own, as the client spelt them; HMS refuses (malformed) a partition whose
    // names differ from `db` and `table` as the request spelt them, even in case only.
    kAsSent,
  };
  // Adds partitions in one transaction. With `if_not_exists`, existing ones are skipped and
  // only the new ones are returned. Quick stats follow ApplyAddPartitionStats. As in HMS, a
  // missing table is InvalidArgument, and a partition without values, with values that do not
  // match the keys, or with a storage descriptor HMS refuses (see partitions.cc) is malformed.
  absl::StatusOr<std::vector<Partition>> AddPartitions(
      const RequestContext& ctx, const std::string& catalog, const std::string& db,
      const std::string& table, std::vector<Partition> parts, bool if_not_exists,
      const EnvironmentProperties& environment = {},
      PartitionNames names = PartitionNames::kTarget);
  // Creates a partition from the table's storage descriptor (append_partition). As in HMS: a
  // missing table is InvalidArgument; no values, a view, or values that do not match the keys
  // are refused as malformed (MetaException).
  absl::StatusOr<Partition> AppendPartition(const RequestContext& ctx, const std::string& catalog,
                                            const std::string& db, const std::string& table,
                                            const std::vector<std::string>& values,
                                            const EnvironmentProperties& environment = {});
  // AppendPartition by a name "k1=v1/k2=v2", read as HMS reads it: components in any order,
  // others ignored; a missing key is InvalidArgument, an empty name malformed.
  absl::StatusOr<Partition> AppendPartitionByName(const RequestContext& ctx,
                                                  const std::string& catalog, const std::string& db,
                                                  const std::string& table, const std::string& name,
                                                  const EnvironmentProperties& environment = {});
  absl::StatusOr<Partition> GetPartition(const std::string& catalog, const std::string& db,
                                         const std::string& table,
                                         const std::vector<std::string>& values);
  absl::StatusOr<Partition> GetPartitionByName(const std::string& catalog, const std::string& db,
                                               const std::string& table, const std::string& name);
  // The partitions `selector` picks, in name order; `table_out` (if given) receives the table.
  // InvalidArgument (kMalformedRequest) past options_.partition_request_limit.
  absl::StatusOr<std::vector<Partition>> ListPartitions(const std::string& catalog,
                                                        const std::string& db,
                                                        const std::string& table,
                                                        const PartitionSelector& selector,
                                                        Table* table_out = nullptr);
  absl::StatusOr<std::vector<std::string>> ListPartitionNames(const std::string& catalog,
                                                              const std::string& db,
                                                              const std::string& table,
                                                              const PartitionSelector& selector);
  absl::StatusOr<int64_t> CountPartitions(const std::string& catalog, const std::string& db,
                                          const std::string& table,
                                          const PartitionSelector& selector);
  // Replaces partitions (matched by their values) in one transaction; their definitions are
  // taken as given, except the quick stats that ApplyAlterPartitionStats recomputes.
  absl::Status AlterPartitions(const RequestContext& ctx, const std::string& catalog,
                               const std::string& db, const std::string& table,
                               std::vector<Partition> parts,
                               const EnvironmentProperties& environment = {});
  absl::Status RenamePartition(const RequestContext& ctx, const std::string& catalog,
                               const std::string& db, const std::string& table,
                               const std::vector<std::string>& old_values, Partition new_part);
  // Drops partitions in one transaction. With `delete_data` (and a table whose data Hive
  // deletes) their directories are removed afterwards as HMS does: an archived partition's
  // original location instead of its own, and then the parents that are left empty, up to the
  // table's depth of keys; into the trash unless `purge`, or the table's skip.trash or
  // auto.purge, says so.
  absl::StatusOr<std::vector<Partition>> DropPartitions(
      const RequestContext& ctx, const std::string& catalog, const std::string& db,
      const std::string& table, const std::vector<std::vector<std::string>>& values,
      bool delete_data, bool if_exists, bool purge = false);
  // The values a partition name gives for the table's keys, as HMS looks partitions up by name
  // (get and drop): "key=value" components (escaped), matched to the keys case-sensitively;
  // other components and extra keys are ignored. NotFound when a key has no value; a
  // kMalformedRequest InvalidArgument for an empty name.
  absl::StatusOr<std::vector<std::string>> LookupValuesFromName(const Table& table,
                                                                const std::string& name);
  // Splits "k1=v1/k2=v2" into values in the table's key order (unescaped).
  absl::StatusOr<std::vector<std::string>> PartitionValuesFromName(const Table& table,
                                                                   const std::string& name);

  // --- Partition specs, values and exchange (partition_specs.cc, partition_exchange.cc) ---
  // Adds the partitions of `specs` to the table the first spec names, as AddPartitions does
  // (all or nothing); returns how many were added. InvalidArgument tagged kMalformedRequest
  // for a spec without a database or table name, a partition of another table or a shared
  // storage descriptor without a location.
  absl::StatusOr<int64_t> AddPartitionSpecs(const RequestContext& ctx,
                                            std::vector<PartitionSpec> specs);
  // The selected partitions as HMS's get_partitions_pspec returns them: one spec listing them
  // all, or, when the table sets kPartitionSpecGroupingKey to "true", specs that share a
  // storage descriptor for those under the table's location and one list for the others.
  absl::StatusOr<std::vector<PartitionSpec>> ListPartitionSpecs(const std::string& catalog,
                                                                const std::string& db,
                                                                const std::string& table,
                                                                const PartitionSelector& selector);
  // Rows of partition values (PartitionValuesQuery). NotFound for a missing table;
  // InvalidArgument for no keys, a key that is not a partition key, or a bad filter.
  absl::StatusOr<std::vector<std::vector<std::string>>> ListPartitionValues(
      const PartitionValuesQuery& query);
  // Moves the partitions of `source` that match `spec` (partition key -> value; a key left out
  // or empty matches any value) to `dest`, in one transaction, with their directory for "file:"
  // locations. Returns the partitions as they now are in `dest`. NotFound for a missing table;
  // FailedPrecondition when the tables' columns or partition keys differ, a partition already
  // exists in `dest`, or the data cannot be moved; InvalidArgument for a spec that names no
  // partition key or skips one, or that matches nothing.
  absl::StatusOr<std::vector<Partition>> ExchangePartitions(
      const RequestContext& ctx, const std::map<std::string, std::string>& spec,
      const TableRef& source, const TableRef& dest);

  // --- Column statistics (statistics.cc) ---
  absl::Status UpdateColumnStatistics(const RequestContext& ctx, ColumnStatistics stats);
  absl::StatusOr<std::vector<ColumnStatsObj>> GetTableColumnStatistics(
      const std::string& catalog, const std::string& db, const std::string& table,
      const std::vector<std::string>& columns, const std::string& engine);
  absl::StatusOr<std::map<std::string, std::vector<ColumnStatsObj>>> GetPartitionColumnStatistics(
      const std::string& catalog, const std::string& db, const std::string& table,
      const std::vector<std::string>& partition_names, const std::vector<std::string>& columns,
      const std::string& engine);
  // Aggregates per column over the named partitions; `parts_found` counts partitions that
  // had statistics for the requested columns.
  absl::StatusOr<std::vector<ColumnStatsObj>> AggregatePartitionColumnStatistics(
      const std::string& catalog, const std::string& db, const std::string& table,
      const std::vector<std::string>& partition_names, const std::vector<std::string>& columns,
      const std::string& engine, int64_t* parts_found);
  // An empty `column` deletes every column's statistics. NotFound when nothing was deleted.
  absl::Status DeleteTableColumnStatistics(const RequestContext& ctx, const std::string& catalog,
                                           const std::string& db, const std::string& table,
                                           const std::string& column, const std::string& engine);
  absl::Status DeletePartitionColumnStatistics(const RequestContext& ctx,
                                               const std::string& catalog, const std::string& db,
                                               const std::string& table,
                                               const std::string& partition_name,
                                               const std::string& column,
                                               const std::string& engine);

  // --- Functions (functions.cc) ---
  // Fields are checked as ValidateFunctionFields says (server/core/validation.h). The create time
  // is the server's; a function without an owner gets the caller's name. NotFound "The database
  // <db> does not exist"; AlreadyExists "Function <name> already exists".
  absl::Status CreateFunction(const RequestContext& ctx, Function fn,
                              const MissingFunctionFields& missing = {});
  // NotFound "Function <catalog>.<db>.<name> does not exist".
  absl::StatusOr<Function> GetFunction(const std::string& catalog, const std::string& db,
                                       const std::string& name);
  // The names of the database's functions that match `pattern` (Hive's syntax, as
  // ListDatabases); an empty pattern matches none, as in HMS, and nullopt matches all. A
  // missing database has none.
  absl::StatusOr<std::vector<std::string>> ListFunctions(const std::string& catalog,
                                                         const std::string& db,
                                                         const std::optional<std::string>& pattern);
  absl::StatusOr<std::vector<Function>> ListAllFunctions(const std::string& catalog);
  // Changes what HMS changes: the name, database, owner, class name and function type; the
  // resource URIs and the create time stay. Fields are checked as by CreateFunction, then:
  // InvalidArgument "You cannot move a function between catalogs"; NotFound "The database <db>
  // does not exist" (the new one) and "Function <catalog>.<db>.<name> does not exist" (the old
  // one); AlreadyExists when the new name is taken.
  absl::Status AlterFunction(const RequestContext& ctx, const std::string& catalog,
                             const std::string& db, const std::string& name, Function fn,
                             const MissingFunctionFields& missing = {});
  absl::Status DropFunction(const RequestContext& ctx, const std::string& catalog,
                            const std::string& db, const std::string& name);

  // --- Table constraints (constraints.cc) ---
  // HMS's primary, foreign and unique keys and its not-null, default and check constraints, one
  // ConstraintColumn per column. Catalog, database, table, column and constraint names are
  // lower-cased. Each add or drop is one transaction with its change-feed events. A constraint
  // is dropped with the table that holds it and with the table it references, and follows either
  // through a rename.
  //
  // Adds the constraints `columns` describe (grouped as GroupConstraintColumns says); a column
  // that names no catalog is in "hive"; an unnamed constraint gets a generated name. Errors, as
  // HMS raises them:
  //   InvalidArgument "Parent table not found: <table>" (for the table holding a foreign key:
  //     "Child table not found: <table>"), "Parent column not found: <column>" or "Child column
  //     not found: <column>" for a key or not-null column the table lacks (default and check
  //     constraints are not checked against the columns, as in HMS), "Constraint name already
  //     exists: <db>.<table>.<name>" when the table (or the referenced table) has a constraint
  //     of that name, "Foreign keys cannot span catalogs";
  //   FailedPrecondition "Primary key already exists for: <catalog>.<db>.<table>", and a foreign
  //     key that references no primary or unique key of its table (CheckForeignKeyTarget);
  //   InvalidArgument tagged kStoreLimit or kMalformedRequest as NormalizeConstraintColumns and
  //     GroupConstraintColumns (server/core/constraint_rules.h) describe.
  absl::Status AddConstraints(const RequestContext& ctx, ConstraintKind kind,
                              std::vector<ConstraintColumn> columns);
  // The constraints of `kind` on a table (for kForeignKey, those it holds, each with the name of
  // the key it references); empty for a missing catalog, database or table, as HMS answers.
  absl::StatusOr<std::vector<ConstraintColumn>> ListConstraints(ConstraintKind kind,
                                                                const std::string& catalog,
                                                                const std::string& db,
                                                                const std::string& table);
  // Foreign keys as ListConstraints returns them. InvalidArgument tagged kMalformedRequest when
  // the query names neither table.
  absl::StatusOr<std::vector<ConstraintColumn>> ListForeignKeys(const ForeignKeyQuery& query);
  // Every constraint of a table; all empty for a missing catalog, database or table.
  absl::StatusOr<TableConstraints> ListAllConstraints(const std::string& catalog,
                                                      const std::string& db,
                                                      const std::string& table);
  // Drops the constraint `name` on the table, or a foreign key of that name referencing it.
  // NotFound "The constraint: <name> does not exist for the associated table: <db>.<table>",
  // also when the table does not exist.
  absl::Status DropConstraint(const RequestContext& ctx, const std::string& catalog,
                              const std::string& db, const std::string& table,
                              const std::string& name);

  // --- Locks (locks.cc) and transactions (txns.cc): HMS's lock manager ---
  // Locks and transactions are stored, so they survive a restart. One that is not heartbeated
  // for options().lock_timeout_s is reaped: every call below first reaps in its own write
  // transaction, so no answer depends on when the reaper thread last ran. An error a caller
  // caused (a missing lock, say) still commits that reaping. Ids are never reused.
  //
  // Queues a lock and grants it at once unless another lock blocks it (lock_rules.h): returns
  // the stored lock, kAcquired or kWaiting. InvalidArgument for no or malformed components; with
  // a txn_id, the errors of RequireOpenTxn (lock_rules.h).
  absl::StatusOr<Lock> AcquireLock(const LockRequest& request);
  // Heartbeats the lock (or its transaction) and grants it if it is waiting and nothing blocks it
  // any more. NotFound "No such lock lockid:N" (tagged kLock) if it does not exist or was reaped.
  absl::StatusOr<Lock> CheckLock(int64_t lock_id);
  // Releases a lock. NotFound as CheckLock; FailedPrecondition (tagged kTxn) for an acquired lock
  // of a transaction, which only commit_txn or abort_txn release.
  absl::Status Unlock(int64_t lock_id);
  // Heartbeats a transaction (with its locks) and/or a lock; a zero id is ignored. NotFound
  // "No such lock: lockid:N" (tagged kLock), or the errors of RequireOpenTxn.
  absl::Status Heartbeat(int64_t lock_id, int64_t txn_id);
  // Live locks matching `filter` (names are normalised here), by id, each with its matching
  // components only.
  absl::StatusOr<std::vector<Lock>> ShowLocks(LockFilter filter);
  // One reaping pass (what the reaper thread runs): reaps expired locks and transactions and
  // purges transactions finished more than a day ago. Returns how many locks were reaped.
  absl::StatusOr<int64_t> ReapExpiredLocks();
  // Starts (or restarts) the thread that calls ReapExpiredLocks every `interval`.
  void StartLockReaper(absl::Duration interval);
  void StopLockReaper();

  // Opens request.count transactions (1 to 1000); returns their ids. InvalidArgument otherwise.
  absl::StatusOr<std::vector<int64_t>> OpenTxns(const OpenTxnsRequest& request);
  // Commits an open transaction, releasing its locks. Committing it again is a no-op. Otherwise
  // the errors of RequireOpenTxn.
  absl::Status CommitTxn(int64_t txn_id);
  // Aborts an open transaction, releasing its locks. Aborting it again is a no-op. Otherwise the
  // errors of RequireOpenTxn.
  absl::Status AbortTxn(int64_t txn_id);
  absl::StatusOr<OpenTxnList> GetOpenTxns();

 private:
  // Milliseconds since the epoch (from the clock, if one was given).
  int64_t NowMillis() const;
  // Runs `fn` in one write transaction after reaping. A status tagged with an ErrorSubject, or
  // InvalidArgument, is the caller's mistake rather than a failure: the transaction still commits
  // (the reaping, and any heartbeat `fn` recorded first) and the status is returned. Any other
  // error rolls back. Sets `*reaped_locks` (if given) to the number of locks reaped.
  absl::Status LockWrite(const std::function<absl::Status(WriteTxn&, int64_t now_ms)>& fn,
                         int64_t* reaped_locks = nullptr);
  int64_t Now() const;
  // Appends a change-feed event inside `txn`; returns its id.
  absl::StatusOr<int64_t> RecordEvent(WriteTxn& txn, const RequestContext& ctx,
                                      const std::string& type, const std::string& catalog,
                                      const std::string& db, const std::string& table,
                                      const std::string& detail);
  // Appends an event and a new version of `table` (whose id is set) inside `txn`.
  absl::Status RecordTableChange(WriteTxn& txn, const RequestContext& ctx,
                                 const std::string& event_type, const std::string& operation,
                                 const Table& table);
  absl::StatusOr<Table> ReadTable(ReadView& view, const std::string& catalog, const std::string& db,
                                  const std::string& name);
  absl::Status BuildQuery(const Table& table, const PartitionSelector& selector,
                          FilterNodePtr* filter_storage, PartitionQuery* query);
  // In one read: finds the table, compiles `selector` for it, and runs `fn` with the query.
  // NotFound for a missing table; InvalidArgument for a selector that does not fit the table.
  absl::Status ReadSelectedPartitions(
      const std::string& catalog, const std::string& db, const std::string& table_name,
      const PartitionSelector& selector,
      const std::function<absl::Status(ReadView&, const Table&, const PartitionQuery&)>& fn);
  absl::Status PreparePartition(const Table& table, Partition& part, int64_t now);
  // MetaException-class InvalidArgument when a listing of whole partitions of `table` would ask
  // for (max_results >= 0) or return more than options_.partition_request_limit.
  absl::Status CheckPartitionRequestLimit(ReadView& view, const Table& table,
                                          const PartitionQuery& query) const;
  // InvalidArgument (kMalformedRequest) unless `part` names `table` (database and table name).
  static absl::Status CheckSameTable(const Table& table, const Partition& part);
  // Removes a dropped partition's data (see DropPartitions).
  absl::Status DiscardPartitionData(const Table& table, const Partition& part, bool purge) const;
  absl::StatusOr<Table> TableToAppendTo(const std::string& catalog, const std::string& db,
                                        const std::string& table);
  absl::StatusOr<Partition> AppendToTable(const RequestContext& ctx, const Table& table,
                                          const std::string& db, const std::string& table_name,
                                          const std::vector<std::string>& values,
                                          const EnvironmentProperties& environment);
  // Fills in an altered partition from the stored one and recomputes its quick stats.
  void PrepareAlteredPartition(const Table& table, const Partition& old, Partition& part,
                               int64_t now, const EnvironmentProperties& environment,
                               DirectoryListings& listings);
  // The listings of one call, within the configured budget.
  DirectoryListings NewListings() const;
  // Deletes `table` inside `txn` and records the event. With `delete_data` (and a table whose
  // data Hive deletes) appends the directories to delete once committed to `locations`.
  absl::Status DropTableContents(WriteTxn& txn, const RequestContext& ctx, const Table& table,
                                 bool delete_data, std::vector<std::string>* locations);

  // AddConstraints inside `txn`, with `default_catalog` for columns that name none.
  absl::Status AddConstraintsInTxn(WriteTxn& txn, const RequestContext& ctx, ConstraintKind kind,
                                   const std::string& default_catalog,
                                   std::vector<ConstraintColumn> columns);
  // The constraints of a create_table call, keys first so that a foreign key may reference a
  // key created with it.
  absl::Status AddTableConstraintsInTxn(WriteTxn& txn, const RequestContext& ctx,
                                        const std::string& default_catalog,
                                        const TableConstraints& constraints);

  Store* store_;  // Not owned.
  CatalogOptions options_;
  LocationGuard guard_;
  Clock clock_;
  ScheduledQueries scheduled_queries_;
  QueryMetrics query_metrics_;
  absl::Mutex reaper_mu_;
  std::unique_ptr<PeriodicTask> reaper_ ABSL_GUARDED_BY(reaper_mu_);
};

}  // namespace almanac
