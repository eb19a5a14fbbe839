#pragma once

// Conversions between almanac.v1 protobuf messages and the domain model, and from absl::Status
// to grpc::Status. The only place where the gRPC front end touches both kinds of types.

#include <string>

#include "absl/status/status.h"
#include "almanac/v1/catalog.pb.h"
#include "grpcpp/support/status.h"
#include "storage/model.h"

namespace almanac::grpc_server {

namespace v1 = ::almanac::v1;

// Status codes map one to one (Abseil's codes are gRPC's); the message is kept.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The catalog a request names, or the default catalog "hive" when it is empty.
std::string CatalogOrDefault(const std::string& catalog);

Database FromProto(const v1::Database& db);
void ToProto(const Database& db, v1::Database* out);
void ToProto(const Table& table, v1::Table* out);
void ToProto(const TableVersion& version, v1::TableVersion* out);

}  // namespace almanac::grpc_server
