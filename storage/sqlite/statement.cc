#include "storage/sqlite/statement.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/absl_compat.h"
#include "storage/sqlite/sqlite_status.h"

namespace almanac::sqlite {
namespace {

// The start of a statement's SQL, to say in an error message which statement failed.
std::string SqlExcerpt(sqlite3_stmt* stmt) {
  const char* sql = sqlite3_sql(stmt);
  std::string_view text = sql != nullptr ? sql : "";
  constexpr size_t kMax = 80;
  if (text.size() <= kMax) return std::string(text);
  return absl::StrCat(AsAbsl(text.substr(0, kMax)), "...");
}

}  // namespace

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      in_use_(std::exchange(other.in_use_, nullptr)),
      bind_rc_(std::exchange(other.bind_rc_, SQLITE_OK)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = std::exchange(other.stmt_, nullptr);
    in_use_ = std::exchange(other.in_use_, nullptr);
    bind_rc_ = std::exchange(other.bind_rc_, SQLITE_OK);
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (in_use_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
  in_use_ = nullptr;
}

void Statement::RecordBind(int rc) {
  if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
}

void Statement::BindInt64(int index, int64_t value) {
  RecordBind(sqlite3_bind_int64(stmt_, index + 1, value));
}

void Statement::BindDouble(int index, double value) {
  RecordBind(sqlite3_bind_double(stmt_, index + 1, value));
}

void Statement::BindText(int index, std::string_view value) {
  // A non-null pointer even for empty text, so the value binds as '' rather than NULL.
  RecordBind(sqlite3_bind_text64(stmt_, index + 1, value.empty() ? "" : value.data(), value.size(),
                                 SQLITE_TRANSIENT, SQLITE_UTF8));
}

void Statement::BindBlob(int index, std::string_view value) {
  RecordBind(sqlite3_bind_blob64(stmt_, index + 1, value.empty() ? "" : value.data(), value.size(),
                                 SQLITE_TRANSIENT));
}

void Statement::BindNull(int index) { RecordBind(sqlite3_bind_null(stmt_, index + 1)); }

void Statement::BindOptionalInt64(int index, const std::optional<int64_t>& value) {
  if (value.has_value()) {
    BindInt64(index, *value);
  } else {
    BindNull(index);
  }
}

void Statement::BindOptionalText(int index, const std::optional<std::string>& value) {
  if (value.has_value()) {
    BindText(index, *value);
  } else {
    BindNull(index);
  }
}

absl::StatusOr<bool> Statement::Step() {
  if (bind_rc_ != SQLITE_OK) {
    return SqliteStatus(bind_rc_, sqlite3_db_handle(stmt_),
                        absl::StrCat("binding parameters of '", SqlExcerpt(stmt_), "'"));
  }
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteStatus(rc, sqlite3_db_handle(stmt_),
                      absl::StrCat("running '", SqlExcerpt(stmt_), "'"));
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_rc_ = SQLITE_OK;
}

bool Statement::ColumnIsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

int64_t Statement::ColumnInt64(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::ColumnDouble(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view Statement::ColumnTextView(int col) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (text == nullptr) return {};
  return std::string_view(text, sqlite3_column_bytes(stmt_, col));
}

std::string Statement::ColumnText(int col) const { return std::string(ColumnTextView(col)); }

std::optional<int64_t> Statement::ColumnOptionalInt64(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnInt64(col);
}

std::optional<std::string> Statement::ColumnOptionalText(int col) const {
  if (ColumnIsNull(col)) return std::nullopt;
  return ColumnText(col);
}

absl::StatusOr<std::vector<std::string>> Statement::FirstColumnTexts() {
  std::vector<std::string> texts;
  while (true) {
    ASSIGN_OR_RETURN(const bool row, Step());
    if (!row) return texts;
    texts.push_back(ColumnText(0));
  }
}

std::string Statement::ColumnBlob(int col) const {
  const void* blob = sqlite3_column_blob(stmt_, col);
  if (blob == nullptr) return {};
  return std::string(static_cast<const char*>(blob), sqlite3_column_bytes(stmt_, col));
}

}  // namespace almanac::sqlite
