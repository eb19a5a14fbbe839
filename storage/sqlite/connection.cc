#include "storage/sqlite/connection.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/absl_compat.h"
#include "storage/sqlite/sqlite_status.h"

namespace almanac::sqlite {

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int flags,
                                                             const std::string& vfs) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX,
                                 vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    absl::Status status = SqliteStatus(rc, db, absl::StrCat("opening SQLite database ", path));
    sqlite3_close_v2(db);  // A handle is returned even on most failures.
    return status;
  }
  sqlite3_extended_result_codes(db, 1);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() { Close().IgnoreError(); }

absl::Status Connection::Close() {
  if (db_ == nullptr) return absl::OkStatus();
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached->stmt);
  cache_.clear();
  const int rc = sqlite3_close_v2(db_);
  absl::Status status = SqliteStatus(rc, nullptr, absl::StrCat("closing ", path_));
  db_ = nullptr;
  return status;
}

absl::Status Connection::Error(int rc, std::string_view context) const {
  return SqliteStatus(rc, db_, context);
}

absl::Status Connection::Execute(const char* sql) {
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  return Error(rc, absl::StrCat("executing '", sql, "'"));
}

absl::StatusOr<sqlite3_stmt*> Connection::PrepareRaw(std::string_view sql,
                                                     unsigned int prepare_flags) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), prepare_flags,
                                    &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(rc, absl::StrCat("preparing '", AsAbsl(sql), "'"));
  }
  return stmt;
}

absl::StatusOr<Statement> Connection::GetCachedStatement(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    absl::StatusOr<sqlite3_stmt*> stmt = PrepareRaw(sql, SQLITE_PREPARE_PERSISTENT);
    if (!stmt.ok()) return stmt.status();
    auto cached = std::make_unique<CachedStatement>();
    cached->stmt = *stmt;
    it = cache_.emplace(sql, std::move(cached)).first;
  }
  CachedStatement& cached = *it->second;
  if (cached.in_use) return Prepare(sql);  // Re-entrant use of the same SQL.
  cached.in_use = true;
  return Statement(cached.stmt, &cached.in_use);
}

absl::StatusOr<Statement> Connection::Prepare(std::string_view sql) {
  absl::StatusOr<sqlite3_stmt*> stmt = PrepareRaw(sql, 0);
  if (!stmt.ok()) return stmt.status();
  return Statement(*stmt, nullptr);
}

absl::StatusOr<int64_t> Connection::QueryInt64(const char* sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::InternalError(absl::StrCat("'", sql, "' returned no row"));
  return stmt->ColumnInt64(0);
}

int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace almanac::sqlite
