#include "server/grpc/catalog_handler.h"

#include <chrono>
#include <exception>
#include <functional>
#include <utility>

#include <algorithm>

#include "common/logging.h"
#include "common/request_scope.h"
#include "common/status_macros.h"
#include "server/grpc/convert.h"

namespace almanac::grpc_server {
namespace {

std::string Principal(const grpc::ServerContext& context) {
  auto it = context.client_metadata().find(kPrincipalMetadataKey);
  if (it == context.client_metadata().end()) return "";
  return std::string(it->second.data(), it->second.size());
}

RequestContext Context(const grpc::ServerContext& context) {
  return RequestContext{Principal(context)};
}

// Runs one call: `fn` does the work; its Status is logged and returned as a grpc::Status. Our
// code does not throw, but a library might; that is reported as INTERNAL to this caller only.
grpc::Status Serve(absl::Duration timeout, grpc::ServerContext* context, const char* method,
                   const std::function<absl::Status()>& fn) {
  const auto start = std::chrono::steady_clock::now();
  absl::Status status = AdmitRequest();
  if (status.ok()) {
    RequestScope scope(std::min(absl::Now() + timeout, absl::FromChrono(context->deadline())));
    try {
      status = fn();
    } catch (const MemoryBudgetExceeded& e) {
      status = absl::ResourceExhaustedError(e.what());
    } catch (const std::exception& e) {
      status = absl::InternalError(e.what());
    }
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  LogRequest(method, Principal(*context), context->peer(), ms, status.ok() ? "ok" : "error",
             status.ok() ? "" : status.ToString());
  return ToGrpcStatus(status);
}

// "0 or negative" means no limit on the wire; the core takes a negative number for that.
int64_t MaxResults(int64_t wire) { return wire > 0 ? wire : -1; }

PartitionSelector FilterSelector(const std::string& filter, int64_t max_results) {
  PartitionSelector selector;
  if (!filter.empty()) selector.filter = filter;
  selector.max_results = max_results;
  return selector;
}

}  // namespace

CatalogHandler::CatalogHandler(CatalogService* catalog, std::string version, int64_t started_at,
                               absl::Duration request_timeout)
    : catalog_(catalog),
      version_(std::move(version)),
      started_at_(started_at),
      request_timeout_(request_timeout) {}

grpc::Status CatalogHandler::GetServerInfo(grpc::ServerContext* context,
                                           const v1::GetServerInfoRequest* /*request*/,
                                           v1::ServerInfo* response) {
  return Serve(request_timeout_, context, "GetServerInfo", [&]() -> absl::Status {
    response->set_version(version_);
    response->set_started_at(started_at_);
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::CreateDatabase(grpc::ServerContext* context,
                                            const v1::CreateDatabaseRequest* request,
                                            v1::Database* response) {
  return Serve(request_timeout_, context, "CreateDatabase", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Database created,
                     catalog_->CreateDatabase(Context(*context), FromProto(request->database())));
    ToProto(created, response);
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::GetDatabase(grpc::ServerContext* context,
                                         const v1::GetDatabaseRequest* request,
                                         v1::Database* response) {
  return Serve(request_timeout_, context, "GetDatabase", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Database db,
                     catalog_->GetDatabase(CatalogOrDefault(request->catalog()), request->name()));
    ToProto(db, response);
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::ListDatabases(grpc::ServerContext* context,
                                           const v1::ListDatabasesRequest* request,
                                           v1::ListDatabasesResponse* response) {
  return Serve(request_timeout_, context, "ListDatabases", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<std::string> names,
        catalog_->ListDatabases(CatalogOrDefault(request->catalog()), request->pattern()));
    for (std::string& name : names) response->add_names(std::move(name));
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::DropDatabase(grpc::ServerContext* context,
                                          const v1::DropDatabaseRequest* request,
                                          v1::DropDatabaseResponse* /*response*/) {
  return Serve(request_timeout_, context, "DropDatabase", [&]() -> absl::Status {
    return catalog_->DropDatabase(Context(*context), CatalogOrDefault(request->catalog()),
                                  request->name(), request->delete_data(), request->cascade());
  });
}

grpc::Status CatalogHandler::GetTable(grpc::ServerContext* context,
                                      const v1::GetTableRequest* request, v1::Table* response) {
  return Serve(request_timeout_, context, "GetTable", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(Table table, catalog_->GetTable(CatalogOrDefault(request->catalog()),
                                                     request->database(), request->name()));
    ToProto(table, response);
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::ListTables(grpc::ServerContext* context,
                                        const v1::ListTablesRequest* request,
                                        v1::ListTablesResponse* response) {
  return Serve(request_timeout_, context, "ListTables", [&]() -> absl::Status {
    const std::string catalog = CatalogOrDefault(request->catalog());
    // Unlike Hive's get_tables, asking for the tables of a missing database is an error here.
    RETURN_IF_ERROR(catalog_->GetDatabase(catalog, request->database()).status());
    ASSIGN_OR_RETURN(
        std::vector<std::string> names,
        catalog_->ListTables(catalog, request->database(), request->pattern(), std::nullopt));
    for (std::string& name : names) response->add_names(std::move(name));
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::ListTableVersions(grpc::ServerContext* context,
                                               const v1::ListTableVersionsRequest* request,
                                               v1::ListTableVersionsResponse* response) {
  return Serve(request_timeout_, context, "ListTableVersions", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(std::vector<TableVersion> versions,
                     catalog_->ListTableVersions(CatalogOrDefault(request->catalog()),
                                                 request->database(), request->table()));
    for (const TableVersion& version : versions) ToProto(version, response->add_versions());
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::ListPartitionNames(grpc::ServerContext* context,
                                                const v1::ListPartitionNamesRequest* request,
                                                v1::ListPartitionNamesResponse* response) {
  return Serve(request_timeout_, context, "ListPartitionNames", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(
        std::vector<std::string> names,
        catalog_->ListPartitionNames(
            CatalogOrDefault(request->catalog()), request->database(), request->table(),
            FilterSelector(request->filter(), MaxResults(request->max_results()))));
    for (std::string& name : names) response->add_names(std::move(name));
    return absl::OkStatus();
  });
}

grpc::Status CatalogHandler::CountPartitions(grpc::ServerContext* context,
                                             const v1::CountPartitionsRequest* request,
                                             v1::CountPartitionsResponse* response) {
  return Serve(request_timeout_, context, "CountPartitions", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(int64_t count, catalog_->CountPartitions(
                                        CatalogOrDefault(request->catalog()), request->database(),
                                        request->table(), FilterSelector(request->filter(), -1)));
    response->set_count(count);
    return absl::OkStatus();
  });
}

}  // namespace almanac::grpc_server
