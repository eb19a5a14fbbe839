// Opening a catalog file: migrations, ownership checks and connection settings.

#include <sqlite3.h>

#include <filesystem>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrations.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Turns a file of the latest schema back into one older than version 5 (with the statements
// that remove what later versions added).
constexpr char kDropVersion5Tables[] =
    "DROP TABLE scheduled_executions; DROP TABLE scheduled_queries; DROP TABLE runtime_stats; "
    "DROP TABLE replication_metrics; ";

class MigrationsTest : public SqliteStoreTest {
 protected:
  // Runs `sql` on the closed catalog file through a connection of its own.
  void Tamper(const std::string& sql) {
    store_.reset();
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
        sqlite::Connection::Open(options_.path, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)->Execute(sql.c_str()).ok());
  }
};

TEST_F(MigrationsTest, FreshFileIsStampedAndHasTheDefaultDatabase) {
  EXPECT_TRUE(std::filesystem::exists(options_.path));  // Parent directory was created.
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
  EXPECT_EQ(QueryInt("PRAGMA application_id"), sqlite::kApplicationId);
  EXPECT_EQ(sqlite::kApplicationId, 0x416C6D6E);

  Database db;
  ASSERT_TRUE(Read([&](ReadView& view) -> absl::Status {
                absl::StatusOr<Database> d = view.GetDatabase("hive", "default");
                if (!d.ok()) return d.status();
                db = *d;
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(db.catalog, "hive");
  EXPECT_EQ(db.name, "default");
  EXPECT_EQ(db.description, "Default Hive database");
  EXPECT_EQ(db.location, "file:/warehouse");
  EXPECT_EQ(db.owner_name, "public");
  EXPECT_EQ(db.owner_type, PrincipalType::kRole);
  EXPECT_GT(db.create_time, 0);
}

TEST_F(MigrationsTest, UsesWriteAheadLogging) {
  EXPECT_EQ(QueryInt("SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
}

TEST_F(MigrationsTest, ReopenIsIdempotentAndKeepsData) {
  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase("sales")); }).ok());
  Reopen();
  Reopen();
  std::vector<std::string> names;
  ASSERT_TRUE(Read([&](ReadView& view) -> absl::Status {
                absl::StatusOr<std::vector<std::string>> n = view.ListDatabaseNames("hive");
                if (!n.ok()) return n.status();
                names = *n;
                return absl::OkStatus();
              }).ok());
  EXPECT_THAT(names, ElementsAre("default", "sales"));
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
}

TEST_F(MigrationsTest, MigratesAVersion3FileWithScheduledQueryTables) {
  Tamper(absl::StrCat(kDropVersion5Tables, "DROP TABLE constraints; PRAGMA user_version = 3"));
  OpenStore();
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                     "('scheduled_queries', 'scheduled_executions', 'runtime_stats', "
                     "'replication_metrics')"),
            4);
}

TEST_F(MigrationsTest, MigratesAVersion1File) {
  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase("sales")); }).ok());
  // What a version-1 file looks like: no lock tables, no catalogs table, no constraints table.
  Tamper(absl::StrCat(
      kDropVersion5Tables,
      "DROP TABLE lock_components; DROP TABLE locks; DROP TABLE txns; DROP TABLE catalogs; "
      "DROP TABLE constraints; PRAGMA user_version = 1"));
  ASSERT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'locks'"), 0);
  OpenStore();
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                     "('lock_components_resource', 'locks_heartbeat', 'txns_state')"),
            3);
  Lock lock;
  lock.components.push_back(
      LockComponent{LockType::kExclusive, LockLevel::kTable, "sales", "t", ""});
  const int64_t id = WriteValue<int64_t>([&](WriteTxn& txn) { return txn.CreateLock(lock); });
  EXPECT_GT(id, 0);
  EXPECT_EQ(
      ReadValue<Database>([](ReadView& view) { return view.GetDatabase("hive", "sales"); }).name,
      "sales");
}

