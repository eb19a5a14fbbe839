// CatalogService keeps its file-system work under the allowed roots: it records any location,
// but deletes, creates, moves and lists files only under the warehouse and the configured
// roots; and it lists directories for quick stats before its write transaction, within a
// budget.

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::Key;
using ::testing::Not;
using ::testing::Pair;

void WriteFile(const std::string& path, size_t bytes = 1) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << std::string(bytes, 'x');
}

// A Store that runs `before_write` at the start of every write transaction: what it does to
// the file system is seen only by listings made inside the transaction.
class HookedStore : public Store {
 public:
  explicit HookedStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}
  absl::Status Read(const std::function<absl::Status(ReadView&)>& fn) override {
    return inner_->Read(fn);
  }
  absl::Status Write(const std::function<absl::Status(WriteTxn&)>& fn) override {
    return inner_->Write([&](WriteTxn& txn) {
      if (before_write) before_write();
      return fn(txn);
    });
  }
  absl::Status Checkpoint() override { return inner_->Checkpoint(); }

  std::function<void()> before_write;

 private:
  std::unique_ptr<Store> inner_;
};

class ConfinedLocationsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::canonical(dir_.path()).string();
    warehouse_ = base_ + "/warehouse";
    outside_ = base_ + "/outside";
    extra_ = base_ + "/extra";
    std::unique_ptr<Store> sqlite;
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &sqlite));
    store_ = std::make_unique<HookedStore>(std::move(sqlite));
    Open(CatalogOptions{});
  }

  void Open(CatalogOptions options) {
    options.warehouse_root = "file:" + warehouse_;
    catalog_ = std::make_unique<CatalogService>(store_.get(), options);
    Database db;
    db.name = "d";
    absl::Status created = catalog_->CreateDatabase(ctx_, db).status();
    ASSERT_TRUE(created.ok() || absl::IsAlreadyExists(created)) << created;
  }

  Table MakeTable(const std::string& name, const std::string& location) {
    Table t;
    t.database = "d";
    t.name = name;
    t.sd.columns = {{"id", "bigint", ""}};
    t.sd.location = location;
    return t;
  }

  Params Create(const std::string& name, const std::string& location) {
    absl::StatusOr<Table> created = catalog_->CreateTable(ctx_, MakeTable(name, location));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? created->parameters : Params{};
  }

  bool TableExists(const std::string& name) { return catalog_->GetTable("hive", "d", name).ok(); }

  testing::TempDir dir_;
  std::string base_, warehouse_, outside_, extra_;
  std::unique_ptr<HookedStore> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

TEST_F(ConfinedLocationsTest, DropTableKeepsDataOutsideTheRoots) {
  WriteFile(outside_ + "/t1/data", 5);
  WriteFile(outside_ + "/t2/data", 5);
  Create("t1", "file:" + outside_ + "/t1");
  Create("t2", "file:" + warehouse_ + "/x/../../outside/t2");
  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "d", "t1", true).ok());
  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "d", "t2", true).ok());
  EXPECT_FALSE(TableExists("t1"));
  EXPECT_FALSE(TableExists("t2"));
  EXPECT_TRUE(fs::exists(outside_ + "/t1/data"));
  EXPECT_TRUE(fs::exists(outside_ + "/t2/data"));
}

TEST_F(ConfinedLocationsTest, DropTableDoesNotFollowALinkOutOfTheWarehouse) {
  WriteFile(outside_ + "/t/data", 5);
  fs::create_directories(warehouse_ + "/d.db");
  fs::create_directory_symlink(outside_, warehouse_ + "/d.db/link");
  Create("t", "file:" + warehouse_ + "/d.db/link/t");
  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "d", "t", true).ok());
  EXPECT_FALSE(TableExists("t"));
  EXPECT_TRUE(fs::exists(outside_ + "/t/data"));
}

