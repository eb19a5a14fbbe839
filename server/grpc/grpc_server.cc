#include "server/grpc/grpc_server.h"

#include <chrono>
#include <limits>

#include "absl/strings/str_cat.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "server/grpc/catalog_handler.h"

namespace almanac::grpc_server {
namespace {

constexpr int kMaxThreads = 64;
constexpr int kMaxStreamsPerConnection = 32;
constexpr int kMaxIdleMs = 5 * 60 * 1000;

}  // namespace

GrpcServer::GrpcServer(GrpcServerOptions options, CatalogService* catalog)
    : options_(std::move(options)),
      handler_(std::make_unique<CatalogHandler>(catalog, options_.version, options_.started_at,
                                                options_.request_timeout)) {}

GrpcServer::~GrpcServer() { Stop(); }

absl::Status GrpcServer::Start() {
  const std::string address = absl::StrCat(options_.bind_address, ":", options_.port);
  grpc::ServerBuilder builder;
  int bound = 0;
  builder.AddListeningPort(address, grpc::InsecureServerCredentials(), &bound);
  builder.SetMaxReceiveMessageSize(static_cast<int>(
      std::min<int64_t>(options_.max_message_bytes, std::numeric_limits<int>::max())));
  // gRPC's buffers and threads are bounded by a resource quota; streams per connection and idle
  // connections are bounded like the Thrift front end's.
  grpc::ResourceQuota quota("almanac");
  if (options_.memory_budget_bytes > 0) quota.Resize(options_.memory_budget_bytes);
  quota.SetMaxThreads(kMaxThreads);
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxStreamsPerConnection);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, kMaxIdleMs);
  builder.RegisterService(handler_.get());
  server_ = builder.BuildAndStart();
  if (server_ == nullptr || bound == 0) {
    server_.reset();
    return absl::UnavailableError(absl::StrCat("cannot serve gRPC on ", address,
                                               " (address in use, or not a local address?)"));
  }
  port_ = bound;
  return absl::OkStatus();
}

void GrpcServer::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server_->Wait();
  server_.reset();
}

}  // namespace almanac::grpc_server
