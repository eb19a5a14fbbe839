// Catalogs, databases, tables and functions through the Store interface.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

class CatalogTest : public SqliteStoreTest {
 protected:
  absl::Status ReadStatus(const std::function<absl::Status(ReadView&)>& fn) { return Read(fn); }

  std::vector<std::string> TableNames(const std::string& db,
                                      std::optional<std::string> type = std::nullopt) {
    return ReadValue<std::vector<std::string>>(
        [&](ReadView& v) { return v.ListTableNames("hive", db, type); });
  }
};

TEST_F(CatalogTest, CatalogCrud) {
  Catalog catalog{"spark", std::nullopt, "/data/spark", 1'700'000'000};
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.CreateCatalog(catalog); }).ok());
  EXPECT_EQ(ReadValue<Catalog>([](ReadView& v) { return v.GetCatalog("spark"); }), catalog);
  EXPECT_THAT(ReadValue<std::vector<std::string>>([](ReadView& v) { return v.ListCatalogNames(); }),
              ElementsAre("hive", "spark"));

  catalog.description = "";  // Empty, not absent.
  catalog.location = "s3a://bucket/spark";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdateCatalog(catalog); }).ok());
  EXPECT_EQ(ReadValue<Catalog>([](ReadView& v) { return v.GetCatalog("spark"); }), catalog);

  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.DeleteCatalog("spark"); }).ok());
  EXPECT_EQ(ReadStatus([](ReadView& v) { return v.GetCatalog("spark").status(); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, CatalogErrors) {
  absl::Status dup = Write([](WriteTxn& txn) { return txn.CreateCatalog({"hive", "", "/x", 1}); });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "catalog hive already exists");
  EXPECT_EQ(Write([](WriteTxn& txn) {
              return txn.UpdateCatalog({"nope", "", "/x", 1});
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([](WriteTxn& txn) { return txn.DeleteCatalog("nope"); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, DatabaseCrud) {
  Database db = MakeDatabase("sales");
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.CreateDatabase(db); }).ok());
  EXPECT_EQ(ReadValue<Database>([](ReadView& v) { return v.GetDatabase("hive", "sales"); }), db);

  db.description = "changed";
  db.parameters["x"] = "y";
  db.owner_type = PrincipalType::kRole;
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdateDatabase(db); }).ok());
  EXPECT_EQ(ReadValue<Database>([](ReadView& v) { return v.GetDatabase("hive", "sales"); }), db);

  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.DeleteDatabase("hive", "sales"); }).ok());
  EXPECT_EQ(ReadStatus([](ReadView& v) { return v.GetDatabase("hive", "sales").status(); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, DatabaseErrors) {
  absl::Status dup =
      Write([](WriteTxn& txn) { return txn.CreateDatabase(MakeDatabase("default")); });
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.message(), "database hive.default already exists");
  EXPECT_EQ(Write([](WriteTxn& txn) { return txn.UpdateDatabase(MakeDatabase("nope")); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([](WriteTxn& txn) { return txn.DeleteDatabase("hive", "nope"); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, DatabasesArePerCatalog) {
  Database spark = MakeDatabase("default");
  spark.catalog = "spark";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.CreateDatabase(spark); }).ok());
  EXPECT_THAT(
      ReadValue<std::vector<std::string>>([](ReadView& v) { return v.ListDatabaseNames("spark"); }),
      ElementsAre("default"));
  EXPECT_THAT(
      ReadValue<std::vector<std::string>>([](ReadView& v) { return v.ListDatabaseNames("other"); }),
      IsEmpty());
}

TEST_F(CatalogTest, DatabaseWithTablesCannotBeDeleted) {
  CreateTable(MakeTable("sales", "orders"));
  absl::Status status = Write([](WriteTxn& txn) { return txn.DeleteDatabase("hive", "sales"); });
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_F(CatalogTest, TableCrud) {
  Table t = MakeTable("sales", "orders", {{"ds", "string", ""}});
  t.parameters["EXTERNAL"] = "TRUE";
  t.rewrite_enabled = false;
  t = CreateTable(t);
  EXPECT_GT(t.id, 0);
  EXPECT_EQ(ReadValue<Table>([](ReadView& v) { return v.GetTable("hive", "sales", "orders"); }), t);
  EXPECT_EQ(WriteValue<int64_t>([](WriteTxn& txn) { return txn.CountTables("hive", "sales"); }), 1);

  t.sd.columns.push_back({"extra", "int", ""});
  t.parameters["metadata_location"] = "s3://b/2.json";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdateTable(t.id, t); }).ok());
  EXPECT_EQ(ReadValue<Table>([](ReadView& v) { return v.GetTable("hive", "sales", "orders"); }), t);

  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.DeleteTable(t.id); }).ok());
  EXPECT_EQ(
      ReadStatus([](ReadView& v) { return v.GetTable("hive", "sales", "orders").status(); }).code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](WriteTxn& txn) { return txn.DeleteTable(t.id); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, DuplicateTableIsAlreadyExists) {
  CreateTable(MakeTable("sales", "orders"));
  absl::Status status =
      Write([](WriteTxn& txn) { return txn.CreateTable(MakeTable("sales", "orders")).status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(status.message(), "table hive.sales.orders already exists");
}

TEST_F(CatalogTest, TableInMissingDatabaseIsNotFound) {
  EXPECT_EQ(
      Write([](WriteTxn& txn) { return txn.CreateTable(MakeTable("nope", "t")).status(); }).code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadStatus([](ReadView& v) {
              return v.ListTableNames("hive", "nope", std::nullopt).status();
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, RenameAndMoveViaUpdateTable) {
  Table t = CreateTable(MakeTable("sales", "orders"));
  CreateTable(MakeTable("sales", "taken"));
  CreateTable(MakeTable("archive", "other"));

  Table renamed = t;
  renamed.name = "orders_v2";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdateTable(t.id, renamed); }).ok());
  EXPECT_THAT(TableNames("sales"), ElementsAre("orders_v2", "taken"));
  EXPECT_EQ(
      ReadValue<Table>([](ReadView& v) { return v.GetTable("hive", "sales", "orders_v2"); }).id,
      t.id);

  Table collide = renamed;
  collide.name = "taken";
  EXPECT_EQ(Write([&](WriteTxn& txn) { return txn.UpdateTable(t.id, collide); }).code(),
            absl::StatusCode::kAlreadyExists);

  Table moved = renamed;
  moved.database = "archive";
  ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.UpdateTable(t.id, moved); }).ok());
  EXPECT_THAT(TableNames("sales"), ElementsAre("taken"));
  EXPECT_THAT(TableNames("archive"), ElementsAre("orders_v2", "other"));

  Table missing_db = moved;
  missing_db.database = "nope";
  EXPECT_EQ(Write([&](WriteTxn& txn) { return txn.UpdateTable(t.id, missing_db); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Write([&](WriteTxn& txn) { return txn.UpdateTable(9999, moved); }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(CatalogTest, ListTablesByType) {
  CreateTable(MakeTable("sales", "b"));
  Table view = MakeTable("sales", "a");
  view.table_type = kVirtualView;
  CreateTable(view);
  Table ext = MakeTable("sales", "c");
  ext.table_type = kExternalTable;
  CreateTable(ext);
  EXPECT_THAT(TableNames("sales"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(TableNames("sales", kManagedTable), ElementsAre("b"));
  EXPECT_THAT(TableNames("sales", kVirtualView), ElementsAre("a"));
  EXPECT_THAT(TableNames("sales", kMaterializedView), IsEmpty());
}

TEST_F(CatalogTest, ListTablesByParameter) {
  Table a = MakeTable("sales", "a");
  a.parameters = {{"table_type", "ICEBERG"}, {"odd.key", "x"}, {"q\"k", "1"}};
  CreateTable(a);
  Table b = MakeTable("sales", "b");
  b.parameters = {{"table_type", "iceberg"}, {"odd.key", "xyz"}};
  CreateTable(b);
  CreateTable(MakeTable("sales", "c"));
  auto by_param = [&](const std::string& key, const std::string& value, bool like) {
    return ReadValue<std::vector<std::string>>([&](ReadView& v) {
      return v.ListTableNamesByParameter("hive", "sales", key, value, like);
    });
  };
  EXPECT_THAT(by_param("table_type", "ICEBERG", false), ElementsAre("a"));
  EXPECT_THAT(by_param("table_type", "ice%", true), ElementsAre("a", "b"));
  EXPECT_THAT(by_param("odd.key", "x", false), ElementsAre("a"));
  EXPECT_THAT(by_param("odd.key", "x%", true), ElementsAre("a", "b"));
  EXPECT_THAT(by_param("q\"k", "1", false), ElementsAre("a"));
  EXPECT_THAT(by_param("q\"k", "%", true), ElementsAre("a"));
  EXPECT_THAT(by_param("missing", "%", true), IsEmpty());
  EXPECT_THAT(by_param("table_type", "' OR 1=1 --", false), IsEmpty());
}

TEST_F(CatalogTest, CorruptStoredDocumentIsDataLoss) {
  CreateTable(MakeTable("sales", "orders"));
  store_.reset();
  {
    absl::StatusOr<std::unique_ptr<sqlite::Connection>> conn =
        sqlite::Connection::Open(options_.path, SQLITE_OPEN_READWRITE);
    ASSERT_TRUE(conn.ok()) << conn.status();
    ASSERT_TRUE((*conn)
                    ->Execute("UPDATE tbls SET body = '{\"sd\":{\"columns\":[' "
                              "WHERE name = 'orders'")
                    .ok());
  }
  OpenStore();
  absl::Status status =
      Read([](ReadView& v) { return v.GetTable("hive", "sales", "orders").status(); });
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
}

Function MakeFunction(const std::string& db, const std::string& name) {
  Function fn;
  fn.database = db;
  fn.name = name;
  fn.class_name = "com.example.Udf";
  fn.owner_name = "alice";
  fn.owner_type = PrincipalType::kUser;
  fn.create_time = 1700000000;
  fn.resource_uris = {{1, "hdfs:///udf.jar"}, {2, "file:/x.txt"}};
  return fn;
}

TEST_F(CatalogTest, FunctionCrud) {
  ASSERT_TRUE(Write([](WriteTxn& txn) -> absl::Status {
                for (const auto& [db, name] : std::vector<std::pair<std::string, std::string>>{
                         {"default", "b"}, {"default", "a"}, {"other", "a"}}) {
                  absl::Status s = txn.CreateFunction(MakeFunction(db, name));
                  if (!s.ok()) return s;
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_EQ(ReadValue<Function>([](ReadView& v) { return v.GetFunction("hive", "default", "a"); }),
            MakeFunction("default", "a"));

  std::vector<Function> all =
      ReadValue<std::vector<Function>>([](ReadView& v) { return v.ListFunctions("hive", ""); });
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].name, "a");
  EXPECT_EQ(all[1].name, "b");
  EXPECT_EQ(all[2].database, "other");
  EXPECT_EQ(ReadValue<std::vector<Function>>([](ReadView& v) {
              return v.ListFunctions("hive", "other");
            }).size(),
            1u);

  Function renamed = MakeFunction("default", "c");
  renamed.class_name = "com.example.Other";
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.UpdateFunction("hive", "default", "a", renamed);
              }).ok());
  EXPECT_EQ(ReadValue<Function>([](ReadView& v) { return v.GetFunction("hive", "default", "c"); }),
            renamed);
  EXPECT_EQ(
      ReadStatus([](ReadView& v) { return v.GetFunction("hive", "default", "a").status(); }).code(),
      absl::StatusCode::kNotFound);

  EXPECT_EQ(
      Write([](WriteTxn& txn) { return txn.CreateFunction(MakeFunction("default", "b")); }).code(),
      absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Write([&](WriteTxn& txn) {
              return txn.UpdateFunction("hive", "default", "c", MakeFunction("default", "b"));
            }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Write([&](WriteTxn& txn) {
              return txn.UpdateFunction("hive", "default", "zz", renamed);
            }).code(),
            absl::StatusCode::kNotFound);

  EXPECT_EQ(
      WriteValue<int64_t>([](WriteTxn& txn) { return txn.CountFunctions("hive", "default"); }), 2);
  ASSERT_TRUE(Write([](WriteTxn& txn) { return txn.DeleteFunction("hive", "default", "b"); }).ok());
  EXPECT_EQ(Write([](WriteTxn& txn) { return txn.DeleteFunction("hive", "default", "b"); }).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace almanac::testing
