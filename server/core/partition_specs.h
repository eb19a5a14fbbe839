#pragma once

// Partition specifications: the compact form in which HMS's PartitionSpec calls
// (add_partitions_pspec, get_partitions_pspec, get_part_specs_by_filter) carry the partitions of
// one table, and the query of get_partition_values. Plain values; front ends convert their wire
// types to and from these.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/model.h"

namespace almanac {

// A partition without a storage descriptor of its own: it shares the one of its
// SharedSdPartitions, and its location is that descriptor's location followed by
// `relative_path`.
struct PartitionWithoutSd {
  std::vector<std::string> values;
  int32_t create_time = 0;
  int32_t last_access_time = 0;
  std::optional<std::string> relative_path;  // nullopt: not given.
  Params parameters;
  bool operator==(const PartitionWithoutSd&) const = default;
};

// Partitions that share one storage descriptor.
struct SharedSdPartitions {
  std::optional<StorageDescriptor> sd;  // nullopt: not given.
  std::vector<PartitionWithoutSd> partitions;
  bool operator==(const SharedSdPartitions&) const = default;
};

// Partitions of one table, either as full partitions (`partition_list`) or sharing a storage
// descriptor (`shared_sd`). When a spec carries both, the list is the one that counts, as in
// HMS.
struct PartitionSpec {
  std::string catalog = kDefaultCatalog;
  std::optional<std::string> database;  // nullopt: not given.
  std::optional<std::string> table;     // nullopt: not given.
  std::optional<std::string> root_path;
  std::optional<SharedSdPartitions> shared_sd;
  std::optional<std::vector<Partition>> partition_list;
  bool operator==(const PartitionSpec&) const = default;
};

// What get_partition_values asks for.
struct PartitionValuesQuery {
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string table;
  // Names of the partition keys whose values to return (without a filter), in this order.
  std::vector<std::string> keys;
  bool distinct = true;
  // With a filter, each row holds all the values of one matching partition, by name, ascending
  // or descending.
  std::optional<std::string> filter;
  bool ascending = true;
  int64_t max_rows = -1;  // 0 or less: no limit (as HMS reads it).
};

// One table (source or destination) of an exchange, as the client named it.
struct TableRef {
  std::string catalog = kDefaultCatalog;
  std::string database;
  std::string table;
};

// The table parameter that makes get_partitions_pspec group partitions by storage descriptor.
inline constexpr char kPartitionSpecGroupingKey[] = "hive.hcatalog.partition.spec.grouping.enabled";

}  // namespace almanac
