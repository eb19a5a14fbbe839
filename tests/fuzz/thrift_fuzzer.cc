// Fuzzes the Thrift front end as a connection sees it: the input bytes are what a client sent,
// read through the server's own input stack (LimitedInputTransportFactory, MakeProtocolFactory's
// bounded protocols) by the real processor (MakeMetastoreProcessor inside GuardedProcessor),
// whose handler calls a CatalogService on a fresh SQLite catalog. Up to kMaxMessages requests
// are served per input, as on one connection.
//
// Built three times (see CMakeLists.txt): binary protocol, compact protocol, and binary protocol
// in frames. Findings besides crashes and sanitizer reports: an exception other than a Thrift
// one leaving the processor (the limits should turn every bad input into TException), a reply
// that does not parse as one complete message, and any file created, deleted or moved outside
// the catalog's warehouse (its only allowed root).

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <typeinfo>
#include <vector>

#include <thrift/TOutput.h>
#include <thrift/protocol/TBinaryProtocol.h>
#include <thrift/protocol/TCompactProtocol.h>
#include <thrift/transport/TBufferTransports.h>

#include "common/logging.h"
#include "server/core/catalog_service.h"
#include "server/thrift/handler.h"
#include "server/thrift/thrift_server.h"
#include "server/thrift/transport.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/fuzz/fs_guard.h"

#ifndef ALMANAC_FUZZ_COMPACT
#define ALMANAC_FUZZ_COMPACT 0
#endif
#ifndef ALMANAC_FUZZ_FRAMED
#define ALMANAC_FUZZ_FRAMED 0
#endif

namespace almanac::fuzz {
namespace {

using apache::thrift::TException;
using apache::thrift::TProcessor;
using apache::thrift::protocol::TProtocol;
using apache::thrift::transport::TMemoryBuffer;
using thrift_server::ConnectionState;
using thrift_server::TransportLimits;

constexpr int kMaxMessages = 8;
constexpr int64_t kNow = 1'700'000'000;

// Lets Thrift's own exceptions through to GuardedProcessor, which ends the connection on them
// as it would in the server; anything else stops the fuzzer.
class ThriftExceptionsOnly : public TProcessor {
 public:
  explicit ThriftExceptionsOnly(std::shared_ptr<TProcessor> inner) : inner_(std::move(inner)) {}
  bool process(std::shared_ptr<TProtocol> in, std::shared_ptr<TProtocol> out,
               void* context) override {
    try {
      return inner_->process(in, out, context);
    } catch (const TException&) {
      throw;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "a %s left the processor: %s\n", typeid(e).name(), e.what());
      std::abort();
    } catch (...) {
      std::fprintf(stderr, "an unknown exception left the processor\n");
      std::abort();
    }
  }

