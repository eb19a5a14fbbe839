#include "server/thrift/thrift_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <future>

#include <thrift/TProcessor.h>
#include <thrift/server/TThreadedServer.h>
#include <thrift/transport/TTransportException.h>

#include "ThriftHiveMetastore.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "server/thrift/handler.h"

namespace almanac::thrift_server {
namespace {

using apache::thrift::TConnectionInfo;
using apache::thrift::protocol::TProtocol;
using apache::thrift::server::TServerEventHandler;

// Marks that the generated processor dispatched a call: it asks for a context for every method
// it knows, and for none it answers with UNKNOWN_METHOD.
class DispatchMarker : public apache::thrift::TProcessorEventHandler {
 public:
  explicit DispatchMarker(bool* dispatched) : dispatched_(dispatched) {}
  void* getContext(const char* /*fn_name*/, void* /*server_context*/) override {
    *dispatched_ = true;
    return nullptr;
  }

 private:
  bool* dispatched_;  // Owned by the processor that owns this handler.
};

// The generated processor, plus a request log line for a method it does not know. Those are
// answered with UNKNOWN_METHOD before any handler runs, so without this line a client that
// expects a newer API would leave no trace in the log.
class LoggingProcessor : public Apache::Hadoop::Hive::ThriftHiveMetastoreProcessor {
 public:
  LoggingProcessor(std::shared_ptr<MetastoreHandler> handler,
                   std::shared_ptr<ConnectionState> state)
      : ThriftHiveMetastoreProcessor(handler),
        handler_(std::move(handler)),
        state_(std::move(state)) {
    setEventHandler(std::make_shared<DispatchMarker>(&dispatched_));
  }

 protected:
  bool dispatchCall(TProtocol* in, TProtocol* out, const std::string& fname, int32_t seqid,
                    void* context) override {
    dispatched_ = false;
    const auto start = std::chrono::steady_clock::now();
    const bool result = ThriftHiveMetastoreProcessor::dispatchCall(in, out, fname, seqid, context);
    if (!dispatched_) {
      LogRequest(fname, handler_->principal(), state_->peer,
                 std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                     .count(),
                 "error", absl::StrCat("Invalid method name: '", fname, "'"));
    }
    return result;
  }

 private:
  std::shared_ptr<MetastoreHandler> handler_;
  std::shared_ptr<ConnectionState> state_;
  bool dispatched_ = false;
};

// One handler and processor per connection, so per-connection state (the set_ugi principal)
// needs no locks.
class MetastoreProcessorFactory : public apache::thrift::TProcessorFactory {
 public:
  MetastoreProcessorFactory(CatalogService* catalog, std::shared_ptr<const ServerInfo> info)
      : catalog_(catalog), info_(std::move(info)) {}
  std::shared_ptr<apache::thrift::TProcessor> getProcessor(const TConnectionInfo& conn) override {
    auto state = std::make_shared<ConnectionState>();
    state->peer = PeerName(conn.transport);  // Runs on the accepting thread: no DNS lookup.
    auto handler = std::make_shared<MetastoreHandler>(catalog_, info_, state);
    return std::make_shared<GuardedProcessor>(std::make_shared<LoggingProcessor>(handler, state),
                                              state);
  }

 private:
  CatalogService* catalog_;
  std::shared_ptr<const ServerInfo> info_;
};

// Reports when the server is listening and keeps the count of open connections.
class ConnectionEvents : public TServerEventHandler {
 public:
  ConnectionEvents(std::shared_ptr<std::atomic<int64_t>> active, std::promise<void> listening)
      : active_(std::move(active)), listening_(std::move(listening)) {}
  void preServe() override { listening_.set_value(); }
  void deleteContext(void*, std::shared_ptr<TProtocol>, std::shared_ptr<TProtocol>) override {
    active_->fetch_sub(1);
  }

 private:
  std::shared_ptr<std::atomic<int64_t>> active_;
  std::promise<void> listening_;
};

int BoundPort(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return 0;
  if (addr.ss_family == AF_INET) return ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (addr.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  }
  return 0;
}

}  // namespace

ThriftServer::ThriftServer(ThriftServerOptions options, CatalogService* catalog)
    : options_(std::move(options)), catalog_(catalog) {}

ThriftServer::~ThriftServer() { Stop(); }

absl::Status ThriftServer::Start() {
  auto active = std::make_shared<std::atomic<int64_t>>(0);
  auto socket = std::make_shared<AdmissionServerSocket>(options_.bind_address, options_.port,
                                                        options_.max_connections, active);
  socket->setRecvTimeout(options_.idle_timeout_ms);
  socket->setSendTimeout(options_.send_timeout_ms);
  socket->setKeepAlive(true);

  auto info = std::make_shared<ServerInfo>();
  info->version = options_.version;
  info->started_at = static_cast<int64_t>(std::time(nullptr));
  info->warehouse_root = catalog_->options().warehouse_root;
  auto processors = std::make_shared<MetastoreProcessorFactory>(catalog_, info);
  TransportLimits limits = options_.limits;
  limits.idle_timeout = std::chrono::milliseconds(options_.idle_timeout_ms);
  auto protocol = MakeProtocolFactory(limits);
  server_ = std::make_shared<apache::thrift::server::TThreadedServer>(
      processors, socket, std::make_shared<LimitedInputTransportFactory>(limits),
      std::make_shared<OutputTransportFactory>(options_.limits.framed), protocol, protocol);

  std::promise<void> listening;
  std::shared_future<void> listening_future = listening.get_future().share();
  server_->setServerEventHandler(std::make_shared<ConnectionEvents>(active, std::move(listening)));
  auto failure = std::make_shared<std::promise<std::string>>();
  std::future<std::string> failure_future = failure->get_future();
  thread_ = std::thread([server = server_, failure, listening_future] {
    try {
      server->serve();
    } catch (const std::exception& e) {
      // Before it listens, Start() reports the failure. After, nobody waits for this thread
      // until Stop(), so the end of the accept loop must at least show in the log.
      if (listening_future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
        failure->set_value(e.what());
      } else {
        LogError("the Thrift server stopped accepting connections", {{"error", e.what()}});
      }
    }
  });
  while (true) {
    if (listening_future.wait_for(std::chrono::milliseconds(10)) == std::future_status::ready) {
      break;
    }
    if (failure_future.wait_for(std::chrono::milliseconds(0)) == std::future_status::ready) {
      thread_.join();
      server_.reset();
      return absl::UnavailableError(absl::StrCat("cannot listen on ", options_.bind_address, ":",
                                                 options_.port, ": ", failure_future.get()));
    }
  }
  port_ = BoundPort(socket->getSocketFD());
  return absl::OkStatus();
}

void ThriftServer::Stop() {
  if (!server_) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace almanac::thrift_server
