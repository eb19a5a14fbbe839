#include "server/config.h"
#include "absl/strings/string_view.h"

#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status_macros.h"
#include "server/core/location_guard.h"

namespace almanac {
namespace {

struct Key {
  const char* name;
  const char* help;
  std::function<absl::Status(ServerConfig&, const std::string&)> set;
};

absl::Status Bad(const std::string& key, const std::string& value, const std::string& why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid value '", value, "' for ", key, ": ", why));
}

Key IntKey(const char* name, const char* help, int64_t ServerConfig::*field, int64_t min) {
  return {name, help, [=](ServerConfig& c, const std::string& v) -> absl::Status {
            int64_t n;
            if (!absl::SimpleAtoi(v, &n) || n < min) {
              return Bad(name, v, absl::StrCat("expected an integer >= ", min));
            }
            c.*field = n;
            return absl::OkStatus();
          }};
}

Key PortKey(const char* name, const char* help, int ServerConfig::*field) {
  return {name, help, [=](ServerConfig& c, const std::string& v) -> absl::Status {
            int n;
            if (!absl::SimpleAtoi(v, &n) || n < 0 || n > 65535) {
              return Bad(name, v, "expected a port number 0-65535");
            }
            c.*field = n;
            return absl::OkStatus();
          }};
}

Key BoolKey(const char* name, const char* help, bool ServerConfig::*field) {
  return {name, help, [=](ServerConfig& c, const std::string& v) -> absl::Status {
            bool b;
            if (!absl::SimpleAtob(v, &b)) return Bad(name, v, "expected true or false");
            c.*field = b;
            return absl::OkStatus();
          }};
}

Key StringKey(const char* name, const char* help, std::string ServerConfig::*field) {
  return {name, help, [=](ServerConfig& c, const std::string& v) -> absl::Status {
            c.*field = v;
            return absl::OkStatus();
          }};
}

// A comma-separated list of "file:" URIs or absolute paths.
Key RootsKey(const char* name, const char* help, std::vector<std::string> ServerConfig::*field) {
  return {name, help, [=](ServerConfig& c, const std::string& v) -> absl::Status {
            std::vector<std::string> roots;
            for (absl::string_view item : absl::StrSplit(v, ',')) {
              item = absl::StripAsciiWhitespace(item);
              if (item.empty()) continue;
              absl::StatusOr<std::string> root = ParseRoot(item);
              if (!root.ok()) return Bad(name, v, std::string(root.status().message()));
              roots.push_back(*root);
            }
            c.*field = std::move(roots);
            return absl::OkStatus();
          }};
}

const std::vector<Key>& Keys() {
  static const auto* keys = new std::vector<Key>{
      StringKey("data_dir", "directory holding the SQLite catalog (default ./data)",
                &ServerConfig::data_dir),
      StringKey("bind", "address to listen on (default 127.0.0.1)", &ServerConfig::bind),
      PortKey("thrift_port", "Thrift (HMS) port, 0 for any free port (default 9083)",
              &ServerConfig::thrift_port),
      PortKey("grpc_port", "gRPC (almanac.v1) port, 0 for any free port (default 9084)",
              &ServerConfig::grpc_port),
      StringKey("warehouse", "warehouse root for default locations (default <data_dir>/warehouse)",
                &ServerConfig::warehouse),
      BoolKey("create_directories",
              "create file: directories of new databases, tables and partitions",
              &ServerConfig::create_directories),
      BoolKey("stats_auto_gather",
              "count numFiles and totalSize of new tables and partitions in file: directories",
              &ServerConfig::stats_auto_gather),
      IntKey("max_connections", "open Thrift connections allowed (default 500)",
             &ServerConfig::max_connections, 1),
      IntKey("max_message_bytes", "largest request accepted (default 104857600)",
             &ServerConfig::max_message_bytes, 1024),
      IntKey("max_string_bytes", "largest string field accepted (default 16777216)",
             &ServerConfig::max_string_bytes, 1024),
      IntKey("max_container_elements", "largest list/map accepted (default 1000000)",
             &ServerConfig::max_container_elements, 16),
      IntKey("max_connections_per_address",
             "open Thrift connections allowed from one client address, 0 for no cap (default 0)",
             &ServerConfig::max_connections_per_address, 0),
      IntKey("idle_timeout_s", "close a connection idle this long (default 300)",
             &ServerConfig::idle_timeout_s, 1),
      IntKey("read_timeout_s", "deadline to receive one whole request (default 60)",
             &ServerConfig::read_timeout_s, 1),
      IntKey("request_timeout_s", "deadline to answer a request once received (default 60)",
             &ServerConfig::request_timeout_s, 1),
      IntKey("acquire_timeout_s",
             "longest wait of a request for a SQLite reader or the writer (default 10)",
             &ServerConfig::acquire_timeout_s, 1),
      IntKey("memory_budget_bytes",
             "memory all requests together may hold, 0 for no limit (default 1073741824)",
             &ServerConfig::memory_budget_bytes, 0),
      IntKey("request_memory_bytes",
             "memory one request may hold, 0 for no limit (default 268435456)",
             &ServerConfig::request_memory_bytes, 0),
      IntKey("sqlite_memory_bytes",
             "memory SQLite may hold for page caches and statements, 0 for no limit "
             "(default 268435456)",
             &ServerConfig::sqlite_memory_bytes, 0),
      BoolKey("framed", "use the framed transport (default false)", &ServerConfig::framed),
      BoolKey("compact", "use the compact protocol (default false)", &ServerConfig::compact),
      {"log_format", "text or json (default text)",
       [](ServerConfig& c, const std::string& v) -> absl::Status {
         if (v != "text" && v != "json") return Bad("log_format", v, "expected text or json");
         c.log_format = v;
         return absl::OkStatus();
       }},
      StringKey("ready_file", "write the bound ports here as JSON once serving",
                &ServerConfig::ready_file),
      IntKey("reader_connections", "read-only SQLite connections (default 4)",
             &ServerConfig::reader_connections, 1),
      IntKey("lock_timeout_s",
             "reap locks and transactions not heartbeated for this many seconds (default 300)",
             &ServerConfig::lock_timeout_s, 1),
      RootsKey("allowed_roots",
               "comma-separated file: URIs or absolute paths where, besides the warehouse, "
               "files may be deleted, created, moved and listed (default none)",
               &ServerConfig::allowed_roots),
      IntKey("quick_stats_max_entries",
             "directory entries one call may read to count quick stats (default 10000)",
             &ServerConfig::quick_stats_max_entries, 1),
      IntKey("quick_stats_timeout_ms",
             "milliseconds one call may spend listing for quick stats (default 2000)",
             &ServerConfig::quick_stats_timeout_ms, 1),
      {"trash_dir",
       "Hadoop-style trash root (file: URI or absolute path): the data of dropped partitions "
       "moves to <trash_dir>/Current/<its path> unless purged (default none: deleted)",
       [](ServerConfig& c, const std::string& v) -> absl::Status {
         if (!v.empty()) {
           absl::StatusOr<std::string> root = ParseRoot(v);
           if (!root.ok()) return Bad("trash_dir", v, std::string(root.status().message()));
         }
         c.trash_dir = v;
         return absl::OkStatus();
       }},
      IntKey("partition_request_limit",
             "most partitions one listing of whole partitions may ask for or return, -1 for no "
             "limit (Hive's metastore.limit.partition.request; default -1)",
             &ServerConfig::partition_request_limit, -1),
  };
  return *keys;
}

const Key* FindKey(const std::string& name) {
  for (const Key& key : Keys()) {
    if (name == key.name) return &key;
  }
  return nullptr;
}

// Reads "key = value" lines; '#' starts a comment.
absl::StatusOr<std::map<std::string, std::string>> ReadConfigFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::InvalidArgumentError(absl::StrCat("cannot read config file ", path));
  std::map<std::string, std::string> values;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    absl::string_view text = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (text.empty()) continue;
    size_t eq = text.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": expected 'key = value', got '", text, "'"));
    }
    values[std::string(absl::StripAsciiWhitespace(text.substr(0, eq)))] =
        std::string(absl::StripAsciiWhitespace(text.substr(eq + 1)));
  }
  return values;
}

