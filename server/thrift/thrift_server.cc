#include "server/thrift/thrift_server.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <future>
#include <set>

#include <thrift/TApplicationException.h>
#include <thrift/TProcessor.h>
#include <thrift/protocol/TProtocolDecorator.h>
#include <thrift/transport/TTransportException.h>

#include "ThriftHiveMetastore.h"
#include "absl/strings/str_cat.h"
#include "common/logging.h"
#include "common/request_scope.h"
#include "server/thrift/connection_threads.h"
#include "server/thrift/handler.h"

namespace almanac::thrift_server {
namespace {

using apache::thrift::TConnectionInfo;
using apache::thrift::protocol::TProtocol;
using apache::thrift::server::TServerEventHandler;

using apache::thrift::TApplicationException;

// Where the generated processor is in a call: it asks for a context for every method it knows
// (for none it answers with UNKNOWN_METHOD), and reports when the arguments have been read.
struct CallProgress {
  bool dispatched = false;
  bool arguments_read = false;
};

class ProgressMarker : public apache::thrift::TProcessorEventHandler {
 public:
  explicit ProgressMarker(CallProgress* progress) : progress_(progress) {}
  void* getContext(const char* /*fn_name*/, void* /*server_context*/) override {
    progress_->dispatched = true;
    return nullptr;
  }
  void postRead(void* /*ctx*/, const char* /*fn_name*/, uint32_t /*bytes*/) override {
    progress_->arguments_read = true;
  }

 private:
  CallProgress* progress_;  // Owned by the processor that owns this handler.
};

// Reads a call's arguments through to the connection's protocol and records, in
// `arguments_sent`, the field ids of the arguments the client sent.
class ArgumentTracker : public apache::thrift::protocol::TProtocolDecorator {
 public:
  ArgumentTracker(TProtocol* in, std::set<int16_t>* arguments_sent)
      : TProtocolDecorator(std::shared_ptr<TProtocol>(in, [](TProtocol*) {})),
        arguments_sent_(arguments_sent) {
    arguments_sent_->clear();
  }
  uint32_t readStructBegin_virt(std::string& name) override {
    ++depth_;
    return TProtocolDecorator::readStructBegin_virt(name);
  }
  uint32_t readStructEnd_virt() override {
    --depth_;
    return TProtocolDecorator::readStructEnd_virt();
  }
  uint32_t readFieldBegin_virt(std::string& name, apache::thrift::protocol::TType& type,
                               int16_t& id) override {
    const uint32_t read = TProtocolDecorator::readFieldBegin_virt(name, type, id);
    if (depth_ == 1 && type != apache::thrift::protocol::T_STOP) arguments_sent_->insert(id);
    return read;
  }

 private:
  int depth_ = 0;                      // 1 inside the arguments struct.
  std::set<int16_t>* arguments_sent_;  // Not owned: the connection's.
};

// The generated processor, plus what each request needs before and around it:
// - admission against the server-wide memory budget, and the request's deadline;
// - an error answer, instead of a silently closed connection, when the arguments cannot be
//   read within the request's memory budget;
// - a request log line for a method it does not know. Those are answered with UNKNOWN_METHOD
//   before any handler runs, so without this line a client that expects a newer API would
//   leave no trace in the log.
class LoggingProcessor : public Apache::Hadoop::Hive::ThriftHiveMetastoreProcessor {
 public:
  LoggingProcessor(std::shared_ptr<MetastoreHandler> handler,
                   std::shared_ptr<ConnectionState> state, absl::Duration request_timeout)
      : ThriftHiveMetastoreProcessor(handler),
        handler_(std::move(handler)),
        state_(std::move(state)),
        request_timeout_(request_timeout) {
    setEventHandler(std::make_shared<ProgressMarker>(&progress_));
  }

 protected:
  bool dispatchCall(TProtocol* in, TProtocol* out, const std::string& fname, int32_t seqid,
                    void* context) override {
    progress_ = CallProgress{};
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status admitted = AdmitRequest(); !admitted.ok()) {
      Refuse(out, fname, seqid, std::string(admitted.message()), start);
      return false;  // Its arguments are still unread: the connection cannot go on.
    }
    SetRequestDeadline(absl::Now() + request_timeout_);
    bool result = false;
    try {
      ArgumentTracker tracked(in, &state_->arguments_sent);
      result = ThriftHiveMetastoreProcessor::dispatchCall(&tracked, out, fname, seqid, context);
    } catch (const MemoryBudgetExceeded& e) {
      // Once the arguments are read, the generated code answers a handler's exceptions itself;
      // one escaping later comes from writing the answer, which can only be cut off.
      if (progress_.arguments_read) throw;
      Refuse(out, fname, seqid, e.what(), start);
      return false;
    }
    if (!progress_.dispatched) {
      LogRequest(fname, handler_->principal(), state_->peer, MillisSince(start), "error",
                 absl::StrCat("Invalid method name: '", fname, "'"));
    }
    return result;
  }

