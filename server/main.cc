// almanacd: flags, wiring and signals. Everything else lives in libraries that tests link.

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/environment.h"
#include "common/logging.h"
#include "common/request_scope.h"
#include "server/config.h"
#include "server/core/catalog_service.h"
#include "server/grpc/grpc_server.h"
#include "server/thrift/thrift_server.h"
#include "storage/sqlite/sqlite_store.h"

namespace {

// Written to a temporary name and renamed, so a reader never sees a partial file.
bool WriteReadyFile(const std::string& path, int thrift_port, int grpc_port) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << "{\"thrift_port\": " << thrift_port << ", \"grpc_port\": " << grpc_port
        << ", \"pid\": " << getpid() << "}\n";
    if (!out) return false;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  return !ec;
}

int Run(const almanac::ServerConfig& config) {
  using almanac::LogError;
  using almanac::LogInfo;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    LogError("cannot create data directory",
             {{"data_dir", config.data_dir}, {"error", ec.message()}});
    return 1;
  }
  almanac::SqliteStoreOptions store_options;
  store_options.path = (std::filesystem::path(config.data_dir) / "almanac.db").string();
  store_options.reader_pool_size = static_cast<int>(config.reader_connections);
  store_options.default_database_location = config.warehouse;
  store_options.acquire_timeout = absl::Seconds(config.acquire_timeout_s);
  almanac::LimitSqliteMemory(config.sqlite_memory_bytes);
  auto store = almanac::OpenSqliteStore(store_options);
  if (!store.ok()) {
    LogError("cannot open the catalog",
             {{"path", store_options.path}, {"error", std::string(store.status().message())}});
    return 1;
  }
  almanac::SetMemoryBudget(
      {config.memory_budget_bytes, config.request_memory_bytes, absl::Seconds(2)});
  almanac::CatalogOptions catalog_options;
  catalog_options.warehouse_root = config.warehouse;
  catalog_options.create_directories = config.create_directories;
  catalog_options.stats_auto_gather = config.stats_auto_gather;
  catalog_options.lock_timeout_s = config.lock_timeout_s;
  catalog_options.allowed_roots = config.allowed_roots;
  catalog_options.quick_stats_max_entries = config.quick_stats_max_entries;
  catalog_options.quick_stats_timeout_ms = config.quick_stats_timeout_ms;
  catalog_options.trash_dir = config.trash_dir;
  catalog_options.partition_request_limit = config.partition_request_limit;
  almanac::CatalogService catalog(store->get(), catalog_options);
  // Every lock call reaps first and show_locks hides expired locks, so correctness does not
  // depend on this thread; it removes expired rows and logs them while nobody calls.
  catalog.StartLockReaper(std::min(absl::Seconds(5), absl::Seconds(config.lock_timeout_s) / 2));

  almanac::thrift_server::ThriftServerOptions thrift_options;
  thrift_options.bind_address = config.bind;
  thrift_options.port = config.thrift_port;
  thrift_options.max_connections = config.max_connections;
  thrift_options.max_connections_per_address = config.max_connections_per_address;
  thrift_options.request_timeout = absl::Seconds(config.request_timeout_s);
  thrift_options.idle_timeout_ms = static_cast<int>(config.idle_timeout_s * 1000);
  thrift_options.limits.max_message_bytes = static_cast<uint64_t>(config.max_message_bytes);
  thrift_options.limits.max_string_bytes = static_cast<int32_t>(config.max_string_bytes);
  thrift_options.limits.max_container_elements =
      static_cast<int32_t>(config.max_container_elements);
  thrift_options.limits.message_deadline = std::chrono::seconds(config.read_timeout_s);
  thrift_options.limits.framed = config.framed;
  thrift_options.limits.compact = config.compact;
  thrift_options.version = ALMANAC_VERSION;
  almanac::thrift_server::ThriftServer thrift(thrift_options, &catalog);
  if (absl::Status started = thrift.Start(); !started.ok()) {
    LogError("cannot start the Thrift server", {{"error", std::string(started.message())}});
    return 1;
  }
  almanac::grpc_server::GrpcServerOptions grpc_options;
  grpc_options.bind_address = config.bind;
  grpc_options.port = config.grpc_port;
  grpc_options.max_message_bytes = config.max_message_bytes;
  grpc_options.memory_budget_bytes = config.memory_budget_bytes;
  grpc_options.request_timeout = absl::Seconds(config.request_timeout_s);
  grpc_options.version = thrift_options.version;
  grpc_options.started_at = absl::ToUnixSeconds(absl::Now());
  almanac::grpc_server::GrpcServer grpc(grpc_options, &catalog);
  if (absl::Status started = grpc.Start(); !started.ok()) {
    LogError("cannot start the gRPC server", {{"error", std::string(started.message())}});
    thrift.Stop();
    return 1;
  }
  LogInfo("almanacd serving", {{"thrift", absl::StrCat(config.bind, ":", thrift.port())},
                               {"grpc", absl::StrCat(config.bind, ":", grpc.port())},
                               {"catalog", store_options.path},
                               {"warehouse", config.warehouse},
                               {"allowed_roots", catalog.location_guard().RootsText()},
                               {"protocol", config.compact ? "compact" : "binary"},
                               {"transport", config.framed ? "framed" : "buffered"}});
  if (!config.ready_file.empty() &&
      !WriteReadyFile(config.ready_file, thrift.port(), grpc.port())) {
    LogError("cannot write the ready file", {{"path", config.ready_file}});
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  LogInfo("shutting down: draining requests", {{"signal", strsignal(received)}});
  grpc.Stop();
  thrift.Stop();
  catalog.StopLockReaper();
  if (absl::Status done = (*store)->Checkpoint(); !done.ok()) {
    LogError("checkpoint failed", {{"error", std::string(done.message())}});
    return 1;
  }
  LogInfo("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<almanac::ServerConfig> config =
      almanac::LoadServerConfig(args, almanac::ProcessEnvironment());
  if (absl::IsNotFound(config.status())) {
    std::fputs(std::string(config.status().message()).c_str(), stdout);
    return 0;
  }
  if (!config.ok()) {
    std::fprintf(stderr, "almanacd: %s\n%s", std::string(config.status().message()).c_str(),
                 "run 'almanacd --help' for the list of keys\n");
    return 2;
  }
  almanac::SetLogFormat(config->log_format == "json" ? almanac::LogFormat::kJson
                                                     : almanac::LogFormat::kText);
  return Run(*config);
}
