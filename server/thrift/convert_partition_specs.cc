// Conversions of partition specs and partition values between the wire and the domain model.

#include "server/thrift/convert.h"
#include "server/thrift/wire_names.h"

namespace almanac::thrift_server {
namespace {

PartitionWithoutSd ToDomain(const hive::PartitionWithoutSD& in) {
  PartitionWithoutSd out;
  out.values = in.values;
  out.create_time = in.createTime;
  out.last_access_time = in.lastAccessTime;
  if (in.__isset.relativePath) out.relative_path = in.relativePath;
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  return out;
}

hive::PartitionWithoutSD ToWire(const PartitionWithoutSd& in) {
  hive::PartitionWithoutSD out;
  out.__set_values(in.values);
  out.__set_createTime(in.create_time);
  out.__set_lastAccessTime(in.last_access_time);
  out.__set_relativePath(in.relative_path.value_or(""));
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  return out;
}

}  // namespace

PartitionSpec ToDomain(const hive::PartitionSpec& in) {
  PartitionSpec out;
  out.catalog = CatalogOr(in.__isset.catName && !in.catName.empty(), in.catName);
  if (in.__isset.dbName) out.database = in.dbName;
  if (in.__isset.tableName) out.table = in.tableName;
  if (in.__isset.rootPath) out.root_path = in.rootPath;
  if (in.__isset.partitionList) {
    out.partition_list = ToDomain(in.partitionList.partitions);
  }
  if (in.__isset.sharedSDPartitionSpec) {
    const hive::PartitionSpecWithSharedSD& shared = in.sharedSDPartitionSpec;
    out.shared_sd.emplace();
    if (shared.__isset.sd) out.shared_sd->sd = PartitionSdToDomain(shared.sd);
    for (const hive::PartitionWithoutSD& part : shared.partitions) {
      out.shared_sd->partitions.push_back(ToDomain(part));
    }
  }
  return out;
}

hive::PartitionSpec ToWire(const PartitionSpec& in) {
  hive::PartitionSpec out;
  out.__set_dbName(in.database.value_or(""));
  out.__set_tableName(in.table.value_or(""));
  out.__set_rootPath(in.root_path.value_or(""));
  out.__set_catName(in.catalog);
  if (in.partition_list.has_value()) {
    hive::PartitionListComposingSpec list;
    list.__set_partitions(ToWire(*in.partition_list));
    out.__set_partitionList(std::move(list));
  }
  if (in.shared_sd.has_value()) {
    hive::PartitionSpecWithSharedSD shared;
    if (in.shared_sd->sd.has_value()) shared.__set_sd(ToWire(*in.shared_sd->sd));
    std::vector<hive::PartitionWithoutSD> parts;
    for (const PartitionWithoutSd& part : in.shared_sd->partitions) parts.push_back(ToWire(part));
    shared.__set_partitions(std::move(parts));
    out.__set_sharedSDPartitionSpec(std::move(shared));
  }
  return out;
}

std::vector<hive::PartitionSpec> ToWire(const std::vector<PartitionSpec>& in) {
  std::vector<hive::PartitionSpec> out;
  out.reserve(in.size());
  for (const PartitionSpec& spec : in) out.push_back(ToWire(spec));
  return out;
}

PartitionValuesQuery ToDomain(const hive::PartitionValuesRequest& in) {
  PartitionValuesQuery out;
  out.catalog = CatalogOr(in.__isset.catName, in.catName);
  out.database = in.dbName;
  out.table = in.tblName;
  for (const hive::FieldSchema& key : in.partitionKeys) out.keys.push_back(key.name);
  out.distinct = !in.__isset.applyDistinct || in.applyDistinct;
  if (in.__isset.filter) out.filter = in.filter;
  out.ascending = !in.__isset.ascending || in.ascending;
  if (in.__isset.maxParts) out.max_rows = in.maxParts;
  return out;
}

hive::PartitionValuesResponse ToWire(const std::vector<std::vector<std::string>>& rows) {
  hive::PartitionValuesResponse out;
  std::vector<hive::PartitionValuesRow> wire_rows;
  wire_rows.reserve(rows.size());
  for (const std::vector<std::string>& row : rows) {
    hive::PartitionValuesRow wire_row;
    wire_row.__set_row(row);
    wire_rows.push_back(std::move(wire_row));
  }
  out.__set_partitionValues(std::move(wire_rows));
  return out;
}

}  // namespace almanac::thrift_server
