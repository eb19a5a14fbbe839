#include "server/thrift/convert.h"

namespace almanac::thrift_server {
namespace {

PrincipalType PrincipalFromWire(hive::PrincipalType::type t) {
  switch (t) {
    case hive::PrincipalType::ROLE:
      return PrincipalType::kRole;
    case hive::PrincipalType::GROUP:
      return PrincipalType::kGroup;
    default:
      return PrincipalType::kUser;
  }
}

hive::PrincipalType::type PrincipalToWire(PrincipalType t) {
  return static_cast<hive::PrincipalType::type>(static_cast<int>(t));
}

template <typename Out, typename In>
std::vector<Out> ConvertAll(const std::vector<In>& in) {
  std::vector<Out> out;
  out.reserve(in.size());
  for (const In& item : in) out.push_back(ToDomain(item));
  return out;
}

template <typename Out, typename In>
std::vector<Out> WireAll(const std::vector<In>& in) {
  std::vector<Out> out;
  out.reserve(in.size());
  for (const In& item : in) out.push_back(ToWire(item));
  return out;
}

SerDeInfo ToDomain(const hive::SerDeInfo& in) {
  SerDeInfo out;
  if (in.__isset.name) out.name = in.name;
  out.serialization_lib = in.serializationLib;
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  out.description = in.description;
  out.serializer_class = in.serializerClass;
  out.deserializer_class = in.deserializerClass;
  if (in.__isset.serdeType) out.serde_type = static_cast<int32_t>(in.serdeType);
  return out;
}

hive::SerDeInfo ToWire(const SerDeInfo& in) {
  hive::SerDeInfo out;
  if (in.name.has_value()) out.__set_name(*in.name);
  out.__set_serializationLib(in.serialization_lib);
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  if (!in.description.empty()) out.__set_description(in.description);
  if (!in.serializer_class.empty()) out.__set_serializerClass(in.serializer_class);
  if (!in.deserializer_class.empty()) out.__set_deserializerClass(in.deserializer_class);
  if (in.serde_type != 0) out.__set_serdeType(static_cast<hive::SerdeType::type>(in.serde_type));
  return out;
}

SkewedInfo ToDomain(const hive::SkewedInfo& in) {
  SkewedInfo out;
  out.column_names = in.skewedColNames;
  out.column_values = in.skewedColValues;
  for (const auto& [values, location] : in.skewedColValueLocationMaps) {
    out.value_locations.emplace_back(values, location);
  }
  return out;
}

hive::SkewedInfo ToWire(const SkewedInfo& in) {
  hive::SkewedInfo out;
  out.__set_skewedColNames(in.column_names);
  out.__set_skewedColValues(in.column_values);
  std::map<std::vector<std::string>, std::string> locations;
  for (const auto& [values, location] : in.value_locations) locations[values] = location;
  out.__set_skewedColValueLocationMaps(locations);
  return out;
}

}  // namespace

Column ToDomain(const hive::FieldSchema& in) { return Column{in.name, in.type, in.comment}; }

hive::FieldSchema ToWire(const Column& in) {
  hive::FieldSchema out;
  out.__set_name(in.name);
  out.__set_type(in.type);
  // Hive answers null for a column without a comment; Spark would show "" as its comment.
  if (!in.comment.empty()) out.__set_comment(in.comment);
  return out;
}

std::vector<Column> ToDomain(const std::vector<hive::FieldSchema>& in) {
  return ConvertAll<Column>(in);
}

std::vector<hive::FieldSchema> ToWire(const std::vector<Column>& in) {
  return WireAll<hive::FieldSchema>(in);
}

StorageDescriptor ToDomain(const hive::StorageDescriptor& in) {
  StorageDescriptor out;
  out.columns = ToDomain(in.cols);
  out.location = in.location;
  out.input_format = in.inputFormat;
  out.output_format = in.outputFormat;
  out.compressed = in.compressed;
  out.num_buckets = in.numBuckets;
  out.serde = ToDomain(in.serdeInfo);
  out.bucket_columns = in.bucketCols;
  for (const hive::Order& o : in.sortCols) out.sort_columns.push_back(SortOrder{o.col, o.order});
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  if (in.__isset.skewedInfo) out.skewed = ToDomain(in.skewedInfo);
  if (in.__isset.storedAsSubDirectories) out.stored_as_subdirectories = in.storedAsSubDirectories;
  return out;
}

StorageDescriptor PartitionSdToDomain(const hive::StorageDescriptor& in) {
  StorageDescriptor out = ToDomain(in);
  out.columns_null = !in.__isset.cols;
  out.serde_null = !in.__isset.serdeInfo;
  for (const hive::FieldSchema& column : in.cols) {
    if (!column.__isset.name || !column.__isset.type) out.column_field_null = true;
  }
  return out;
}

hive::StorageDescriptor ToWire(const StorageDescriptor& in) {
  hive::StorageDescriptor out;
  if (!in.columns_null) out.__set_cols(ToWire(in.columns));
  // Hive sends no location for a view; clients turn an empty one into a Path and fail.
  if (!in.location.empty()) out.__set_location(in.location);
  out.__set_inputFormat(in.input_format);
  out.__set_outputFormat(in.output_format);
  out.__set_compressed(in.compressed);
  out.__set_numBuckets(in.num_buckets);
  out.__set_serdeInfo(ToWire(in.serde));
  out.__set_bucketCols(in.bucket_columns);
  std::vector<hive::Order> sort;
  for (const SortOrder& s : in.sort_columns) {
    hive::Order o;
    o.__set_col(s.column);
    o.__set_order(s.order);
    sort.push_back(o);
  }
  out.__set_sortCols(sort);
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  // HMS always answers with skew information and the sub-directory flag: empty lists and false
  // when none were given. Some clients read a missing SkewedInfo as "skewed".
  out.__set_skewedInfo(ToWire(in.skewed.value_or(SkewedInfo())));
  out.__set_storedAsSubDirectories(in.stored_as_subdirectories.value_or(false));
  return out;
}

Catalog ToDomain(const hive::Catalog& in) {
  Catalog out;
  out.name = in.name;
  if (in.__isset.description) out.description = in.description;
  out.location = in.locationUri;
  return out;
}

hive::Catalog ToWire(const Catalog& in) {
  hive::Catalog out;
  out.__set_name(in.name);
  if (in.description) out.__set_description(*in.description);
  out.__set_locationUri(in.location);
  out.__set_createTime(in.create_time);
  return out;
}

Database ToDomain(const hive::Database& in) {
  Database out;
  if (in.__isset.catalogName && !in.catalogName.empty()) out.catalog = in.catalogName;
  out.name = in.name;
  out.description = in.description;
  out.location = in.locationUri;
  out.managed_location = in.managedLocationUri;
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  out.owner_name = in.ownerName;
  if (in.__isset.ownerType) out.owner_type = PrincipalFromWire(in.ownerType);
  return out;
}

hive::Database ToWire(const Database& in) {
  hive::Database out;
  out.__set_name(in.name);
  // Almanac keeps an empty description or owner for a null one, and HMS sends null.
  if (!in.description.empty()) out.__set_description(in.description);
  out.__set_locationUri(in.location);
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  if (!in.owner_name.empty()) out.__set_ownerName(in.owner_name);
  out.__set_ownerType(PrincipalToWire(in.owner_type));
  out.__set_catalogName(in.catalog);
  out.__set_createTime(in.create_time);
  if (!in.managed_location.empty()) out.__set_managedLocationUri(in.managed_location);
  out.__set_type(hive::DatabaseType::NATIVE);
  return out;
}

Table ToDomain(const hive::Table& in) {
  Table out;
  if (in.__isset.catName && !in.catName.empty()) out.catalog = in.catName;
  out.database = in.dbName;
  out.name = in.tableName;
  out.owner = in.owner;
  if (in.__isset.ownerType) out.owner_type = PrincipalFromWire(in.ownerType);
  out.create_time = in.createTime;
  out.last_access_time = in.lastAccessTime;
  out.retention = in.retention;
  out.sd = ToDomain(in.sd);
  out.partition_keys = ToDomain(in.partitionKeys);
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  out.view_original_text = in.viewOriginalText;
  out.view_expanded_text = in.viewExpandedText;
  out.table_type = in.tableType;
  out.temporary = in.__isset.temporary && in.temporary;
  if (in.__isset.rewriteEnabled) out.rewrite_enabled = in.rewriteEnabled;
  if (in.__isset.writeId) out.write_id = in.writeId;
  return out;
}

hive::Table ToWire(const Table& in) {
  hive::Table out;
  out.__set_tableName(in.name);
  out.__set_dbName(in.database);
  // What Hive leaves null stays absent: an owner nobody gave, the view texts of a table, and
  // `temporary`, which HMS never returns.
  if (!in.owner.empty()) out.__set_owner(in.owner);
  out.__set_createTime(in.create_time);
  out.__set_lastAccessTime(in.last_access_time);
  out.__set_retention(in.retention);
  out.__set_sd(ToWire(in.sd));
  out.__set_partitionKeys(ToWire(in.partition_keys));
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  if (!in.view_original_text.empty()) out.__set_viewOriginalText(in.view_original_text);
  if (!in.view_expanded_text.empty()) out.__set_viewExpandedText(in.view_expanded_text);
  out.__set_tableType(in.table_type);
  // An optional field with a default starts out marked as set in Thrift's C++.
  out.temporary = in.temporary;
  out.__isset.temporary = in.temporary;
  if (in.rewrite_enabled) out.__set_rewriteEnabled(*in.rewrite_enabled);
  out.__set_catName(in.catalog);
  out.__set_ownerType(PrincipalToWire(in.owner_type));
  if (in.write_id != -1) out.__set_writeId(in.write_id);
  if (in.id != 0) out.__set_id(in.id);
  return out;
}

CreateTableOptions CreateOptions(const hive::Table& table,
                                 const hive::EnvironmentContext* context) {
  CreateTableOptions out;
  if (context != nullptr) out.environment = ToDomain(*context);
  if (table.__isset.dictionary) {
    auto setup = table.dictionary.values.find("setStatsStateForCreateTable");
    if (setup != table.dictionary.values.end() && !setup->second.empty()) {
      out.stats_setup = setup->second.front();
    }
  }
  return out;
}

EnvironmentProperties ToDomain(const hive::EnvironmentContext& in) {
  return {in.properties.begin(), in.properties.end()};
}

EnvironmentProperties EnvironmentOr(bool isset, const hive::EnvironmentContext& in) {
  return isset ? ToDomain(in) : EnvironmentProperties();
}

hive::TableMeta ToWire(const TableMeta& in) {
  hive::TableMeta out;
  out.__set_dbName(in.database);
  out.__set_tableName(in.name);
  out.__set_tableType(in.table_type);
  if (in.comment.has_value()) out.__set_comments(*in.comment);
  out.__set_catName(in.catalog);
  if (!in.owner.empty()) {
    out.__set_ownerName(in.owner);
    out.__set_ownerType(PrincipalToWire(in.owner_type));
  }
  return out;
}

Partition ToDomain(const hive::Partition& in) {
  Partition out;
  if (in.__isset.catName && !in.catName.empty()) out.catalog = in.catName;
  out.database = in.dbName;
  out.table = in.tableName;
  out.values = in.values;
  out.create_time = in.createTime;
  out.last_access_time = in.lastAccessTime;
  out.sd = PartitionSdToDomain(in.sd);
  out.sd_null = !in.__isset.sd;
  out.parameters = Params(in.parameters.begin(), in.parameters.end());
  if (in.__isset.writeId) out.write_id = in.writeId;
  return out;
}

hive::Partition ToWire(const Partition& in) {
  hive::Partition out;
  out.__set_values(in.values);
  out.__set_dbName(in.database);
  out.__set_tableName(in.table);
  out.__set_createTime(in.create_time);
  out.__set_lastAccessTime(in.last_access_time);
  if (!in.sd_null) out.__set_sd(ToWire(in.sd));
  out.__set_parameters({in.parameters.begin(), in.parameters.end()});
  out.__set_catName(in.catalog);
  if (in.write_id != -1) out.__set_writeId(in.write_id);
  return out;
}

std::vector<Partition> ToDomain(const std::vector<hive::Partition>& in) {
  return ConvertAll<Partition>(in);
}

std::vector<hive::Partition> ToWire(const std::vector<Partition>& in) {
  return WireAll<hive::Partition>(in);
}

Function ToDomain(const hive::Function& in) {
  Function out;
  if (in.__isset.catName && !in.catName.empty()) out.catalog = in.catName;
  out.database = in.dbName;
  out.name = in.functionName;
  out.class_name = in.className;
  out.owner_name = in.ownerName;
  out.owner_type = PrincipalFromWire(in.ownerType);
  out.create_time = in.createTime;
  out.function_type = in.__isset.functionType ? static_cast<int32_t>(in.functionType) : 0;
  for (const hive::ResourceUri& r : in.resourceUris) {
    out.resource_uris.push_back(ResourceUri{static_cast<int32_t>(r.resourceType), r.uri});
  }
  return out;
}

hive::Function ToWire(const Function& in) {
  hive::Function out;
  out.__set_functionName(in.name);
  out.__set_dbName(in.database);
  out.__set_className(in.class_name);
  if (!in.owner_name.empty()) out.__set_ownerName(in.owner_name);
  out.__set_ownerType(PrincipalToWire(in.owner_type));
  out.__set_createTime(in.create_time);
  out.__set_functionType(static_cast<hive::FunctionType::type>(in.function_type));
  std::vector<hive::ResourceUri> uris;
  for (const ResourceUri& r : in.resource_uris) {
    hive::ResourceUri uri;
    uri.__set_resourceType(static_cast<hive::ResourceType::type>(r.type));
    uri.__set_uri(r.uri);
    uris.push_back(uri);
  }
  out.__set_resourceUris(uris);
  out.__set_catName(in.catalog);
  return out;
}

}  // namespace almanac::thrift_server
