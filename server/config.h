#pragma once

// almanacd's configuration: flags, then ALMANAC_* environment variables, then an optional
// config file of "key = value" lines, then built-in defaults — the first that sets a key wins.
// Every key has the same name in all three places (flag --key, variable ALMANAC_KEY).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace almanac {

struct ServerConfig {
  std::string data_dir = "./data";
  std::string bind = "127.0.0.1";
  int thrift_port = 9083;
  int grpc_port = 9084;
  std::string warehouse;  // Default: "file:<absolute data_dir>/warehouse".
  bool create_directories = true;
  bool stats_auto_gather = true;  // Quick stats of new tables and partitions (Hive's autogather).
  int64_t max_connections = 500;
  int64_t max_message_bytes = 100ll << 20;
  int64_t max_string_bytes = 16ll << 20;
  int64_t max_container_elements = 1'000'000;
  int64_t max_connections_per_address = 0;  // 0: no per-address cap.
  int64_t idle_timeout_s = 300;
  int64_t read_timeout_s = 60;
  int64_t request_timeout_s = 60;              // Deadline of one request once received.
  int64_t acquire_timeout_s = 10;              // Longest wait for a SQLite connection.
  int64_t memory_budget_bytes = 1ll << 30;     // All requests together; 0: no limit.
  int64_t request_memory_bytes = 256ll << 20;  // One request; 0: no limit.
  int64_t sqlite_memory_bytes = 256ll << 20;   // SQLite's heap, process-wide; 0: no limit.
  bool framed = false;
  bool compact = false;
  std::string log_format = "text";
  std::string ready_file;  // If set, written with the bound ports once serving.
  int64_t reader_connections = 4;
  int64_t lock_timeout_s = 300;  // Locks and transactions not heartbeated this long are reaped.
  // Local roots besides the warehouse where files may be touched (normalised absolute paths).
  std::vector<std::string> allowed_roots;
  int64_t quick_stats_max_entries = 10000;  // Directory entries one call's quick stats may read.
  int64_t quick_stats_timeout_ms = 2000;    // Time one call's quick-stats listings may take.
  std::string trash_dir;                    // Hadoop-style trash root for dropped partition data.
  int64_t partition_request_limit = -1;     // Most partitions one listing may return; -1: any.
};

// Parses argv and `env` (normally the process environment). InvalidArgument names the bad
// key and value. `--help` yields a NotFound status whose message is the usage text.
absl::StatusOr<ServerConfig> LoadServerConfig(const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& env);

// The usage text listing every key with its default.
std::string ServerConfigUsage();

}  // namespace almanac