 private:
  static double MillisSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  }

  // Answers the call with an application error, as HMS does for a failure outside a handler.
  void Refuse(TProtocol* out, const std::string& fname, int32_t seqid, const std::string& why,
              std::chrono::steady_clock::time_point start) {
    LogRequest(fname, handler_->principal(), state_->peer, MillisSince(start), "error", why);
    TApplicationException error(TApplicationException::INTERNAL_ERROR, why);
    out->writeMessageBegin(fname, apache::thrift::protocol::T_EXCEPTION, seqid);
    error.write(out);
    out->writeMessageEnd();
    out->getTransport()->writeEnd();
    out->getTransport()->flush();
  }

  std::shared_ptr<MetastoreHandler> handler_;
  std::shared_ptr<ConnectionState> state_;
  const absl::Duration request_timeout_;
  CallProgress progress_;
};

// One handler and processor per connection, so per-connection state (the set_ugi principal)
// needs no locks.
class MetastoreProcessorFactory : public apache::thrift::TProcessorFactory {
 public:
  MetastoreProcessorFactory(CatalogService* catalog, std::shared_ptr<const ServerInfo> info,
                            absl::Duration request_timeout)
      : catalog_(catalog), info_(std::move(info)), request_timeout_(request_timeout) {}
  std::shared_ptr<apache::thrift::TProcessor> getProcessor(const TConnectionInfo& conn) override {
    auto state = std::make_shared<ConnectionState>();
    state->peer = PeerName(conn.transport);  // Runs on the accepting thread: no DNS lookup.
    return std::make_shared<GuardedProcessor>(
        MakeMetastoreProcessor(catalog_, info_, state, request_timeout_), state);
  }

 private:
  CatalogService* catalog_;
  std::shared_ptr<const ServerInfo> info_;
  absl::Duration request_timeout_;
};

// Reports when the server is listening.
class ListeningEvent : public TServerEventHandler {
 public:
  explicit ListeningEvent(std::promise<void> listening) : listening_(std::move(listening)) {}
  void preServe() override { listening_.set_value(); }

 private:
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

std::shared_ptr<apache::thrift::TProcessor> MakeMetastoreProcessor(
    CatalogService* catalog, std::shared_ptr<const ServerInfo> info,
    std::shared_ptr<ConnectionState> state, absl::Duration request_timeout) {
  auto handler = std::make_shared<MetastoreHandler>(catalog, std::move(info), state);
  return std::make_shared<LoggingProcessor>(std::move(handler), std::move(state), request_timeout);
}

ThriftServer::ThriftServer(ThriftServerOptions options, CatalogService* catalog)
    : options_(std::move(options)), catalog_(catalog) {}

ThriftServer::~ThriftServer() { Stop(); }

absl::Status ThriftServer::Start() {
  auto registry = std::make_shared<ConnectionRegistry>(options_.max_connections,
                                                       options_.max_connections_per_address);
  auto socket =
      std::make_shared<AdmissionServerSocket>(options_.bind_address, options_.port, registry);
  socket->setRecvTimeout(options_.idle_timeout_ms);
  socket->setSendTimeout(options_.send_timeout_ms);
  socket->setKeepAlive(true);

  auto info = std::make_shared<ServerInfo>();
  info->version = options_.version;
  info->started_at = static_cast<int64_t>(std::time(nullptr));
  info->warehouse_root = catalog_->options().warehouse_root;
  auto processors =
      std::make_shared<MetastoreProcessorFactory>(catalog_, info, options_.request_timeout);
  TransportLimits limits = options_.limits;
  limits.idle_timeout = std::chrono::milliseconds(options_.idle_timeout_ms);
  auto protocol = MakeProtocolFactory(limits);
  server_ = std::make_shared<ConnectionThreadServer>(
      processors, socket, std::make_shared<LimitedInputTransportFactory>(limits),
      std::make_shared<OutputTransportFactory>(options_.limits.framed), protocol, protocol);

  std::promise<void> listening;
  std::shared_future<void> listening_future = listening.get_future().share();
  server_->setServerEventHandler(std::make_shared<ListeningEvent>(std::move(listening)));
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
