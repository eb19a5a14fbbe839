#include "storage/sqlite/migrations.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/status_macros.h"
#include "storage/codec.h"
#include "storage/model.h"
#include "storage/sqlite/transaction.h"

namespace almanac::sqlite {
namespace {

// Version 1: the whole catalog. Designed for ~10 million partitions per table: a partition row
// holds only its own values, location and parameters; its storage descriptor minus the location
// lives once in sd_templates, shared by every partition with the same schema and format.
constexpr char kSqlSchemaV1[] = R"sql(
CREATE TABLE dbs(
  db_id INTEGER PRIMARY KEY,
  catalog TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  location TEXT NOT NULL,
  managed_location TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  owner_type INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  params TEXT NOT NULL,
  UNIQUE (catalog, name)
);

-- AUTOINCREMENT: table ids are never reused, because table_versions outlive their table.
CREATE TABLE tbls(
  tbl_id INTEGER PRIMARY KEY AUTOINCREMENT,
  db_id INTEGER NOT NULL REFERENCES dbs(db_id),
  name TEXT NOT NULL,
  table_type TEXT NOT NULL,
  owner TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  params TEXT NOT NULL,
  body TEXT NOT NULL,
  UNIQUE (db_id, name)
);
CREATE INDEX tbls_type ON tbls(db_id, table_type, name);

CREATE TABLE sd_templates(
  sd_id INTEGER PRIMARY KEY,
  hash INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX sd_templates_hash ON sd_templates(hash);

CREATE TABLE partitions(
  part_id INTEGER PRIMARY KEY,
  tbl_id INTEGER NOT NULL REFERENCES tbls(tbl_id) ON DELETE CASCADE,
  part_name TEXT NOT NULL,
  vals TEXT NOT NULL,
  create_time INTEGER NOT NULL,
  last_access_time INTEGER NOT NULL,
  location TEXT NOT NULL,
  sd_id INTEGER NOT NULL REFERENCES sd_templates(sd_id),
  params TEXT NOT NULL,
  write_id INTEGER NOT NULL,
  UNIQUE (tbl_id, part_name)
);
CREATE INDEX partitions_sd ON partitions(sd_id);

CREATE TABLE partition_values(
  tbl_id INTEGER NOT NULL,
  key_index INTEGER NOT NULL,
  value TEXT NOT NULL,
  int_value INTEGER,
  part_id INTEGER NOT NULL,
  PRIMARY KEY (tbl_id, key_index, value, part_id)
) WITHOUT ROWID;
CREATE INDEX partition_values_int ON partition_values(tbl_id, key_index, int_value);
CREATE INDEX partition_values_part ON partition_values(part_id);

CREATE TABLE tab_col_stats(
  tbl_id INTEGER NOT NULL REFERENCES tbls(tbl_id) ON DELETE CASCADE,
  engine TEXT NOT NULL,
  column_name TEXT NOT NULL,
  column_type TEXT NOT NULL,
  last_analyzed INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (tbl_id, engine, column_name)
);

CREATE TABLE part_col_stats(
  part_id INTEGER NOT NULL REFERENCES partitions(part_id) ON DELETE CASCADE,
  engine TEXT NOT NULL,
  column_name TEXT NOT NULL,
  column_type TEXT NOT NULL,
  last_analyzed INTEGER NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (part_id, engine, column_name)
);

CREATE TABLE functions(
  func_id INTEGER PRIMARY KEY,
  catalog TEXT NOT NULL,
  db_name TEXT NOT NULL,
  name TEXT NOT NULL,
  class_name TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  owner_type INTEGER NOT NULL,
  create_time INTEGER NOT NULL,
  function_type INTEGER NOT NULL,
  resource_uris TEXT NOT NULL,
  UNIQUE (catalog, db_name, name)
);

-- Immutable history: rows are never updated and survive the drop of their table.
CREATE TABLE table_versions(
  tbl_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  time INTEGER NOT NULL,
  principal TEXT NOT NULL,
  operation TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (tbl_id, version)
);

CREATE TABLE events(
  event_id INTEGER PRIMARY KEY AUTOINCREMENT,
  time INTEGER NOT NULL,
  type TEXT NOT NULL,
  catalog TEXT NOT NULL,
  db_name TEXT NOT NULL,
  tbl_name TEXT NOT NULL,
  principal TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql";

// Version 2: HMS's lock manager. A lock request is one row of `locks`; each resource it covers is
// one row of `lock_components`. Locks and transactions use AUTOINCREMENT so that an id is never
// reused: a client still holding the id of a reaped lock must never unlock somebody else's lock.
constexpr char kSqlSchemaV2[] = R"sql(
CREATE TABLE locks(
  lock_id INTEGER PRIMARY KEY AUTOINCREMENT,
  txn_id INTEGER NOT NULL,
  state INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  host_name TEXT NOT NULL,
  agent_info TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  acquired_ms INTEGER NOT NULL,
  last_heartbeat_ms INTEGER NOT NULL,
  heartbeat_count INTEGER NOT NULL
);
CREATE INDEX locks_heartbeat ON locks(last_heartbeat_ms);
CREATE INDEX locks_txn ON locks(txn_id);

-- tbl_name and part_name are '' when the component does not name them, so that the conflict
-- lookup (db_name, tbl_name IN ('', ?)) is an index range.
CREATE TABLE lock_components(
  lock_id INTEGER NOT NULL REFERENCES locks(lock_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  db_name TEXT NOT NULL,
  tbl_name TEXT NOT NULL,
  part_name TEXT NOT NULL,
  lock_level INTEGER NOT NULL,
  lock_type INTEGER NOT NULL,
  operation_type INTEGER NOT NULL,
  is_transactional INTEGER NOT NULL,
  is_dynamic_partition_write INTEGER NOT NULL,
  PRIMARY KEY (lock_id, position)
) WITHOUT ROWID;
CREATE INDEX lock_components_resource ON lock_components(db_name, tbl_name, part_name);

CREATE TABLE txns(
  txn_id INTEGER PRIMARY KEY AUTOINCREMENT,
  state INTEGER NOT NULL,
  user_name TEXT NOT NULL,
  host_name TEXT NOT NULL,
  agent_info TEXT NOT NULL,
  txn_type INTEGER NOT NULL,
  started_ms INTEGER NOT NULL,
  last_heartbeat_ms INTEGER NOT NULL,
  finished_ms INTEGER NOT NULL
);
CREATE INDEX txns_state ON txns(state, last_heartbeat_ms);
CREATE INDEX txns_finished ON txns(finished_ms);
)sql";

// Version 3: catalogs, the level above databases. A catalog row holds what HMS's Catalog holds;
// databases, tables and functions name their catalog in their own `catalog` column.
constexpr char kSqlSchemaV3[] = R"sql(
CREATE TABLE catalogs(
  catalog_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  location TEXT NOT NULL,
  create_time INTEGER NOT NULL
);
)sql";

// Version 4: table constraints (HMS's KEY_CONSTRAINTS). One row per column of a constraint, on
// the table that holds it; a foreign key also names the table it references. Both references
// cascade, so a constraint goes in the transaction that drops either table, and rows keyed by
// table id follow a rename. Columns are kept by name; flags are HMS's ENABLE_VALIDATE_RELY bits.
constexpr char kSqlSchemaV4[] = R"sql(
CREATE TABLE constraints(
  constraint_id INTEGER PRIMARY KEY,
  tbl_id INTEGER NOT NULL REFERENCES tbls(tbl_id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  flags INTEGER NOT NULL,
  parent_tbl_id INTEGER REFERENCES tbls(tbl_id) ON DELETE CASCADE,
  parent_column TEXT NOT NULL,
  update_rule INTEGER NOT NULL,
  delete_rule INTEGER NOT NULL,
  value TEXT NOT NULL,
  UNIQUE (tbl_id, name, position)
);
CREATE INDEX constraints_parent ON constraints(parent_tbl_id, name);
)sql";

// Version 5: scheduled queries with their executions, runtime statistics and replication
// metrics. A query's next_execution is NULL when its schedule never fires again.
constexpr char kSqlSchemaV5[] = R"sql(
CREATE TABLE scheduled_queries(
  query_id INTEGER PRIMARY KEY AUTOINCREMENT,
  cluster_namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  schedule TEXT NOT NULL,
  user_name TEXT NOT NULL,
  query TEXT NOT NULL,
  next_execution INTEGER,
  active_execution_id INTEGER NOT NULL,
  UNIQUE (cluster_namespace, name)
);
CREATE INDEX scheduled_queries_due ON scheduled_queries(cluster_namespace, next_execution);
CREATE INDEX scheduled_queries_active ON scheduled_queries(active_execution_id);

CREATE TABLE scheduled_executions(
  execution_id INTEGER PRIMARY KEY AUTOINCREMENT,
  query_id INTEGER NOT NULL REFERENCES scheduled_queries(query_id) ON DELETE CASCADE,
  state INTEGER NOT NULL,
  executor_query_id TEXT NOT NULL,
  error_message TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  last_update_time INTEGER
);
CREATE INDEX scheduled_executions_query ON scheduled_executions(query_id);
CREATE INDEX scheduled_executions_update ON scheduled_executions(last_update_time);
CREATE INDEX scheduled_executions_start ON scheduled_executions(start_time);

CREATE TABLE runtime_stats(
  stat_id INTEGER PRIMARY KEY,
  weight INTEGER NOT NULL,
  payload BLOB NOT NULL,
  create_time INTEGER NOT NULL
);
CREATE INDEX runtime_stats_time ON runtime_stats(create_time, stat_id);

CREATE TABLE replication_metrics(
  scheduled_execution_id INTEGER PRIMARY KEY,
  policy TEXT NOT NULL,
  dump_execution_id INTEGER NOT NULL,
  metadata TEXT,
  progress TEXT,
  message_format TEXT,
  start_time INTEGER NOT NULL
);
CREATE INDEX replication_metrics_policy ON replication_metrics(policy, scheduled_execution_id);
)sql";

constexpr char kSqlInsertDefaultCatalog[] =
    "INSERT INTO catalogs(name, description, location, create_time) VALUES (?, ?, ?, ?)";
// Earlier versions accepted databases in any catalog name without storing the catalog. Each such
// catalog gets a row rooted at the warehouse, where those databases were placed.
constexpr char kSqlInsertCatalogsOfDatabases[] =
    "INSERT INTO catalogs(name, description, location, create_time) "
    "SELECT DISTINCT catalog, NULL, ?, ? FROM dbs WHERE catalog <> ? ORDER BY catalog";

constexpr char kSqlInsertDefaultDatabase[] =
    "INSERT INTO dbs(catalog, name, description, location, managed_location, owner_name, "
    "owner_type, create_time, params) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";

constexpr char kSqlApplicationId[] = "PRAGMA application_id";
constexpr char kSqlUserVersion[] = "PRAGMA user_version";
constexpr char kSqlCountSchemaObjects[] = "SELECT COUNT(*) FROM sqlite_schema";

absl::Status ApplyV1(Connection& connection, const MigrationContext& context) {
  RETURN_IF_ERROR(connection.Execute(kSqlSchemaV1));
  ASSIGN_OR_RETURN(Statement insert, connection.GetCachedStatement(kSqlInsertDefaultDatabase));
  insert.BindText(0, kDefaultCatalog);
  insert.BindText(1, "default");
  insert.BindText(2, "Default Hive database");
  insert.BindText(3, context.default_database_location);
  insert.BindText(4, "");
  insert.BindText(5, "public");
  insert.BindInt64(6, static_cast<int>(PrincipalType::kRole));
  insert.BindInt64(7, context.now);
  insert.BindText(8, EncodeParams({}));
  return insert.Run();
}

absl::Status ApplyV2(Connection& connection, const MigrationContext& /*context*/) {
  return connection.Execute(kSqlSchemaV2);
}

absl::Status ApplyV3(Connection& connection, const MigrationContext& context) {
  RETURN_IF_ERROR(connection.Execute(kSqlSchemaV3));
  {
    ASSIGN_OR_RETURN(Statement insert, connection.GetCachedStatement(kSqlInsertDefaultCatalog));
    insert.BindText(0, kDefaultCatalog);
    insert.BindText(1, "Default catalog, for Hive");
    insert.BindText(2, context.default_database_location);
    insert.BindInt64(3, context.now);
    RETURN_IF_ERROR(insert.Run());
  }
  ASSIGN_OR_RETURN(Statement others, connection.GetCachedStatement(kSqlInsertCatalogsOfDatabases));
  others.BindText(0, context.default_database_location);
  others.BindInt64(1, context.now);
  others.BindText(2, kDefaultCatalog);
  return others.Run();
}

absl::Status ApplyV4(Connection& connection, const MigrationContext& /*context*/) {
  return connection.Execute(kSqlSchemaV4);
}

absl::Status ApplyV5(Connection& connection, const MigrationContext& /*context*/) {
  return connection.Execute(kSqlSchemaV5);
}

struct Migration {
  int version;
  absl::Status (*apply)(Connection&, const MigrationContext&);
};

constexpr Migration kMigrations[] = {
    {1, ApplyV1}, {2, ApplyV2}, {3, ApplyV3}, {4, ApplyV4}, {5, ApplyV5},
};

// Refuses files that are not ours or are newer than this binary.
absl::Status CheckOwnership(Connection& connection) {
  ASSIGN_OR_RETURN(const int64_t app_id, connection.QueryInt64(kSqlApplicationId));
  ASSIGN_OR_RETURN(const int64_t version, connection.QueryInt64(kSqlUserVersion));
  if (app_id != 0 && app_id != kApplicationId) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is not an Almanac catalog: its SQLite application_id is 0x%08X, expected 0x%08X",
        connection.path(), app_id, kApplicationId));
  }
  if (app_id == 0) {
    ASSIGN_OR_RETURN(const int64_t objects, connection.QueryInt64(kSqlCountSchemaObjects));
    if (objects > 0 || version != 0) {
      return absl::FailedPreconditionError(absl::StrFormat(
          "%s is not an Almanac catalog: it is a SQLite database with %d schema objects of "
          "another application",
          connection.path(), objects));
    }
  }
  if (version > LatestSchemaVersion()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s has schema version %d, newer than version %d which this Almanac binary supports; "
        "run a newer Almanac",
        connection.path(), version, LatestSchemaVersion()));
  }
  return absl::OkStatus();
}