absl::Status ParseArgs(const std::vector<std::string>& args,
                       std::map<std::string, std::string>& flags) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg == "--help" || arg == "-h") return absl::NotFoundError(ServerConfigUsage());
    if (!absl::StartsWith(arg, "--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    arg = arg.substr(2);
    std::string value;
    size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("flag --", arg, " needs a value"));
    }
    if (arg != "config" && FindKey(arg) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag --", arg));
    }
    flags[arg] = value;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ServerConfig> LoadServerConfig(const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& env) {
  std::map<std::string, std::string> flags;
  RETURN_IF_ERROR(ParseArgs(args, flags));
  std::optional<std::string> config_path;
  if (flags.contains("config")) {
    config_path = flags["config"];
  } else if (env.contains("ALMANAC_CONFIG")) {
    config_path = env.at("ALMANAC_CONFIG");
  }
  std::map<std::string, std::string> file;
  if (config_path) {
    ASSIGN_OR_RETURN(file, ReadConfigFile(*config_path));
    for (const auto& [key, value] : file) {
      if (FindKey(key) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unknown key '", key, "' in config file ", *config_path));
      }
    }
  }
  ServerConfig config;
  for (const Key& key : Keys()) {
    const std::string env_name = absl::StrCat("ALMANAC_", absl::AsciiStrToUpper(key.name));
    const std::string* value = nullptr;
    if (auto it = flags.find(key.name); it != flags.end()) {
      value = &it->second;
    } else if (auto e = env.find(env_name); e != env.end()) {
      value = &e->second;
    } else if (auto f = file.find(key.name); f != file.end()) {
      value = &f->second;
    }
    if (value != nullptr) RETURN_IF_ERROR(key.set(config, *value));
  }
  if (config.warehouse.empty()) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(config.data_dir, ec);
    config.warehouse = absl::StrCat("file:", (dir.lexically_normal() / "warehouse").string());
  }
  return config;
}

std::string ServerConfigUsage() {
  std::string usage =
      "usage: almanacd [--key value | --key=value]...\n"
      "Each key can also be set as an ALMANAC_<KEY> environment variable or in a config file\n"
      "(--config PATH or ALMANAC_CONFIG) of 'key = value' lines. Flags win over the\n"
      "environment, which wins over the file.\n\nkeys:\n";
  for (const Key& key : Keys()) absl::StrAppend(&usage, "  --", key.name, "  ", key.help, "\n");
  return usage;
}

}  // namespace almanac
