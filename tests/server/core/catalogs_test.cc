// CatalogService's catalogs over a real SQLite store: creation with a default database, the
// locations of databases and tables in a catalog, alter and drop rules, and moves between
// catalogs.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000;

class CatalogsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = dir_.File("warehouse");
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = "file:" + warehouse_;
    options.allowed_roots = {dir_.path()};  // Catalogs and databases are placed beside it.
    catalog_ = std::make_unique<CatalogService>(store_.get(), options, [this] { return now_; });
  }

  // Creates catalog `name` at "<dir>/<name>_root"; returns that path.
  std::string CreateCatalog(const std::string& name) {
    const std::string path = dir_.File(name + "_root");
    Catalog catalog;
    catalog.name = name;
    catalog.location = path;
    absl::StatusOr<Catalog> created = catalog_->CreateCatalog(ctx_, catalog);
    EXPECT_TRUE(created.ok()) << created.status();
    return path;
  }

  absl::Status CreateDatabase(const std::string& catalog, const std::string& name,
                              const std::string& location = "") {
    Database db;
    db.catalog = catalog;
    db.name = name;
    db.location = location;
    return catalog_->CreateDatabase(ctx_, db).status();
  }

  absl::Status CreateTable(const std::string& catalog, const std::string& db,
                           const std::string& name) {
    Table table;
    table.catalog = catalog;
    table.database = db;
    table.name = name;
    table.sd.columns = {{"id", "bigint", ""}};
    return catalog_->CreateTable(ctx_, table).status();
  }

  std::vector<std::string> Catalogs() {
    absl::StatusOr<std::vector<std::string>> names = catalog_->ListCatalogs();
    EXPECT_TRUE(names.ok()) << names.status();
    return names.ok() ? *names : std::vector<std::string>{};
  }

  testing::TempDir dir_;
  std::string warehouse_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
  int64_t now_ = kNow;
};

TEST_F(CatalogsTest, HiveExistsAtTheWarehouse) {
  absl::StatusOr<Catalog> hive = catalog_->GetCatalog("HIVE");
  ASSERT_TRUE(hive.ok()) << hive.status();
  EXPECT_EQ(hive->name, "hive");
  EXPECT_EQ(hive->description, "Default catalog, for Hive");
  EXPECT_EQ(hive->location, "file:" + warehouse_);
  EXPECT_THAT(Catalogs(), ElementsAre("hive"));
}

TEST_F(CatalogsTest, CreateMakesTheDirectoryAndADefaultDatabase) {
  const std::string path = dir_.File("sales_root");
  Catalog catalog;
  catalog.name = "Sales";
  catalog.location = path;
  absl::StatusOr<Catalog> created = catalog_->CreateCatalog(ctx_, catalog);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->name, "sales");
  EXPECT_EQ(created->create_time, kNow);
  EXPECT_TRUE(std::filesystem::is_directory(path));

  absl::StatusOr<Catalog> got = catalog_->GetCatalog("SALES");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (Catalog{"sales", std::nullopt, path, static_cast<int32_t>(kNow)}));
  EXPECT_THAT(Catalogs(), ElementsAre("hive", "sales"));

  absl::StatusOr<Database> db = catalog_->GetDatabase("Sales", "default");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(db->catalog, "sales");
  EXPECT_EQ(db->location, "file:" + path);
  EXPECT_EQ(db->description, "Default database for catalog sales");
  EXPECT_EQ(db->owner_name, "alice");
  EXPECT_THAT(*catalog_->ListDatabases("sales", ""), ElementsAre("default"));
}

TEST_F(CatalogsTest, CreateRefusesAsHmsDoes) {
  CreateCatalog("sales");
  Catalog catalog;
  catalog.name = "SALES";
  catalog.location = dir_.File("elsewhere");
  absl::Status dup = catalog_->CreateCatalog(ctx_, catalog).status();
  EXPECT_TRUE(absl::IsAlreadyExists(dup)) << dup;
  EXPECT_EQ(dup.message(), "Catalog SALES already exists");
  catalog.name = "hive";
  EXPECT_TRUE(absl::IsAlreadyExists(catalog_->CreateCatalog(ctx_, catalog).status()));

  catalog.name = "bad-name";
  absl::Status bad = catalog_->CreateCatalog(ctx_, catalog).status();
  EXPECT_TRUE(absl::IsInvalidArgument(bad)) << bad;
  EXPECT_EQ(bad.message(), "bad-name is not a valid catalog name");

  catalog.name = "nowhere";
  catalog.location = "";
  absl::Status no_path = catalog_->CreateCatalog(ctx_, catalog).status();
  EXPECT_TRUE(absl::IsInvalidArgument(no_path)) << no_path;
  EXPECT_EQ(no_path.message(), "You must specify a path for the catalog");

  // A directory that cannot be made (a file is in the way) creates nothing.
  std::ofstream(dir_.File("a_file")) << "x";
  catalog.location = dir_.File("a_file") + "/below";
  absl::Status unmade = catalog_->CreateCatalog(ctx_, catalog).status();
  EXPECT_EQ(unmade.code(), absl::StatusCode::kInternal) << unmade;
  EXPECT_THAT(std::string(unmade.message()), HasSubstr("Unable to create catalog path"));
  EXPECT_THAT(Catalogs(), ElementsAre("hive", "sales"));
}