absl::Status ApplyStep(Connection& connection, const Migration& step,
                       const MigrationContext& context) {
  Transaction txn(&connection);
  RETURN_IF_ERROR(txn.Begin());
  // Re-read inside the write lock: another process may have applied this step meanwhile.
  ASSIGN_OR_RETURN(const int64_t version, connection.QueryInt64(kSqlUserVersion));
  if (version >= step.version) return txn.Commit();
  RETURN_IF_ERROR(step.apply(connection, context));
  // PRAGMA takes no parameters; both values are this file's own constants.
  const std::string stamp = absl::StrCat("PRAGMA user_version = ", step.version,
                                         "; PRAGMA application_id = ", kApplicationId);
  RETURN_IF_ERROR(connection.Execute(stamp.c_str()));
  return txn.Commit();
}

}  // namespace

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

absl::Status RunMigrations(Connection& connection, const MigrationContext& context) {
  RETURN_IF_ERROR(CheckOwnership(connection));
  ASSIGN_OR_RETURN(const int64_t version, connection.QueryInt64(kSqlUserVersion));
  for (const Migration& step : kMigrations) {
    if (step.version <= version) continue;
    absl::Status status = ApplyStep(connection, step, context);
    if (!status.ok()) {
      return absl::Status(status.code(),
                          absl::StrCat("migrating ", connection.path(), " to schema version ",
                                       step.version, ": ", status.message()));
    }
  }
  return absl::OkStatus();
}

}  // namespace almanac::sqlite
