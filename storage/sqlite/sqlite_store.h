#pragma once

// The SQLite implementation of the Store interface (storage/store.h): one file holds the whole
// catalog.
//
// Durability: WAL with synchronous=FULL, so a Write that returned OK survives power loss. One
// writer connection (behind a mutex) runs every write transaction (BEGIN IMMEDIATE) and every
// checkpoint; readers use read-only connections from a small pool, each Read inside one deferred
// transaction (one snapshot). This single-writer design also avoids SQLite's WAL-reset bug in
// versions before 3.51.3 (reference/hardening.md section 3). No other process may write the file
// while a store has it open.
//
// Thread-safety: the returned Store is safe to use from many threads. Writes are serialised:
// calling Write from inside a Write callback deadlocks. A Read inside a Write callback sees only
// committed state. Each Read holds one pooled reader connection for its duration, so nesting
// Reads deeper than reader_pool_size waits until acquire_timeout and then fails.
//
// Deadlines: a Read or Write waits at most acquire_timeout (or until the deadline of the request
// open on the thread, common/request_scope.h, if that comes first) for its connection, and then
// fails with Unavailable (DeadlineExceeded for the request's deadline) without touching the
// catalog. SQL running past the request's deadline is interrupted: the transaction rolls back,
// the call fails with DeadlineExceeded and the connection goes back to the pool.

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "storage/store.h"

namespace almanac {

struct SqliteStoreOptions {
  // The database file. Missing parent directories and the file itself are created.
  std::string path;
  // Read-only connections; at most this many Read calls run at once (others wait).
  int reader_pool_size = 4;
  // Location of the database `default` of catalog `hive`, created with a new file.
  std::string default_database_location = "file:/tmp/almanac/warehouse";
  // How long a connection waits for a lock held by another process.
  int busy_timeout_ms = 5000;
  // After a commit leaves at least this many frames in the WAL, the writer runs a PASSIVE
  // checkpoint. Readers never checkpoint.
  int64_t checkpoint_wal_frames = 1000;
  // After this many partitions were added since the last time, the writer refreshes the query
  // planner's statistics (a sampled ANALYZE), so that a selective partition filter is answered
  // from the partition-value indexes instead of a scan of the table's partitions.
  int64_t analyze_after_partitions = 5000;
  // PRAGMA journal_size_limit: the WAL file is truncated to this size after a reset.
  int64_t journal_size_limit_bytes = int64_t{64} << 20;
  // Run PRAGMA quick_check when opening (reads the whole file: slow for huge catalogs).
  bool quick_check_on_open = false;
  // Longest wait for a reader connection or for the writer.
  absl::Duration acquire_timeout = absl::Seconds(10);
  // The registered SQLite VFS every connection opens through; empty means SQLite's default.
  // Tests use it to inject I/O faults and simulate power loss.
  std::string vfs;
};

// Caps the memory SQLite allocates in this process (page caches, statements, sorting) at `bytes`;
// 0 removes the cap. Past it a statement fails with ResourceExhausted and changes nothing.
void LimitSqliteMemory(int64_t bytes);

// Opens (creating if needed) the catalog at options.path and brings its schema up to date.
// FailedPrecondition if the file belongs to another application or to a newer Almanac;
// InvalidArgument for an empty path, a pool size below 1 or a negative acquire timeout; DataLoss if
// quick_check fails; other errors come from the file system or SQLite.
absl::StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteStoreOptions& options);

}  // namespace almanac