TEST_F(CatalogsTest, NoDirectoryIsMadeOutsideTheAllowedRoots) {
  testing::TempDir outside;
  Catalog catalog;
  catalog.name = "far";
  catalog.location = outside.File("far_root");
  ASSERT_TRUE(catalog_->CreateCatalog(ctx_, catalog).ok());
  EXPECT_FALSE(std::filesystem::exists(outside.File("far_root")));
  EXPECT_EQ(catalog_->GetCatalog("far")->location, outside.File("far_root"));
  ASSERT_TRUE(catalog_->DropCatalog(ctx_, "far").ok());
}

TEST_F(CatalogsTest, DatabasesLiveInTheirCatalog) {
  const std::string root = CreateCatalog("sales");
  ASSERT_TRUE(CreateDatabase("sales", "Orders").ok());
  absl::StatusOr<Database> orders = catalog_->GetDatabase("sales", "orders");
  ASSERT_TRUE(orders.ok()) << orders.status();
  EXPECT_EQ(orders->location, "file:" + root + "/orders.db");
  EXPECT_TRUE(std::filesystem::is_directory(root + "/orders.db"));

  const std::string explicit_location = dir_.File("explicit");
  ASSERT_TRUE(CreateDatabase("sales", "placed", explicit_location).ok());
  EXPECT_EQ(catalog_->GetDatabase("sales", "placed")->location, "file:" + explicit_location);

  // The same name in "hive" is another database, at the warehouse.
  ASSERT_TRUE(CreateDatabase("hive", "orders").ok());
  EXPECT_EQ(catalog_->GetDatabase("hive", "orders")->location, "file:" + warehouse_ + "/orders.db");
  EXPECT_THAT(*catalog_->ListDatabases("sales", ""), ElementsAre("default", "orders", "placed"));
  EXPECT_THAT(*catalog_->ListDatabases("hive", "o*"), ElementsAre("orders"));
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetDatabase("hive", "placed").status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->DropDatabase(ctx_, "hive", "placed", true, false)));
  ASSERT_TRUE(catalog_->DropDatabase(ctx_, "SALES", "placed", true, false).ok());
  EXPECT_THAT(*catalog_->ListDatabases("sales", ""), ElementsAre("default", "orders"));

  absl::Status missing = CreateDatabase("nosuch", "doomed");
  EXPECT_TRUE(absl::IsInvalidArgument(missing)) << missing;
  EXPECT_EQ(missing.message(), "No such catalog nosuch");
  EXPECT_TRUE(catalog_->ListDatabases("nosuch", "")->empty());
}

TEST_F(CatalogsTest, AlterChangesDescriptionAndLocationOnly) {
  const std::string root = CreateCatalog("sales");
  now_ = kNow + 100;
  Catalog changes;
  changes.name = "SALES";
  changes.description = "the sales team's";
  ASSERT_TRUE(catalog_->AlterCatalog(ctx_, "Sales", changes).ok());
  absl::StatusOr<Catalog> got = catalog_->GetCatalog("sales");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(*got, (Catalog{"sales", "the sales team's", root, static_cast<int32_t>(kNow)}));

  // Blank fields keep what is stored.
  changes.description = " ";
  changes.location = "s3a://bucket/sales";
  ASSERT_TRUE(catalog_->AlterCatalog(ctx_, "sales", changes).ok());
  got = catalog_->GetCatalog("sales");
  EXPECT_EQ(*got, (Catalog{"sales", "the sales team's", "s3a://bucket/sales",
                           static_cast<int32_t>(kNow)}));

  changes.name = "renamed";
  absl::Status renamed = catalog_->AlterCatalog(ctx_, "sales", changes);
  EXPECT_TRUE(absl::IsFailedPrecondition(renamed)) << renamed;
  EXPECT_EQ(renamed.message(), "You cannot change a catalog's name");
  absl::Status missing = catalog_->AlterCatalog(ctx_, "nosuch", changes);
  EXPECT_TRUE(absl::IsNotFound(missing)) << missing;
  EXPECT_EQ(missing.message(), "No catalog nosuch");
}

