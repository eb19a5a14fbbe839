#pragma once

// The one place where a SQLite result code becomes an absl::Status.

#include <string_view>

#include "absl/status/status.h"

struct sqlite3;

namespace almanac::sqlite {

// Maps `rc` (an extended result code) to a Status whose message is "<context>: <SQLite's
// message>". `db` may be null; when set, sqlite3_errmsg(db) supplies the message.
//   SQLITE_OK                                       -> OK
//   SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY            -> AlreadyExists
//   SQLITE_CONSTRAINT_FOREIGNKEY                     -> FailedPrecondition (a row still in use)
//   SQLITE_BUSY, SQLITE_LOCKED                       -> Unavailable
//   SQLITE_CORRUPT, SQLITE_NOTADB                    -> DataLoss
//   anything else                                    -> Internal
absl::Status SqliteStatus(int rc, sqlite3* db, std::string_view context);

}  // namespace almanac::sqlite
