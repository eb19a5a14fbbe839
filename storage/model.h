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
  std::string name;
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
  bool operator==(const StorageDescriptor&) const = default;
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

}  // namespace almanac
