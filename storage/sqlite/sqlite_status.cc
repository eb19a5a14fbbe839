#include "storage/sqlite/sqlite_status.h"

#include <sqlite3.h>

#include "absl/strings/str_cat.h"
#include "storage/absl_compat.h"

namespace almanac::sqlite {

absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view context) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message =
      absl::StrCat(AsAbsl(context), ": ", detail, " (", sqlite3_errstr(rc), ")");
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(message);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::FailedPreconditionError(message);
    default:
      break;
  }
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(message);
    case SQLITE_NOMEM:  // Mostly the process-wide cap of LimitSqliteMemory.
      return absl::ResourceExhaustedError(
          absl::StrCat(AsAbsl(context), ": SQLite reached its memory limit (sqlite_memory_bytes)"));
    case SQLITE_INTERRUPT:  // Only the progress handler interrupts: the request's deadline.
      return absl::DeadlineExceededError(
          absl::StrCat(AsAbsl(context), ": the request ran past its deadline (request_timeout_s)"));
    default:
      return absl::InternalError(message);
  }
}

}  // namespace almanac::sqlite