TEST_F(CatalogsTest, DropRefusesAsHmsDoes) {
  absl::Status hive = catalog_->DropCatalog(ctx_, "Hive");
  EXPECT_EQ(hive.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(hive.message(), "Can not drop hive catalog");
  absl::Status missing = catalog_->DropCatalog(ctx_, "nosuch");
  EXPECT_TRUE(absl::IsNotFound(missing)) << missing;
  EXPECT_EQ(missing.message(), "No catalog nosuch");

  CreateCatalog("sales");
  ASSERT_TRUE(CreateDatabase("sales", "orders").ok());
  absl::Status busy = catalog_->DropCatalog(ctx_, "sales");
  EXPECT_TRUE(absl::IsFailedPrecondition(busy)) << busy;
  EXPECT_EQ(busy.message(),
            "There are non-default databases in the catalog sales so it cannot be dropped.");
  ASSERT_TRUE(catalog_->DropDatabase(ctx_, "sales", "orders", true, false).ok());

  ASSERT_TRUE(CreateTable("sales", "default", "t").ok());
  absl::Status objects = catalog_->DropCatalog(ctx_, "sales");
  EXPECT_TRUE(absl::IsFailedPrecondition(objects)) << objects;
  EXPECT_EQ(objects.message(), "There are still objects in the default database for catalog sales");
  EXPECT_THAT(Catalogs(), ElementsAre("hive", "sales"));
  EXPECT_TRUE(catalog_->GetTable("sales", "default", "t").ok());
}

TEST_F(CatalogsTest, DropRemovesTheCatalogItsDefaultDatabaseAndEmptyDirectories) {
  const std::string root = CreateCatalog("sales");
  ASSERT_TRUE(catalog_->DropCatalog(ctx_, "SALES").ok());
  EXPECT_THAT(Catalogs(), ElementsAre("hive"));
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetCatalog("sales").status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetDatabase("sales", "default").status()));
  EXPECT_FALSE(std::filesystem::exists(root));

  // The name is free again; a file nobody registered keeps its directory.
  CreateCatalog("sales");
  std::ofstream(root + "/stray") << "x";
  ASSERT_TRUE(catalog_->DropCatalog(ctx_, "sales").ok());
  EXPECT_TRUE(std::filesystem::exists(root + "/stray"));
  EXPECT_THAT(Catalogs(), ElementsAre("hive"));
}

TEST_F(CatalogsTest, TablesStayInTheirCatalog) {
  const std::string root = CreateCatalog("sales");
  ASSERT_TRUE(CreateDatabase("sales", "d").ok());
  ASSERT_TRUE(CreateDatabase("hive", "d").ok());
  ASSERT_TRUE(CreateDatabase("hive", "other").ok());
  ASSERT_TRUE(CreateTable("sales", "d", "t").ok());
  absl::StatusOr<Table> table = catalog_->GetTable("SALES", "d", "t");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ(table->catalog, "sales");
  EXPECT_EQ(table->sd.location, "file:" + root + "/d.db/t");
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetTable("hive", "d", "t").status()));
  EXPECT_THAT(*catalog_->ListTables("hive", "d", "", std::nullopt), ::testing::IsEmpty());

  Table moved = *table;
  moved.catalog = "hive";
  absl::Status across = catalog_->AlterTable(ctx_, "sales", "d", "t", moved, {});
  EXPECT_TRUE(absl::IsFailedPrecondition(across)) << across;
  EXPECT_EQ(across.message(),
            "Tables cannot be moved between catalogs, old catalogsales, new catalog hive");

  // A rename names a database of the table's own catalog: "other" exists only in "hive".
  Table renamed = *table;
  renamed.database = "other";
  EXPECT_FALSE(catalog_->AlterTable(ctx_, "sales", "d", "t", renamed, {}).ok());
  EXPECT_TRUE(catalog_->GetTable("sales", "d", "t").ok());
  EXPECT_THAT(*catalog_->ListTables("hive", "other", "", std::nullopt), ::testing::IsEmpty());

  // Within the catalog, an alter goes through.
  Table altered = *table;
  altered.parameters["k"] = "v";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "Sales", "d", "t", altered, {}).ok());
  EXPECT_EQ(catalog_->GetTable("sales", "d", "t")->parameters.at("k"), "v");
}

TEST_F(CatalogsTest, FunctionsAndCatalogNamesInAnyCase) {
  CreateCatalog("sales");
  Function fn;
  fn.catalog = "Sales";
  fn.database = "default";
  fn.name = "f";
  fn.class_name = "org.example.F";
  ASSERT_TRUE(catalog_->CreateFunction(ctx_, fn).ok());
  absl::StatusOr<Function> got = catalog_->GetFunction("SALES", "default", "f");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->catalog, "sales");
  EXPECT_THAT(*catalog_->ListFunctions("Sales", "default", "*"), ElementsAre("f"));
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetFunction("hive", "default", "f").status()));
  EXPECT_TRUE(catalog_->ListAllFunctions("hive")->empty());
  // A function keeps the default database from being dropped with the catalog.
  EXPECT_TRUE(absl::IsFailedPrecondition(catalog_->DropCatalog(ctx_, "sales")));
  ASSERT_TRUE(catalog_->DropFunction(ctx_, "SALES", "default", "f").ok());
  ASSERT_TRUE(catalog_->DropCatalog(ctx_, "sales").ok());
}

}  // namespace
}  // namespace almanac
