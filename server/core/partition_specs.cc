// Partition specifications (adding and listing partitions as PartitionSpecs) and partition
// values (get_partition_values).

#include <algorithm>
#include <iterator>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/status_macros.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/names.h"

namespace almanac {
namespace {

// The full partitions of one spec, bound for `db`.`table`.
absl::Status ExpandSpec(const PartitionSpec& spec, const std::string& db, const std::string& table,
                        std::vector<Partition>* out) {
  if (spec.partition_list.has_value()) {
    for (const Partition& part : *spec.partition_list) {
      if (NormalizeName(part.database) != db || NormalizeName(part.table) != table) {
        return MalformedRequest(absl::StrCat("Partition does not belong to target table ", db, ".",
                                             table, ": it belongs to ", part.database, ".",
                                             part.table));
      }
      out->push_back(part);
    }
    return absl::OkStatus();
  }
  if (!spec.shared_sd.has_value()) {
    return MalformedRequest(
        "A partition spec must carry a partition list or a shared storage descriptor");
  }
  const SharedSdPartitions& shared = *spec.shared_sd;
  if (!shared.sd.has_value()) {
    return MalformedRequest("The shared storage descriptor of a partition spec is missing");
  }
  if (shared.sd->location.empty()) {
    return MalformedRequest("The shared storage descriptor of a partition spec has no location");
  }
  for (const PartitionWithoutSd& in : shared.partitions) {
    Partition part;
    part.database = db;
    part.table = table;
    part.values = in.values;
    part.create_time = in.create_time;
    part.last_access_time = in.last_access_time;
    part.parameters = in.parameters;
    part.sd = *shared.sd;
    // HMS appends the relative path as Java appends a string, so a missing one reads "null".
    part.sd.location = absl::StrCat(shared.sd->location, in.relative_path.value_or("null"));
    out->push_back(std::move(part));
  }
  return absl::OkStatus();
}

// HMS's grouping key of a partition's storage descriptor: where it lives and what reads it.
struct SdGroup {
  std::optional<std::string> base;  // nullopt: the partition has no location.
  StorageDescriptor sd;             // The first member's descriptor.
  std::vector<PartitionWithoutSd> members;

  bool Matches(const std::optional<std::string>& other_base, const StorageDescriptor& other) const {
    return base == other_base && sd.input_format == other.input_format &&
           sd.output_format == other.output_format && sd.columns == other.columns &&
           sd.serde == other.serde;
  }
};

// Groups `parts` as HMS's getPartitionspecsGroupedByStorageDescriptor does: partitions under the
// table's location (by string prefix) with the same formats, columns and serde share one
// storage descriptor whose location is the table's; the others form one list.
std::vector<PartitionSpec> GroupBySd(const Table& table, std::vector<Partition> parts) {
  const std::string& table_path = table.sd.location;
  std::vector<SdGroup> groups;
  std::vector<Partition> outside;
  for (Partition& part : parts) {
    const bool skewed = part.sd.skewed.has_value() && !part.sd.skewed->column_names.empty();
    const bool other_buckets = part.sd.num_buckets != parts.front().sd.num_buckets;
    std::optional<std::string> base;
    if (!part.sd.location.empty()) base = part.sd.location;
    if (!skewed && !other_buckets && base && absl::StartsWith(*base, table_path)) base = table_path;
    if (base && *base != table_path) {
      outside.push_back(std::move(part));
      continue;
    }
    PartitionWithoutSd member;
    member.values = part.values;
    member.create_time = part.create_time;
    member.last_access_time = part.last_access_time;
    if (base) member.relative_path = part.sd.location.substr(table_path.size());
    member.parameters = part.parameters;
    auto group = std::find_if(groups.begin(), groups.end(),
                              [&](const SdGroup& g) { return g.Matches(base, part.sd); });
    if (group == groups.end()) {
      groups.push_back(SdGroup{base, part.sd, {}});
      group = std::prev(groups.end());
    }
    group->members.push_back(std::move(member));
  }
  std::vector<PartitionSpec> specs;
  for (SdGroup& group : groups) {
    PartitionSpec spec;
    spec.catalog = table.catalog;
    spec.database = table.database;
    spec.table = table.name;
    spec.shared_sd.emplace();
    spec.shared_sd->sd = std::move(group.sd);
    spec.shared_sd->sd->location = group.base.value_or("");
    spec.root_path = group.base;
    spec.shared_sd->partitions = std::move(group.members);
    specs.push_back(std::move(spec));
  }
  if (!outside.empty()) {
    PartitionSpec spec;
    spec.catalog = table.catalog;
    spec.database = table.database;
    spec.table = table.name;
    spec.partition_list = std::move(outside);
    specs.push_back(std::move(spec));
  }
  return specs;
}

// Index of each named key among the table's partition keys.
absl::StatusOr<std::vector<size_t>> KeyIndexes(const Table& table,
                                               const std::vector<std::string>& keys) {
  std::vector<size_t> indexes;
  for (const std::string& key : keys) {
    size_t i = 0;
    while (i < table.partition_keys.size() && table.partition_keys[i].name != NormalizeName(key)) {
      ++i;
    }
    if (i == table.partition_keys.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(key, " is not a partition key of table ", table.database, ".", table.name));
    }
    indexes.push_back(i);
  }
  return indexes;
}

}  // namespace

