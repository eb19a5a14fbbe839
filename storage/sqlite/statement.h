#pragma once

// A prepared SQLite statement, in the style of Chromium's sql::Statement.
//
// Statements come from Connection::GetCachedStatement (a statement kept by the connection and
// reused across calls) or Connection::Prepare (a one-off statement, finalized on destruction).
// On scope exit a statement is reset and its bindings cleared, so a cached statement is ready for
// its next user and never keeps a read transaction open.
//
// Indices are zero-based for both bindings and result columns (Chromium's convention).
// A failed Bind* is remembered and reported by the next Step()/Run().
//
// Thread-safety: none; a statement belongs to its connection's thread. Ownership: a Statement
// must not outlive the Connection that produced it. Movable, not copyable.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3_stmt;

namespace almanac::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  bool is_valid() const { return stmt_ != nullptr; }

  void BindInt64(int index, int64_t value);
  void BindDouble(int index, double value);
  void BindBool(int index, bool value) { BindInt64(index, value ? 1 : 0); }
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::string_view value);
  void BindNull(int index);
  // Bind NULL for nullopt.
  void BindOptionalInt64(int index, const std::optional<int64_t>& value);
  void BindOptionalText(int index, const std::optional<std::string>& value);

  // Advances to the next row: true if a row is available, false when done. Errors (including a
  // failed earlier Bind*) are returned as Status via SqliteStatus.
  absl::StatusOr<bool> Step();
  // Steps until done; for statements that return no rows.
  absl::Status Run();
  // Resets the statement and clears its bindings so it can be bound and run again.
  void Reset();

  bool ColumnIsNull(int col) const;
  int64_t ColumnInt64(int col) const;
  int32_t ColumnInt(int col) const { return static_cast<int32_t>(ColumnInt64(col)); }
  bool ColumnBool(int col) const { return ColumnInt64(col) != 0; }
  double ColumnDouble(int col) const;
  std::string ColumnText(int col) const;
  // A view of the column's text, valid until the next Step()/Reset() or destruction.
  std::string_view ColumnTextView(int col) const;
  std::string ColumnBlob(int col) const;
  // nullopt for NULL.
  std::optional<int64_t> ColumnOptionalInt64(int col) const;
  std::optional<std::string> ColumnOptionalText(int col) const;

  // Steps through every remaining row and returns the text of its first column.
  absl::StatusOr<std::vector<std::string>> FirstColumnTexts();

 private:
  friend class Connection;
  // `in_use` is the cache's flag for a cached statement (cleared on destruction), or null for a
  // statement this object owns and finalizes.
  Statement(sqlite3_stmt* stmt, bool* in_use) : stmt_(stmt), in_use_(in_use) {}

  void RecordBind(int rc);
  void Release();

  sqlite3_stmt* stmt_ = nullptr;
  bool* in_use_ = nullptr;
  int bind_rc_ = 0;  // First failed bind, SQLITE_OK (0) if none.
};

}  // namespace almanac::sqlite
