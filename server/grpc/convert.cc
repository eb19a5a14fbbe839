#include "server/grpc/convert.h"

#include "server/core/names.h"

namespace almanac::grpc_server {
namespace {

v1::PrincipalType ToProto(PrincipalType type) {
  switch (type) {
    case PrincipalType::kUser:
      return v1::USER;
    case PrincipalType::kRole:
      return v1::ROLE;
    case PrincipalType::kGroup:
      return v1::GROUP;
  }
  return v1::PRINCIPAL_TYPE_UNSPECIFIED;
}

PrincipalType FromProto(v1::PrincipalType type) {
  switch (type) {
    case v1::ROLE:
      return PrincipalType::kRole;
    case v1::GROUP:
      return PrincipalType::kGroup;
    default:
      return PrincipalType::kUser;
  }
}

void ToProto(const Params& params, google::protobuf::Map<std::string, std::string>* out) {
  for (const auto& [key, value] : params) (*out)[key] = value;
}

void ToProto(const Column& column, v1::Column* out) {
  out->set_name(column.name);
  out->set_type(column.type);
  out->set_comment(column.comment);
}

void ToProto(const StorageDescriptor& sd, v1::StorageDescriptor* out) {
  for (const Column& column : sd.columns) ToProto(column, out->add_columns());
  out->set_location(sd.location);
  out->set_input_format(sd.input_format);
  out->set_output_format(sd.output_format);
  out->set_compressed(sd.compressed);
  out->set_num_buckets(sd.num_buckets);
  v1::SerDe* serde = out->mutable_serde();
  serde->set_name(sd.serde.name.value_or(""));
  serde->set_serialization_lib(sd.serde.serialization_lib);
  ToProto(sd.serde.parameters, serde->mutable_parameters());
  for (const std::string& column : sd.bucket_columns) out->add_bucket_columns(column);
  for (const SortOrder& sort : sd.sort_columns) {
    v1::SortColumn* column = out->add_sort_columns();
    column->set_column(sort.column);
    column->set_ascending(sort.order != 0);
  }
  ToProto(sd.parameters, out->mutable_parameters());
}

}  // namespace

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

std::string CatalogOrDefault(const std::string& catalog) {
  return catalog.empty() ? std::string(kDefaultCatalog) : NormalizeName(catalog);
}

Database FromProto(const v1::Database& db) {
  Database out;
  out.catalog = CatalogOrDefault(db.catalog());
  out.name = db.name();
  out.description = db.description();
  out.location = db.location();
  out.managed_location = db.managed_location();
  out.parameters = Params(db.parameters().begin(), db.parameters().end());
  out.owner_name = db.owner_name();
  out.owner_type = FromProto(db.owner_type());
  return out;
}

void ToProto(const Database& db, v1::Database* out) {
  out->set_catalog(db.catalog);
  out->set_name(db.name);
  out->set_description(db.description);
  out->set_location(db.location);
  out->set_managed_location(db.managed_location);
  ToProto(db.parameters, out->mutable_parameters());
  out->set_owner_name(db.owner_name);
  out->set_owner_type(ToProto(db.owner_type));
  out->set_create_time(db.create_time);
}

void ToProto(const Table& table, v1::Table* out) {
  out->set_catalog(table.catalog);
  out->set_database(table.database);
  out->set_name(table.name);
  out->set_owner(table.owner);
  out->set_owner_type(ToProto(table.owner_type));
  out->set_table_type(table.table_type);
  out->set_create_time(table.create_time);
  ToProto(table.sd, out->mutable_storage());
  for (const Column& key : table.partition_keys) ToProto(key, out->add_partition_keys());
  ToProto(table.parameters, out->mutable_parameters());
  out->set_view_original_text(table.view_original_text);
  out->set_view_expanded_text(table.view_expanded_text);
}

void ToProto(const TableVersion& version, v1::TableVersion* out) {
  out->set_version(version.version);
  out->set_time(version.time);
  out->set_principal(version.principal);
  out->set_operation(version.operation);
  out->set_event_id(version.event_id);
  ToProto(version.definition, out->mutable_definition());
}

}  // namespace almanac::grpc_server
