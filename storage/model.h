#pragma once

// The catalog's domain model: plain C++ values shared by the core and the storage layer.
// No wire type (Thrift or protobuf) appears below the adapters; each front end converts to and from
// these structs in one file of its own.
//
// Times are seconds since the Unix epoch. Names are stored as the core normalised them (lower
// case).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace almanac {

using Params = std::map<std::string, std::string>;

inline constexpr char kDefaultCatalog[] = "hive";

enum class PrincipalType { kUser = 1, kRole = 2, kGroup = 3 };

struct Column {
  std::string name;
  std::string type;
  std::string comment;
  bool operator==(const Column&) const = default;
};

struct SerDeInfo {
  std::optional<std::string> name;  // Absent, as HMS keeps it, unless the client named it.
  std::string serialization_lib;
  Params parameters;
  std::string description;
  std::string serializer_class;
  std::string deserializer_class;
  int32_t serde_type = 0;  // 0 = unset, 1 = HIVE, 2 = SCHEMA_REGISTRY
  bool operator==(const SerDeInfo&) const = default;
};

struct SortOrder {
  std::string column;
  int32_t order = 1;  // 1 = ascending, 0 = descending
  bool operator==(const SortOrder&) const = default;
};

struct SkewedInfo {
  std::vector<std::string> column_names;
  std::vector<std::vector<std::string>> column_values;
  // Each entry maps a list of skewed values to a location.
  std::vector<std::pair<std::vector<std::string>, std::string>> value_locations;
  bool operator==(const SkewedInfo&) const = default;
};

struct StorageDescriptor {
  std::vector<Column> columns;
  std::string location;
  std::string input_format;
  std::string output_format;
  bool compressed = false;
  int32_t num_buckets = -1;
  SerDeInfo serde;
  std::vector<std::string> bucket_columns;
  std::vector<SortOrder> sort_columns;
  Params parameters;
  std::optional<SkewedInfo> skewed;
  std::optional<bool> stored_as_subdirectories;
  // Null where HMS tells null from empty (only Thrift clients can send null). A partition's null
  // column list is kept and answered as null, as HMS stores no column descriptor for it; a null
  // SerDeInfo or a column with a null name or type makes HMS refuse the partition.
  bool columns_null = false;
  bool serde_null = false;
  bool column_field_null = false;
  bool operator==(const StorageDescriptor&) const = default;
};

// A catalog: the level above databases. Every database, table and function belongs to one;
// "hive" always exists.
struct Catalog {
  std::string name;
  std::optional<std::string> description;  // Absent, as HMS keeps it, unless given.
  std::string location;                    // As given; the root of its databases' directories.
  int32_t create_time = 0;
  bool operator==(const Catalog&) const = default;
};

struct Database {
  std::string catalog = kDefaultCatalog;
  std::string name;
  std::string description;
  std::string location;
  std::string managed_location;
  Params parameters;
  std::string owner_name;
  PrincipalType owner_type = PrincipalType::kUser;
  int32_t create_time = 0;
  bool operator==(const Database&) const = default;
};

inline constexpr char kManagedTable[] = "MANAGED_TABLE";
inline constexpr char kExternalTable[] = "EXTERNAL_TABLE";
inline constexpr char kVirtualView[] = "VIRTUAL_VIEW";
inline constexpr char kMaterializedView[] = "MATERIALIZED_VIEW";

struct Table {
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string name;
  std::string owner;
  PrincipalType owner_type = PrincipalType::kUser;
  int32_t create_time = 0;
  int32_t last_access_time = 0;
  int32_t retention = 0;
  StorageDescriptor sd;
  std::vector<Column> partition_keys;
  Params parameters;
  std::string view_original_text;
  std::string view_expanded_text;
  std::string table_type;
  bool temporary = false;
  std::optional<bool> rewrite_enabled;
  int64_t write_id = -1;
  int64_t id = 0;  // Assigned by the store; read-only for clients.
  bool operator==(const Table&) const = default;
};

struct Partition {
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string table;
  std::vector<std::string> values;
  int32_t create_time = 0;
  int32_t last_access_time = 0;
  StorageDescriptor sd;
  // The client sent no storage descriptor (`sd` is then empty): HMS keeps such a partition of a
  // view and answers it without one, and refuses it for a table.
  bool sd_null = false;
  Params parameters;
  int64_t write_id = -1;
  bool operator==(const Partition&) const = default;
};

// A table version is an immutable snapshot of a table's definition after one change.
struct TableVersion {
  int64_t version = 0;  // 1 for the create, then +1 for each change.
  int64_t time = 0;
  std::string principal;
  std::string operation;  // "CREATE", "ALTER", "RENAME", ...
  int64_t event_id = 0;
  Table definition;
};