TEST_F(ConfinedLocationsTest, DropDatabaseKeepsDataOutsideTheRoots) {
  WriteFile(outside_ + "/e.db/t/data", 5);
  WriteFile(outside_ + "/e.db/other", 5);
  Database db;
  db.name = "e";
  db.location = "file:" + warehouse_ + "/../outside/e.db";
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  Table t = MakeTable("t", "");
  t.database = "e";
  ASSERT_TRUE(catalog_->CreateTable(ctx_, t).ok());
  ASSERT_TRUE(catalog_->DropDatabase(ctx_, "hive", "e", true, true).ok());
  EXPECT_FALSE(catalog_->GetDatabase("hive", "e").ok());
  EXPECT_TRUE(fs::exists(outside_ + "/e.db/t/data"));
  EXPECT_TRUE(fs::exists(outside_ + "/e.db/other"));
}

TEST_F(ConfinedLocationsTest, DropDatabaseAtTheWarehouseRootKeepsTheWarehouse) {
  WriteFile(warehouse_ + "/d.db/kept", 1);
  Database db;
  db.name = "at_root";
  db.location = "file:" + warehouse_ + "/";
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  ASSERT_TRUE(catalog_->DropDatabase(ctx_, "hive", "at_root", true, true).ok());
  EXPECT_TRUE(fs::exists(warehouse_ + "/d.db/kept"));
}

TEST_F(ConfinedLocationsTest, ManagedDataInsideTheWarehouseIsStillDeleted) {
  Create("inside", "");
  WriteFile(warehouse_ + "/d.db/inside/data", 5);
  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "d", "inside", true).ok());
  EXPECT_FALSE(fs::exists(warehouse_ + "/d.db/inside"));
}

TEST_F(ConfinedLocationsTest, NoDirectoriesOrStatsOutsideTheRoots) {
  WriteFile(outside_ + "/full/a", 10);
  Params params = Create("full", "file:" + outside_ + "/full");
  EXPECT_THAT(params, Not(Contains(Key("numFiles"))));
  EXPECT_THAT(params, Not(Contains(Key("totalSize"))));
  Create("fresh", "file:" + outside_ + "/fresh");
  Create("dotted", "file:" + warehouse_ + "/d.db/../../outside/dotted");
  Create("relative", "file:relative-" + std::to_string(getpid()));
  EXPECT_FALSE(fs::exists(outside_ + "/fresh"));
  EXPECT_FALSE(fs::exists(outside_ + "/dotted"));
  EXPECT_FALSE(fs::exists("relative-" + std::to_string(getpid())));
  // The catalog records the locations as given.
  EXPECT_EQ(catalog_->GetTable("hive", "d", "fresh")->sd.location, "file:" + outside_ + "/fresh");
  Database db;
  db.name = "placed";
  db.location = "file:" + outside_ + "/placed.db";
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  EXPECT_FALSE(fs::exists(outside_ + "/placed.db"));
}

TEST_F(ConfinedLocationsTest, ConfiguredRootsAreAllowed) {
  CatalogOptions options;
  options.allowed_roots = {"file://" + extra_ + "/"};
  Open(options);
  WriteFile(extra_ + "/full/a", 10);
  WriteFile(extra_ + "/full/b", 5);
  EXPECT_THAT(Create("full", "file:" + extra_ + "/full"),
              ::testing::IsSupersetOf({Pair("numFiles", "2"), Pair("totalSize", "15")}));
  Create("fresh", extra_ + "/fresh");
  EXPECT_TRUE(fs::is_directory(extra_ + "/fresh"));
  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "d", "full", true).ok());
  EXPECT_FALSE(fs::exists(extra_ + "/full"));
  EXPECT_TRUE(fs::exists(extra_));
}

