#pragma once

// The gRPC almanac.v1.Catalog service: each method converts its request to domain values, makes
// one CatalogService call, and converts the result or the Status back (status codes map one to
// one). Every call is logged as a "request" line, like the Thrift front end's.
//
// Thread-safety: gRPC calls the methods from many threads at once; the handler keeps no state of
// its own besides the immutable server facts.

#include <cstdint>
#include <string>

#include "absl/time/time.h"
#include "almanac/v1/catalog.grpc.pb.h"
#include "server/core/catalog_service.h"

namespace almanac::grpc_server {

// The request metadata key that carries the caller's claimed principal.
inline constexpr char kPrincipalMetadataKey[] = "almanac-principal";

class CatalogHandler final : public ::almanac::v1::Catalog::Service {
 public:
  // `catalog` is not owned and outlives the handler. Each call runs in a RequestScope
  // (common/request_scope.h) whose deadline is the caller's or `request_timeout`, the earlier.
  CatalogHandler(CatalogService* catalog, std::string version, int64_t started_at,
                 absl::Duration request_timeout);

  grpc::Status GetServerInfo(grpc::ServerContext* context,
                             const ::almanac::v1::GetServerInfoRequest* request,
                             ::almanac::v1::ServerInfo* response) override;
  grpc::Status CreateDatabase(grpc::ServerContext* context,
                              const ::almanac::v1::CreateDatabaseRequest* request,
                              ::almanac::v1::Database* response) override;
  grpc::Status GetDatabase(grpc::ServerContext* context,
                           const ::almanac::v1::GetDatabaseRequest* request,
                           ::almanac::v1::Database* response) override;
  grpc::Status ListDatabases(grpc::ServerContext* context,
                             const ::almanac::v1::ListDatabasesRequest* request,
                             ::almanac::v1::ListDatabasesResponse* response) override;
  grpc::Status DropDatabase(grpc::ServerContext* context,
                            const ::almanac::v1::DropDatabaseRequest* request,
                            ::almanac::v1::DropDatabaseResponse* response) override;
  grpc::Status GetTable(grpc::ServerContext* context, const ::almanac::v1::GetTableRequest* request,
                        ::almanac::v1::Table* response) override;
  grpc::Status ListTables(grpc::ServerContext* context,
                          const ::almanac::v1::ListTablesRequest* request,
                          ::almanac::v1::ListTablesResponse* response) override;
  grpc::Status ListTableVersions(grpc::ServerContext* context,
                                 const ::almanac::v1::ListTableVersionsRequest* request,
                                 ::almanac::v1::ListTableVersionsResponse* response) override;
  grpc::Status ListPartitionNames(grpc::ServerContext* context,
                                  const ::almanac::v1::ListPartitionNamesRequest* request,
                                  ::almanac::v1::ListPartitionNamesResponse* response) override;
  grpc::Status CountPartitions(grpc::ServerContext* context,
                               const ::almanac::v1::CountPartitionsRequest* request,
                               ::almanac::v1::CountPartitionsResponse* response) override;

 private:
  CatalogService* catalog_;  // Not owned.
  std::string version_;
  int64_t started_at_;
  absl::Duration request_timeout_;
};

}  // namespace almanac::grpc_server
