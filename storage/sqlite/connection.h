#pragma once

// One SQLite database connection, in the style of Chromium's sql::Database.
//
// A Connection owns its sqlite3 handle and a cache of prepared statements keyed by SQL text
// (the store's kSql... constants). Extended result codes are enabled, so errors map precisely
// through SqliteStatus.
//
// Thread-safety: none. A connection is opened with SQLITE_OPEN_NOMUTEX and must be used by one
// thread at a time; the store guards each connection (one writer behind a mutex, readers leased
// from a pool). Ownership: Statements borrowed from a connection must be destroyed before it.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/sqlite/statement.h"

struct sqlite3;

namespace almanac::sqlite {

class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags` (SQLITE_OPEN_NOMUTEX is always added) through the
  // VFS named `vfs` (empty: SQLite's default). Returns the SqliteStatus of a failed open (e.g.
  // Internal "unable to open database file"; an unknown `vfs` is an error too).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, int flags,
                                                          const std::string& vfs = "");

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();  // Finalizes cached statements and closes the handle.

  // Runs SQL that takes no parameters and whose rows, if any, are ignored: DDL, PRAGMAs,
  // BEGIN/COMMIT. May contain several statements separated by ';'.
  absl::Status Execute(const char* sql);

  // A statement for `sql`, prepared once and then reused. `sql` should be a constant. If the
  // cached statement is already in use (a caller still holds it), a fresh one-off statement is
  // returned instead.
  absl::StatusOr<Statement> GetCachedStatement(const char* sql);
  // A one-off statement for SQL built at run time (with '?' parameters only).
  absl::StatusOr<Statement> Prepare(std::string_view sql);

  // Runs a query that returns a single integer (e.g. "PRAGMA user_version").
  absl::StatusOr<int64_t> QueryInt64(const char* sql);

  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t Changes() const;
  // True while a transaction is open on this connection.
  bool InTransaction() const;

  // Finalizes statements and closes the connection. Idempotent.
  absl::Status Close();

  // The SqliteStatus of `rc` on this connection.
  absl::Status Error(int rc, std::string_view context) const;

  sqlite3* db() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  absl::StatusOr<sqlite3_stmt*> PrepareRaw(std::string_view sql, unsigned int prepare_flags);

  sqlite3* db_;
  std::string path_;
  absl::flat_hash_map<std::string, std::unique_ptr<CachedStatement>> cache_;
};

}  // namespace almanac::sqlite
