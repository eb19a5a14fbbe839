#pragma once

// The gRPC (almanac.v1) front end: binds a port and serves the Catalog service on gRPC's own
// threads. Start() returns once the port is bound.
//
// Thread-safety: Start, Stop and port are called from one controlling thread.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/core/catalog_service.h"

namespace grpc {
class Server;
}

namespace almanac::grpc_server {

class CatalogHandler;

struct GrpcServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 9084;                          // 0 picks a free port; see port().
  int64_t max_message_bytes = 100ll << 20;  // Largest request accepted.
  // Memory gRPC's own buffers may take (its resource quota); 0 = gRPC's default.
  int64_t memory_budget_bytes = 0;
  absl::Duration request_timeout = absl::Seconds(60);  // Deadline of one call.
  std::string version = "0.1.0";
  int64_t started_at = 0;  // Seconds since the epoch, reported by GetServerInfo.
};

class GrpcServer {
 public:
  // `catalog` is not owned and must outlive the server.
  GrpcServer(GrpcServerOptions options, CatalogService* catalog);
  ~GrpcServer();  // Stops the server if it is running.
  GrpcServer(const GrpcServer&) = delete;
  GrpcServer& operator=(const GrpcServer&) = delete;

  // Binds the port and starts serving. Unavailable if the port cannot be bound.
  absl::Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  // Stops accepting calls, lets in-flight calls finish (for at most a few seconds), and waits.
  void Stop();

 private:
  GrpcServerOptions options_;
  std::unique_ptr<CatalogHandler> handler_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace almanac::grpc_server