// One entry of the change feed, appended in the transaction of the change it describes.
struct Event {
  int64_t id = 0;
  int64_t time = 0;
  std::string type;  // e.g. "CREATE_TABLE", "ADD_PARTITION"
  std::string catalog;
  std::string database;
  std::string table;
  std::string principal;
  std::string detail;  // Free text or a JSON document describing the change.
};

struct ResourceUri {
  int32_t type = 1;  // 1 = JAR, 2 = FILE, 3 = ARCHIVE
  std::string uri;
  bool operator==(const ResourceUri&) const = default;
};

struct Function {
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string name;
  std::string class_name;
  std::string owner_name;
  PrincipalType owner_type = PrincipalType::kUser;
  int32_t create_time = 0;
  int32_t function_type = 1;  // 1 = JAVA
  std::vector<ResourceUri> resource_uris;
  bool operator==(const Function&) const = default;
};

// A decimal as Hive encodes it: a big-endian two's-complement unscaled value and a scale.
struct Decimal {
  std::string unscaled;
  int16_t scale = 0;
  bool operator==(const Decimal&) const = default;
};

// Column statistics for one column. Which fields are meaningful depends on `kind`, exactly as in
// Hive's ColumnStatisticsData union: numeric kinds use low/high, string and binary kinds use
// max/avg length, boolean uses the true/false counts.
struct ColumnStatsData {
  enum class Kind { kBoolean, kLong, kDouble, kString, kBinary, kDecimal, kDate, kTimestamp };
  Kind kind = Kind::kLong;
  int64_t num_nulls = 0;
  int64_t num_distinct = 0;  // numDVs; unused for boolean and binary
  int64_t num_trues = 0;
  int64_t num_falses = 0;
  int64_t max_col_len = 0;
  double avg_col_len = 0;
  // kLong, kDate (days since epoch), kTimestamp (seconds since epoch).
  std::optional<int64_t> low_long, high_long;
  std::optional<double> low_double, high_double;
  std::optional<Decimal> low_decimal, high_decimal;
  std::optional<std::string> bit_vectors;
  std::optional<std::string> histogram;
  bool operator==(const ColumnStatsData&) const = default;
};

struct ColumnStatsObj {
  std::string column;
  std::string type;
  ColumnStatsData data;
  // When these statistics were computed (seconds); filled in by the store on reads.
  int64_t last_analyzed = 0;
  bool operator==(const ColumnStatsObj&) const = default;
};

// Statistics of one table, or of one partition of it when `partition_name` is set.
struct ColumnStatistics {
  bool table_level = true;
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string table;
  std::string partition_name;
  int64_t last_analyzed = 0;
  std::string engine = "hive";
  std::vector<ColumnStatsObj> columns;
};

// --- Locks and transactions (HMS's lock manager) ---
// Times of locks and transactions are milliseconds since the Unix epoch, as HMS reports them.
// The enumerators' values are those of Hive's Thrift enums of the same names.

enum class LockLevel { kDb = 1, kTable = 2, kPartition = 3 };
enum class LockType { kSharedRead = 1, kSharedWrite = 2, kExclusive = 3, kExclWrite = 4 };
// A stored lock is kAcquired or kWaiting; kAbort and kNotAcquired only appear in answers.
enum class LockState { kAcquired = 1, kWaiting = 2, kAbort = 3, kNotAcquired = 4 };

// One resource a lock request covers.
struct LockComponent {
  LockType type = LockType::kSharedRead;
  LockLevel level = LockLevel::kTable;
  std::string database;
  std::string table;           // Empty for a DB-level component.
  std::string partition;       // Partition name ("k1=v1/k2=v2"); empty unless PARTITION-level.
  int32_t operation_type = 5;  // Hive's DataOperationType: 1 SELECT ... 5 UNSET, 6 NO_TXN.
  bool is_transactional = false;
  bool is_dynamic_partition_write = false;
  bool operator==(const LockComponent&) const = default;
};

// One lock request: its components are acquired together or not at all.
struct Lock {
  int64_t id = 0;      // Assigned by the store; never reused.
  int64_t txn_id = 0;  // 0 when the lock belongs to no transaction.
  LockState state = LockState::kWaiting;
  std::string user;
  std::string host;
  std::string agent_info;
  int64_t created_ms = 0;
  int64_t acquired_ms = 0;  // 0 while waiting.
  int64_t last_heartbeat_ms = 0;
  int64_t heartbeat_count = 0;
  std::vector<LockComponent> components;
  bool operator==(const Lock&) const = default;
};

enum class TxnState { kOpen = 1, kCommitted = 2, kAborted = 3 };

