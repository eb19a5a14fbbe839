#include "client/catalog_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace almanac::client {
namespace {

constexpr auto kDeadline = std::chrono::seconds(60);

absl::Status FromGrpc(const grpc::Status& status, const std::string& target) {
  if (status.ok()) return absl::OkStatus();
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
    return absl::UnavailableError(
        absl::StrCat("cannot reach almanacd at ", target, ": ", status.error_message()));
  }
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace

CatalogClient::CatalogClient(const std::string& target, std::string principal)
    : target_(target),
      principal_(std::move(principal)),
      stub_(v1::Catalog::NewStub(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()))) {
}

template <typename Request, typename Response, typename Method>
absl::StatusOr<Response> CatalogClient::Call(Method method, const Request& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  if (!principal_.empty()) context.AddMetadata("almanac-principal", principal_);
  Response response;
  grpc::Status status = ((*stub_).*method)(&context, request, &response);
  if (!status.ok()) return FromGrpc(status, target_);
  return response;
}

absl::StatusOr<v1::ServerInfo> CatalogClient::GetServerInfo() {
  return Call<v1::GetServerInfoRequest, v1::ServerInfo>(&v1::Catalog::Stub::GetServerInfo,
                                                        v1::GetServerInfoRequest());
}

absl::StatusOr<v1::Database> CatalogClient::CreateDatabase(
    const v1::CreateDatabaseRequest& request) {
  return Call<v1::CreateDatabaseRequest, v1::Database>(&v1::Catalog::Stub::CreateDatabase, request);
}

absl::StatusOr<v1::Database> CatalogClient::GetDatabase(const v1::GetDatabaseRequest& request) {
  return Call<v1::GetDatabaseRequest, v1::Database>(&v1::Catalog::Stub::GetDatabase, request);
}

absl::StatusOr<v1::ListDatabasesResponse> CatalogClient::ListDatabases(
    const v1::ListDatabasesRequest& request) {
  return Call<v1::ListDatabasesRequest, v1::ListDatabasesResponse>(
      &v1::Catalog::Stub::ListDatabases, request);
}

absl::Status CatalogClient::DropDatabase(const v1::DropDatabaseRequest& request) {
  return Call<v1::DropDatabaseRequest, v1::DropDatabaseResponse>(&v1::Catalog::Stub::DropDatabase,
                                                                 request)
      .status();
}

absl::StatusOr<v1::Table> CatalogClient::GetTable(const v1::GetTableRequest& request) {
  return Call<v1::GetTableRequest, v1::Table>(&v1::Catalog::Stub::GetTable, request);
}

absl::StatusOr<v1::ListTablesResponse> CatalogClient::ListTables(
    const v1::ListTablesRequest& request) {
  return Call<v1::ListTablesRequest, v1::ListTablesResponse>(&v1::Catalog::Stub::ListTables,
                                                             request);
}

absl::StatusOr<v1::ListTableVersionsResponse> CatalogClient::ListTableVersions(
    const v1::ListTableVersionsRequest& request) {
  return Call<v1::ListTableVersionsRequest, v1::ListTableVersionsResponse>(
      &v1::Catalog::Stub::ListTableVersions, request);
}

absl::StatusOr<v1::ListPartitionNamesResponse> CatalogClient::ListPartitionNames(
    const v1::ListPartitionNamesRequest& request) {
  return Call<v1::ListPartitionNamesRequest, v1::ListPartitionNamesResponse>(
      &v1::Catalog::Stub::ListPartitionNames, request);
}

absl::StatusOr<v1::CountPartitionsResponse> CatalogClient::CountPartitions(
    const v1::CountPartitionsRequest& request) {
  return Call<v1::CountPartitionsRequest, v1::CountPartitionsResponse>(
      &v1::Catalog::Stub::CountPartitions, request);
}

}  // namespace almanac::client