TEST_F(MigrationsTest, FreshFileHasTheHiveCatalogAtTheWarehouse) {
  const Catalog hive = ReadValue<Catalog>([](ReadView& view) { return view.GetCatalog("hive"); });
  EXPECT_EQ(hive.name, "hive");
  EXPECT_EQ(hive.description, "Default catalog, for Hive");
  EXPECT_EQ(hive.location, "file:/warehouse");
  EXPECT_GT(hive.create_time, 0);
  EXPECT_THAT(
      ReadValue<std::vector<std::string>>([](ReadView& view) { return view.ListCatalogNames(); }),
      ElementsAre("hive"));
}

TEST_F(MigrationsTest, MigratesAVersion2FileWithTheCatalogsOfItsDatabases) {
  Database other = MakeDatabase("sales");
  other.catalog = "other";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.CreateDatabase(other); }).ok());
  // What a version-2 file looks like: no catalogs table, databases naming any catalog.
  Tamper(absl::StrCat(kDropVersion5Tables,
                      "DROP TABLE catalogs; DROP TABLE constraints; PRAGMA user_version = 2"));
  OpenStore();
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
  EXPECT_THAT(
      ReadValue<std::vector<std::string>>([](ReadView& view) { return view.ListCatalogNames(); }),
      ElementsAre("hive", "other"));
  const Catalog migrated =
      ReadValue<Catalog>([](ReadView& view) { return view.GetCatalog("other"); });
  EXPECT_EQ(migrated.location, "file:/warehouse");
  EXPECT_EQ(migrated.description, std::nullopt);
  EXPECT_EQ(
      ReadValue<Database>([](ReadView& view) { return view.GetDatabase("other", "sales"); }).name,
      "sales");
}

TEST_F(MigrationsTest, MigratesAVersion3FileWithAnEmptyConstraintsTable) {
  Tamper(absl::StrCat(kDropVersion5Tables, "DROP TABLE constraints; PRAGMA user_version = 3"));
  OpenStore();
  EXPECT_EQ(QueryInt("PRAGMA user_version"), sqlite::LatestSchemaVersion());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM constraints"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'constraints_parent'"), 1);
}

TEST_F(MigrationsTest, RefusesAFileFromANewerVersion) {
  Tamper(absl::StrCat("PRAGMA user_version = ", sqlite::LatestSchemaVersion() + 1));
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options_);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("newer"));
}

TEST_F(MigrationsTest, RefusesAnotherApplicationsFile) {
  Tamper("PRAGMA application_id = 1234");
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(options_);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(store.status().message()), HasSubstr("not an Almanac catalog"));
}

TEST_F(MigrationsTest, RefusesAnUnstampedDatabaseWithTables) {
  SqliteStoreOptions other = options_;
  other.path = dir_.File("foreign.db");
  {
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
        sqlite::Connection::Open(other.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Execute("CREATE TABLE notes(x TEXT)").ok());
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(other);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(MigrationsTest, RefusesANonSqliteFile) {
  SqliteStoreOptions other = options_;
  other.path = dir_.File("garbage.db");
  {
    FILE* f = fopen(other.path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("this is not a database, just some text that is long enough to look like a header\n", f);
    fclose(f);
  }
  absl::StatusOr<std::unique_ptr<Store>> store = OpenSqliteStore(other);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss) << store.status();
}

TEST_F(MigrationsTest, RejectsBadOptions) {
  SqliteStoreOptions no_path;
  EXPECT_EQ(OpenSqliteStore(no_path).status().code(), absl::StatusCode::kInvalidArgument);
  SqliteStoreOptions no_readers = options_;
  no_readers.reader_pool_size = 0;
  EXPECT_EQ(OpenSqliteStore(no_readers).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(MigrationsTest, QuickCheckOnOpenPassesOnAHealthyFile) {
  store_.reset();
  options_.quick_check_on_open = true;
  OpenStore();
  EXPECT_NE(store_, nullptr);
}

TEST_F(MigrationsTest, SchemaHasThePartitionValuesIndexes) {
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
                     "('partition_values_int', 'partition_values_part')"),
            2);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sqlite_schema WHERE name = 'partition_values' AND "
                     "sql LIKE '%WITHOUT ROWID%'"),
            1);
}

}  // namespace
}  // namespace almanac::testing