// A transaction as HMS's open_txns creates it. Almanac keeps no write ids: a transaction only
// owns locks.
struct TxnInfo {
  int64_t id = 0;  // Assigned by the store; never reused.
  TxnState state = TxnState::kOpen;
  std::string user;
  std::string host;
  std::string agent_info;
  int32_t type = 0;  // Hive's TxnType: 0 = DEFAULT.
  int64_t started_ms = 0;
  int64_t last_heartbeat_ms = 0;
  int64_t finished_ms = 0;  // 0 while open.
  bool operator==(const TxnInfo&) const = default;
};

// The kinds of table constraint HMS keeps; the values are HMS's own constraint type numbers.
enum class ConstraintKind {
  kPrimaryKey = 0,
  kForeignKey = 1,
  kUnique = 2,
  kNotNull = 3,
  kDefault = 4,
  kCheck = 5,
};

// One column of a table constraint, as HMS's SQLPrimaryKey, SQLForeignKey, ... structs carry it:
// a key over two columns is two of these with the same name, ordered by `position`.
struct ConstraintColumn {
  ConstraintKind kind = ConstraintKind::kPrimaryKey;
  // The table the constraint is on; for a foreign key, the table holding the foreign key.
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string table;
  std::string column;    // Empty for a check constraint on no column.
  int32_t position = 1;  // key_seq: 1, 2, ... within a key; always 1 for the other kinds.
  std::string name;      // Empty on input: the core generates one.
  bool enable = false;
  bool validate = false;
  bool rely = false;
  // Foreign keys only: the referenced table and column, HMS's update and delete rules, and (on
  // output) the name of the primary or unique key that covers the referenced column.
  std::string parent_database;
  std::string parent_table;
  std::string parent_column;
  std::string parent_key_name;
  int32_t update_rule = 0;
  int32_t delete_rule = 0;
  // The default value (kDefault) or the check expression (kCheck).
  std::string value;
  bool operator==(const ConstraintColumn&) const = default;
};

// Every constraint of one table, by kind. Foreign keys are those the table holds.
struct TableConstraints {
  std::vector<ConstraintColumn> primary_keys;
  std::vector<ConstraintColumn> foreign_keys;
  std::vector<ConstraintColumn> unique_constraints;
  std::vector<ConstraintColumn> not_null_constraints;
  std::vector<ConstraintColumn> default_constraints;
  std::vector<ConstraintColumn> check_constraints;
  bool operator==(const TableConstraints&) const = default;
};

// A query HMS's scheduled-query service runs on a cron schedule (scheduled_query_maintenance).
// Its key is (name, cluster namespace).
struct ScheduledQuery {
  int64_t id = 0;  // Assigned by the store.
  std::string name;
  std::string cluster_namespace;
  bool enabled = true;
  std::string schedule;  // A Quartz cron expression (server/core/cron.h).
  std::string user;
  std::string query;
  std::optional<int64_t> next_execution;  // Seconds since the epoch; none if it never fires.
  int64_t active_execution_id = 0;        // The execution in progress, 0 if none.
  bool operator==(const ScheduledQuery&) const = default;
};

// Hive's QueryState, with its wire values.
enum class QueryState {
  kInited = 0,
  kExecuting = 1,
  kFailed = 2,
  kFinished = 3,
  kTimedOut = 4,
  kAutoDisabled = 5,
};

// One run of a scheduled query, from the poll that handed it out to its last progress report.
struct ScheduledExecution {
  int64_t id = 0;  // Assigned by the store; the executionId clients report progress with.
  int64_t query_id = 0;
  QueryState state = QueryState::kInited;
  std::string executor_query_id;
  std::string error_message;
  int64_t start_time = 0;                   // Seconds since the epoch.
  std::optional<int64_t> end_time;          // Set once finished, failed or timed out.
  std::optional<int64_t> last_update_time;  // Cleared once finished, failed or timed out.
  bool operator==(const ScheduledExecution&) const = default;
};

// An opaque runtime statistic an engine stores for later queries (add_runtime_stats).
struct RuntimeStat {
  int64_t id = 0;
  int32_t weight = 0;
  std::string payload;
  int64_t create_time = 0;  // Seconds since the epoch, set by the server.
  bool operator==(const RuntimeStat&) const = default;
};

// Progress of one replication run (add_replication_metrics), keyed by its scheduled execution.
struct ReplicationMetrics {
  int64_t scheduled_execution_id = 0;
  std::string policy;
  int64_t dump_execution_id = 0;
  std::optional<std::string> metadata;
  std::optional<std::string> progress;
  std::optional<std::string> message_format;
  int64_t start_time = 0;  // Seconds since the epoch of the first report.
  bool operator==(const ReplicationMetrics&) const = default;
};

}  // namespace almanac