 private:
  std::shared_ptr<TProcessor> inner_;
};

// The directory this process works in, and the catalog file every input starts from.
struct Sandbox {
  std::string root;
  std::string template_db;
  std::string db;
};
Sandbox* sandbox = nullptr;

TransportLimits Limits() {
  TransportLimits limits;  // The server's defaults.
  limits.compact = ALMANAC_FUZZ_COMPACT;
  limits.framed = ALMANAC_FUZZ_FRAMED;
  return limits;
}

absl::StatusOr<std::unique_ptr<Store>> OpenStore(const std::string& path) {
  SqliteStoreOptions options;
  options.path = path;
  options.reader_pool_size = 1;
  options.default_database_location = "file:" + sandbox->root + "/warehouse";
  return OpenSqliteStore(options);
}

CatalogOptions Options() {
  CatalogOptions options;
  options.warehouse_root = "file:" + sandbox->root + "/warehouse";
  // Requests name arbitrary locations; the server touches files only under its warehouse root,
  // which is in the sandbox. The fs guard holds it to that (see LLVMFuzzerTestOneInput).
  options.create_directories = true;
  options.stats_auto_gather = true;
  return options;
}

void Check(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::fprintf(stderr, "fuzz setup: %s: %s\n", what, status.ToString().c_str());
  std::abort();
}

// A database "fuzz" with a partitioned table "events" (string, date and int keys) and an
// unpartitioned table "plain", which the seed requests refer to.
void MakeTemplate() {
  auto store = OpenStore(sandbox->template_db);
  Check(store.status(), "open template");
  CatalogService catalog(store->get(), Options(), [] { return kNow; });
  const RequestContext ctx{"fuzz"};
  Database db;
  db.name = "fuzz";
  Check(catalog.CreateDatabase(ctx, db).status(), "create database");

  Table events;
  events.database = "fuzz";
  events.name = "events";
  events.table_type = kExternalTable;
  events.sd.columns = {{"id", "bigint", ""}, {"payload", "string", "the body"}};
  events.sd.input_format = "org.apache.hadoop.mapred.TextInputFormat";
  events.partition_keys = {{"region", "string", ""}, {"day", "date", ""}, {"hour", "int", ""}};
  events.parameters = {{"EXTERNAL", "TRUE"}, {"owner_team", "data"}};
  Check(catalog.CreateTable(ctx, events).status(), "create events");

  std::vector<Partition> parts;
  const std::vector<std::vector<std::string>> values = {
      {"us-east", "2024-01-01", "0"},
      {"us-east", "2024-01-02", "12"},
      {"eu_west", "2024-01-01", "23"},
      {"a%b/c", "2024-02-29", "7"},
      {"x", "__HIVE_DEFAULT_PARTITION__", "__HIVE_DEFAULT_PARTITION__"}};
  for (const auto& v : values) {
    Partition p;
    p.values = v;
    parts.push_back(p);
  }
  Check(catalog.AddPartitions(ctx, "hive", "fuzz", "events", parts, false).status(),
        "add partitions");

  Table plain;
  plain.database = "fuzz";
  plain.name = "plain";
  plain.sd.columns = {{"k", "string", ""}, {"v", "map<string,int>", ""}};
  plain.parameters = {{"comment", "unpartitioned"}, {"transient_lastDdlTime", "1"}};
  Check(catalog.CreateTable(ctx, plain).status(), "create plain");
}

void RemoveSandbox() {
  if (sandbox == nullptr) return;
  DisarmFsGuard();
  std::error_code ec;
  std::filesystem::remove_all(sandbox->root, ec);
}

// The reply written to `output` must be exactly one message (after its frame header).
void CheckReply(TMemoryBuffer& output) {
  uint8_t* bytes = nullptr;
  uint32_t size = 0;
  output.getBuffer(&bytes, &size);
  if (size == 0) return;  // A oneway call.
  if (ALMANAC_FUZZ_FRAMED) {
    if (size < 4) std::abort();
    const uint32_t frame = (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) |
                           (uint32_t{bytes[2]} << 8) | uint32_t{bytes[3]};
    if (frame != size - 4) {
      std::fprintf(stderr, "reply frame says %u bytes, has %u\n", frame, size - 4);
      std::abort();
    }
    bytes += 4;
    size -= 4;
  }
  auto reply = std::make_shared<TMemoryBuffer>(bytes, size, TMemoryBuffer::OBSERVE);
  std::unique_ptr<TProtocol> protocol;
  if (ALMANAC_FUZZ_COMPACT) {
    protocol = std::make_unique<apache::thrift::protocol::TCompactProtocol>(reply);
  } else {
    protocol = std::make_unique<apache::thrift::protocol::TBinaryProtocol>(reply);
  }
  try {
    std::string name;
    apache::thrift::protocol::TMessageType type;
    int32_t seqid = 0;
    protocol->readMessageBegin(name, type, seqid);
    protocol->skip(apache::thrift::protocol::T_STRUCT);
    protocol->readMessageEnd();
  } catch (const TException& e) {
    std::fprintf(stderr, "the reply does not parse: %s\n", e.what());
    std::abort();
  }
  if (reply->available_read() != 0) {
    std::fprintf(stderr, "the reply has %u bytes after its message\n", reply->available_read());
    std::abort();
  }
}

void Serve(CatalogService& catalog, const uint8_t* data, size_t size) {
  const TransportLimits limits = Limits();
  auto input = std::make_shared<TMemoryBuffer>(const_cast<uint8_t*>(data),
                                               static_cast<uint32_t>(size), TMemoryBuffer::OBSERVE);
  auto in_transport = thrift_server::LimitedInputTransportFactory(limits).getTransport(input);
  auto output = std::make_shared<TMemoryBuffer>();
  auto out_transport = thrift_server::OutputTransportFactory(limits.framed).getTransport(output);
  auto protocols = thrift_server::MakeProtocolFactory(limits);
  std::shared_ptr<TProtocol> in = protocols->getProtocol(in_transport);
  std::shared_ptr<TProtocol> out = protocols->getProtocol(out_transport);

  auto info = std::make_shared<thrift_server::ServerInfo>();
  info->version = "fuzz";
  info->started_at = kNow;
  info->warehouse_root = catalog.options().warehouse_root;
  auto state = std::make_shared<ConnectionState>();
  state->peer = "fuzz";
  thrift_server::GuardedProcessor processor(
      std::make_shared<ThriftExceptionsOnly>(
          thrift_server::MakeMetastoreProcessor(&catalog, info, state, absl::Seconds(60))),
      state);
  for (int i = 0; i < kMaxMessages && in_transport->peek(); ++i) {
    output->resetBuffer();
    if (!processor.process(in, out, nullptr)) break;
    CheckReply(*output);
  }
}

}  // namespace
}  // namespace almanac::fuzz

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  using namespace almanac::fuzz;
  // ALMANAC_FUZZ_VERBOSE=1 keeps the server's request log, to see what a saved input does.
  if (std::getenv("ALMANAC_FUZZ_VERBOSE") == nullptr) {
    almanac::SetMinLogLevel(almanac::LogLevel::kError);
    apache::thrift::GlobalOutput.setOutputFunction([](const char*) {});
  }
  // Memory-backed by default: SQLite syncs every commit, which is pure cost here.
  const char* tmp = std::getenv("TMPDIR");
  std::error_code ec;
  std::string dir = "/tmp";
  if (tmp != nullptr && *tmp != '\0') {
    dir = tmp;
  } else if (std::filesystem::is_directory("/dev/shm", ec)) {
    dir = "/dev/shm";
  }
  std::string pattern = dir + "/almanac-fuzz-thrift-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  sandbox = new Sandbox{pattern, pattern + "/template.db", pattern + "/catalog.db"};
  std::atexit(RemoveSandbox);
  MakeTemplate();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace almanac::fuzz;
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(sandbox->db + suffix, ec);
  }
  std::filesystem::copy_file(sandbox->template_db, sandbox->db, ec);
  if (ec) {
    std::fprintf(stderr, "fuzz setup: copy: %s\n", ec.message().c_str());
    std::abort();
  }
  auto store = OpenStore(sandbox->db);
  Check(store.status(), "open catalog");
  {
    almanac::CatalogService catalog(store->get(), Options(), [] { return kNow; });
    const int64_t refusals = FsGuardRefusals();
    ArmFsGuard(sandbox->root);
    Serve(catalog, data, size);
    DisarmFsGuard();
    if (FsGuardRefusals() != refusals) {
      std::fprintf(stderr, "the server changed files outside its allowed roots (see above)\n");
      std::abort();
    }
  }
  return 0;
}
