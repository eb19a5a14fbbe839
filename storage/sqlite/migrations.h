#pragma once

// The schema of the SQLite catalog and its migrations.
//
// Migrations are an ordered list; step N brings a file from user_version N-1 to N. Each step runs
// in its own BEGIN IMMEDIATE transaction that also stamps PRAGMA user_version and
// PRAGMA application_id, so a crash leaves the file at the last completed step. Steps re-read the
// version inside their transaction, so two processes opening a fresh file do not both apply it.
//
// Thread-safety: call with exclusive use of `connection` (the store's writer connection).

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "storage/sqlite/connection.h"

namespace almanac::sqlite {

// PRAGMA application_id of an Almanac catalog: "Almn" in ASCII.
inline constexpr int32_t kApplicationId = 0x416C6D6E;

// Inputs of the migrations that create the database `default` and the catalog `hive`, both
// located at the warehouse root.
struct MigrationContext {
  std::string default_database_location;
  int64_t now = 0;  // Seconds since the epoch, their create_time.
};

// The newest schema version this binary writes and understands.
int LatestSchemaVersion();

// Reads the file's application_id and user_version and applies the missing steps.
// FailedPrecondition if the file belongs to another application (a different application_id, or
// no application_id but tables of its own) or was written by a newer Almanac (user_version above
// LatestSchemaVersion()). Other errors come from SQLite.
absl::Status RunMigrations(Connection& connection, const MigrationContext& context);

}  // namespace almanac::sqlite