absl::StatusOr<int64_t> CatalogService::AddPartitionSpecs(const RequestContext& ctx,
                                                          std::vector<PartitionSpec> specs) {
  if (specs.empty()) return 0;
  const PartitionSpec& first = specs.front();
  if (!first.database.has_value() || !first.table.has_value()) {
    return MalformedRequest("The database and table name of a partition spec cannot be null");
  }
  const std::string db = NormalizeName(*first.database);
  const std::string table = NormalizeName(*first.table);
  // HMS looks for the table before it looks at the partitions.
  absl::StatusOr<Table> found = GetTable(first.catalog, db, table);
  if (absl::IsNotFound(found.status())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Unable to add partitions because database or table ", db, ".", table, " does not exist"));
  }
  RETURN_IF_ERROR(found.status());
  std::vector<Partition> parts;
  for (const PartitionSpec& spec : specs) RETURN_IF_ERROR(ExpandSpec(spec, db, table, &parts));
  ASSIGN_OR_RETURN(std::vector<Partition> added,
                   AddPartitions(ctx, first.catalog, db, table, std::move(parts), false));
  return static_cast<int64_t>(added.size());
}

absl::StatusOr<std::vector<PartitionSpec>> CatalogService::ListPartitionSpecs(
    const std::string& catalog, const std::string& db, const std::string& table_name,
    const PartitionSelector& selector) {
  Table table;
  ASSIGN_OR_RETURN(std::vector<Partition> parts,
                   ListPartitions(catalog, db, table_name, selector, &table));
  auto grouping = table.parameters.find(kPartitionSpecGroupingKey);
  if (grouping != table.parameters.end() && absl::EqualsIgnoreCase(grouping->second, "true")) {
    return GroupBySd(table, std::move(parts));
  }
  PartitionSpec spec;
  spec.catalog = table.catalog;
  spec.database = table.database;
  spec.table = table.name;
  spec.root_path = table.sd.location;
  spec.partition_list = std::move(parts);
  return std::vector<PartitionSpec>{std::move(spec)};
}

absl::StatusOr<std::vector<std::vector<std::string>>> CatalogService::ListPartitionValues(
    const PartitionValuesQuery& query) {
  // HMS reads the first requested key before anything else, even with a filter.
  if (query.keys.empty()) return absl::InvalidArgumentError("No partition keys requested");
  PartitionSelector selector;
  const bool filtered = query.filter.has_value() && !query.filter->empty();
  if (filtered) selector.filter = query.filter;
  std::vector<std::vector<std::string>> rows;
  std::set<std::vector<std::string>> seen;
  RETURN_IF_ERROR(ReadSelectedPartitions(
      query.catalog, query.database, query.table, selector,
      [&](ReadView& view, const Table& table, const PartitionQuery& q) -> absl::Status {
        // With a filter, HMS returns every value of each matching partition.
        std::vector<size_t> indexes;
        if (!filtered) {
          ASSIGN_OR_RETURN(indexes, KeyIndexes(table, query.keys));
        }
        // HMS reads a limit of 0 or less as none.
        const bool limit_while_listing = query.max_rows > 0 && (!filtered || query.ascending);
        return view.ListPartitions(table, q, [&](Partition&& p) {
          std::vector<std::string> row;
          if (filtered) {
            row = std::move(p.values);
          } else {
            for (size_t i : indexes) row.push_back(p.values[i]);
            if (query.distinct && !seen.insert(row).second) return true;
          }
          rows.push_back(std::move(row));
          return !limit_while_listing || static_cast<int64_t>(rows.size()) < query.max_rows;
        });
      }));
  if (filtered && !query.ascending) {
    std::reverse(rows.begin(), rows.end());
    if (query.max_rows > 0 && static_cast<int64_t>(rows.size()) > query.max_rows) {
      rows.resize(query.max_rows);
    }
  }
  return rows;
}

}  // namespace almanac
