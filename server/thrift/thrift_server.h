#pragma once

// The Thrift (HMS-compatible) front end: a threaded server, one handler per connection, with
// the hardening of transport.h. Start() binds and begins serving on a background thread.
//
// Thread-safety: Start, Stop and port are called from one controlling thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "server/core/catalog_service.h"
#include "server/thrift/transport.h"

namespace apache::thrift::server {
class TThreadedServer;
}

namespace almanac::thrift_server {

struct ThriftServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 9083;  // 0 picks a free port; see port().
  int64_t max_connections = 500;
  int idle_timeout_ms = 30 * 60 * 1000;  // A connection with no request for this long is closed.
  int send_timeout_ms = 60 * 1000;
  TransportLimits limits;
  std::string version = "0.1.0";
};

class ThriftServer {
 public:
  // `catalog` is not owned and must outlive the server.
  ThriftServer(ThriftServerOptions options, CatalogService* catalog);
  ~ThriftServer();
  ThriftServer(const ThriftServer&) = delete;
  ThriftServer& operator=(const ThriftServer&) = delete;

  // Binds the port and serves on a background thread. Unavailable if the port can't be bound.
  absl::Status Start();
  // The bound port (after Start).
  int port() const { return port_; }
  // Stops accepting, lets in-flight requests finish, closes idle connections, and waits.
  void Stop();

 private:
  ThriftServerOptions options_;
  CatalogService* catalog_;  // Not owned.
  std::shared_ptr<apache::thrift::server::TThreadedServer> server_;
  std::thread thread_;
  std::atomic<int> port_{0};
};

}  // namespace almanac::thrift_server
