#pragma once

// The Thrift (HMS-compatible) front end: a thread and a handler per connection, with the
// hardening of transport.h and connections.h, and a RequestScope (deadline, memory budget) per
// request. Start() binds and begins serving on a background thread.
//
// Thread-safety: Start, Stop and port are called from one controlling thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/catalog_service.h"
#include "server/thrift/transport.h"

namespace almanac::thrift_server {

class ConnectionThreadServer;
struct ServerInfo;

// The processor of one connection before GuardedProcessor wraps it: the generated HMS processor
// over a new MetastoreHandler, which also admits each request against the memory budget, gives
// it `request_timeout`, and logs calls to methods it does not know. `catalog` is not owned and
// must outlive the processor; `state` is shared with the handler.
std::shared_ptr<apache::thrift::TProcessor> MakeMetastoreProcessor(
    CatalogService* catalog, std::shared_ptr<const ServerInfo> info,
    std::shared_ptr<ConnectionState> state, absl::Duration request_timeout);

struct ThriftServerOptions {
  std::string bind_address = "127.0.0.1";
  int port = 9083;  // 0 picks a free port; see port().
  int64_t max_connections = 500;
  int64_t max_connections_per_address = 0;  // 0: no cap per client address.
  int idle_timeout_ms = 5 * 60 * 1000;      // A connection with no request for this long is closed.
  absl::Duration request_timeout = absl::Seconds(60);  // From a request's arrival to its answer.
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
  std::shared_ptr<ConnectionThreadServer> server_;
  std::thread thread_;
  std::atomic<int> port_{0};
};

}  // namespace almanac::thrift_server
