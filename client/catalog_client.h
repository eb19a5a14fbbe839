#pragma once

// CatalogClient: a small synchronous client of the almanac.v1 Catalog service, used by the
// `almanac` CLI. It converts gRPC statuses to absl::Status (codes map one to one) and sends the
// caller's principal with every call.
//
// Thread-safety: a CatalogClient may be shared between threads (gRPC stubs are thread-safe).

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "almanac/v1/catalog.grpc.pb.h"

namespace almanac::client {

namespace v1 = ::almanac::v1;

class CatalogClient {
 public:
  // `target` is "host:port". `principal` is recorded by the server in the history of changes.
  CatalogClient(const std::string& target, std::string principal);

  absl::StatusOr<v1::ServerInfo> GetServerInfo();
  absl::StatusOr<v1::Database> CreateDatabase(const v1::CreateDatabaseRequest& request);
  absl::StatusOr<v1::Database> GetDatabase(const v1::GetDatabaseRequest& request);
  absl::StatusOr<v1::ListDatabasesResponse> ListDatabases(const v1::ListDatabasesRequest& request);
  absl::Status DropDatabase(const v1::DropDatabaseRequest& request);
  absl::StatusOr<v1::Table> GetTable(const v1::GetTableRequest& request);
  absl::StatusOr<v1::ListTablesResponse> ListTables(const v1::ListTablesRequest& request);
  absl::StatusOr<v1::ListTableVersionsResponse> ListTableVersions(
      const v1::ListTableVersionsRequest& request);
  absl::StatusOr<v1::ListPartitionNamesResponse> ListPartitionNames(
      const v1::ListPartitionNamesRequest& request);
  absl::StatusOr<v1::CountPartitionsResponse> CountPartitions(
      const v1::CountPartitionsRequest& request);

 private:
  // Calls `method` on the stub with a fresh context carrying the principal and a deadline.
  template <typename Request, typename Response, typename Method>
  absl::StatusOr<Response> Call(Method method, const Request& request);

  std::string target_;
  std::string principal_;
  std::unique_ptr<v1::Catalog::Stub> stub_;
};

}  // namespace almanac::client