TEST_F(ConfinedLocationsTest, ListingBudgetExhaustedRecordsNoStats) {
  CatalogOptions options;
  options.quick_stats_max_entries = 10;
  Open(options);
  for (int i = 0; i < 30; ++i) WriteFile(warehouse_ + "/d.db/big/f" + std::to_string(i));
  WriteFile(warehouse_ + "/d.db/small/f", 4);
  EXPECT_THAT(Create("big", ""), Not(Contains(Key("numFiles"))));
  EXPECT_THAT(catalog_->GetTable("hive", "d", "big")->parameters, Not(Contains(Key("numFiles"))));
  // The budget is per call: the next call counts again.
  EXPECT_THAT(Create("small", ""), Contains(Pair("numFiles", "1")));
}

TEST_F(ConfinedLocationsTest, CreateTableListsBeforeItsWriteTransaction) {
  WriteFile(warehouse_ + "/d.db/t/a", 3);
  store_->before_write = [&] { WriteFile(warehouse_ + "/d.db/t/late", 100); };
  EXPECT_THAT(Create("t", ""),
              ::testing::IsSupersetOf({Pair("numFiles", "1"), Pair("totalSize", "3")}));
}

TEST_F(ConfinedLocationsTest, AddAndAlterPartitionsListBeforeTheirWriteTransaction) {
  Table t = MakeTable("p", "");
  t.partition_keys = {{"ds", "string", ""}};
  ASSERT_TRUE(catalog_->CreateTable(ctx_, t).ok());
  const std::string part_dir = warehouse_ + "/d.db/p/ds=a";
  WriteFile(part_dir + "/a", 3);
  store_->before_write = [&] { WriteFile(part_dir + "/late1", 100); };
  Partition part;
  part.values = {"a"};
  absl::StatusOr<std::vector<Partition>> added =
      catalog_->AddPartitions(ctx_, "hive", "d", "p", {part}, false);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_THAT(added->at(0).parameters, Contains(Pair("numFiles", "1")));
  // An alter with a different numFiles recounts: what the listing saw before the transaction.
  store_->before_write = [&] { WriteFile(part_dir + "/late2", 100); };
  part = added->at(0);
  part.parameters["numFiles"] = "7";
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "p", {part}).ok());
  EXPECT_THAT(catalog_->GetPartition("hive", "d", "p", {"a"})->parameters,
              ::testing::IsSupersetOf({Pair("numFiles", "2"), Pair("totalSize", "103")}));
}

TEST_F(ConfinedLocationsTest, AlterTableListsBeforeItsWriteTransaction) {
  Create("t", "");
  WriteFile(warehouse_ + "/d.db/t/a", 3);
  store_->before_write = [&] { WriteFile(warehouse_ + "/d.db/t/late", 100); };
  absl::StatusOr<Table> t = catalog_->GetTable("hive", "d", "t");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", *t, {}).ok());
  EXPECT_THAT(catalog_->GetTable("hive", "d", "t")->parameters,
              ::testing::IsSupersetOf({Pair("numFiles", "1"), Pair("totalSize", "3")}));
}

TEST_F(ConfinedLocationsTest, RenameMovesOnlyInsideTheRoots) {
  Create("m", "");
  WriteFile(warehouse_ + "/d.db/m/data", 1);
  Table renamed = *catalog_->GetTable("hive", "d", "m");
  renamed.name = "m2";
  renamed.sd.location.clear();
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "m", renamed, {}).ok());
  EXPECT_TRUE(fs::exists(warehouse_ + "/d.db/m2/data"));
  // A database placed outside the roots: its tables' data does not move there.
  Database out;
  out.name = "out";
  out.location = "file:" + outside_ + "/out.db";
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, out).ok());
  renamed = *catalog_->GetTable("hive", "d", "m2");
  renamed.database = "out";
  renamed.sd.location.clear();
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "m2", renamed, {}).ok());
  EXPECT_EQ(catalog_->GetTable("hive", "out", "m2")->sd.location,
            "file:" + outside_ + "/out.db/m2");
  EXPECT_TRUE(fs::exists(warehouse_ + "/d.db/m2/data"));
  EXPECT_FALSE(fs::exists(outside_ + "/out.db"));
}

}  // namespace
}  // namespace almanac
