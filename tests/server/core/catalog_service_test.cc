// CatalogService over a real SQLite store in a temporary directory.

#include "server/core/catalog_service.h"

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/error_subject.h"
#include "storage/sqlite/sqlite_store.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000;

class CatalogServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = dir_.File("warehouse");
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions catalog_options;
    catalog_options.warehouse_root = warehouse_;
    catalog_ =
        std::make_unique<CatalogService>(store_.get(), catalog_options, [this] { return now_; });
  }

  Table MakeTable(const std::string& db, const std::string& name, std::vector<Column> keys = {}) {
    Table t;
    t.database = db;
    t.name = name;
    t.sd.columns = {{"id", "bigint", ""}, {"Name", "string", ""}};
    t.sd.input_format = "org.apache.hadoop.mapred.TextInputFormat";
    t.partition_keys = std::move(keys);
    return t;
  }

  void CreateDb(const std::string& name) {
    Database db;
    db.name = name;
    ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  }

  Partition MakePartition(std::vector<std::string> values) {
    Partition p;
    p.values = std::move(values);
    return p;
  }

  testing::TempDir dir_;
  std::string warehouse_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
  int64_t now_ = kNow;
};

TEST_F(CatalogServiceTest, DefaultDatabaseExistsAtWarehouseRoot) {
  auto db = catalog_->GetDatabase("hive", "default");
  ASSERT_TRUE(db.ok()) << db.status();
  EXPECT_EQ(db->location, "file:" + warehouse_);
}

TEST_F(CatalogServiceTest, CreateDatabaseNormalisesAndDefaultsLocation) {
  Database db;
  db.name = "Sales";
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  auto got = catalog_->GetDatabase("hive", "SALES");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->name, "sales");
  EXPECT_EQ(got->location, "file:" + warehouse_ + "/sales.db");
  EXPECT_TRUE(std::filesystem::is_directory(warehouse_ + "/sales.db"));  // As Hive makes it.
  EXPECT_EQ(got->owner_name, "alice");
  EXPECT_EQ(got->create_time, kNow);
  EXPECT_TRUE(absl::IsAlreadyExists(catalog_->CreateDatabase(ctx_, db).status()));
  db.name = "bad name";
  absl::Status bad = catalog_->CreateDatabase(ctx_, db).status();
  EXPECT_TRUE(absl::IsInvalidArgument(bad));
  EXPECT_THAT(bad.message(), HasSubstr("bad name is not a valid database name"));
}

TEST_F(CatalogServiceTest, DropDatabaseRules) {
  CreateDb("d");
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("d", "t")).ok());
  absl::Status not_empty = catalog_->DropDatabase(ctx_, "hive", "d", false, false);
  EXPECT_TRUE(absl::IsFailedPrecondition(not_empty));
  EXPECT_THAT(not_empty.message(), HasSubstr("Database d is not empty"));
  ASSERT_TRUE(catalog_->DropDatabase(ctx_, "hive", "d", true, true).ok());
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetDatabase("hive", "d").status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->DropDatabase(ctx_, "hive", "d", false, false)));
  EXPECT_FALSE(catalog_->DropDatabase(ctx_, "hive", "default", false, false).ok());
}

TEST_F(CatalogServiceTest, CreateTableAppliesHiveDefaults) {
  CreateDb("d");
  Table t = MakeTable("D", "Events");
  t.parameters["EXTERNAL"] = "TRUE";
  auto created = catalog_->CreateTable(ctx_, t);
  ASSERT_TRUE(created.ok()) << created.status();
  auto got = catalog_->GetTable("hive", "d", "events");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->table_type, kExternalTable);
  EXPECT_EQ(got->sd.location, "file:" + warehouse_ + "/d.db/events");
  EXPECT_EQ(got->sd.columns[1].name, "name");
  EXPECT_EQ(got->create_time, kNow);
  EXPECT_EQ(got->parameters.at("transient_lastDdlTime"), std::to_string(kNow));
  EXPECT_TRUE(std::filesystem::is_directory(warehouse_ + "/d.db/events"));

  Table managed = MakeTable("d", "m");
  managed.table_type = kExternalTable;  // without EXTERNAL=TRUE
  ASSERT_TRUE(catalog_->CreateTable(ctx_, managed).ok());
  EXPECT_EQ(catalog_->GetTable("hive", "d", "m")->table_type, kManagedTable);

  EXPECT_TRUE(absl::IsAlreadyExists(catalog_->CreateTable(ctx_, t).status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->CreateTable(ctx_, MakeTable("nodb", "t")).status()));
}

TEST_F(CatalogServiceTest, TableChangesWriteVersions) {
  CreateDb("d");
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("d", "t")).ok());
  Table t = *catalog_->GetTable("hive", "d", "t");
  t.sd.columns.push_back({"extra", "int", "added"});
  now_ += 10;
  ASSERT_TRUE(catalog_->AlterTable({"bob"}, "hive", "d", "t", t, {}).ok());
  t.name = "t2";
  ASSERT_TRUE(catalog_->AlterTable({"carol"}, "hive", "d", "t", t, {}).ok());

  auto versions = catalog_->ListTableVersions("hive", "d", "t2");
  ASSERT_TRUE(versions.ok()) << versions.status();
  ASSERT_EQ(versions->size(), 3u);
  EXPECT_EQ((*versions)[0].version, 1);
  EXPECT_EQ((*versions)[0].operation, "CREATE");
  EXPECT_EQ((*versions)[0].principal, "alice");
  EXPECT_EQ((*versions)[0].definition.sd.columns.size(), 2u);
  EXPECT_EQ((*versions)[1].operation, "ALTER");
  EXPECT_EQ((*versions)[1].principal, "bob");
  EXPECT_EQ((*versions)[1].time, kNow + 10);
  EXPECT_EQ((*versions)[1].definition.sd.columns.size(), 3u);
  EXPECT_EQ((*versions)[2].operation, "RENAME");
  EXPECT_EQ((*versions)[2].definition.name, "t2");
  EXPECT_GT((*versions)[2].event_id, (*versions)[1].event_id);
}

TEST_F(CatalogServiceTest, RenameMovesManagedTableAndPartitions) {
  CreateDb("d");
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("d", "t", {{"ds", "string", ""}})).ok());
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "t", {MakePartition({"x"})}, false).ok());
  Table t = *catalog_->GetTable("hive", "d", "t");
  t.name = "renamed";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, {}).ok());
  auto moved = catalog_->GetTable("hive", "d", "renamed");
  ASSERT_TRUE(moved.ok());
  EXPECT_EQ(moved->sd.location, "file:" + warehouse_ + "/d.db/renamed");
  EXPECT_TRUE(std::filesystem::is_directory(warehouse_ + "/d.db/renamed/ds=x"));
  EXPECT_FALSE(std::filesystem::exists(warehouse_ + "/d.db/t"));
  auto part = catalog_->GetPartition("hive", "d", "renamed", {"x"});
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_EQ(part->sd.location, "file:" + warehouse_ + "/d.db/renamed/ds=x");
}

TEST_F(CatalogServiceTest, AlterTableCompareAndSwap) {
  CreateDb("d");
  Table t = MakeTable("d", "ice");
  t.parameters["metadata_location"] = "s3://b/v1.json";
  absl::StatusOr<Table> created = catalog_->CreateTable(ctx_, t);
  ASSERT_TRUE(created.ok()) << created.status();
  t = *created;  // As clients alter: with the location HMS recounts the stats of.
  t.parameters["metadata_location"] = "s3://b/v2.json";
  AlterTableOptions cas;
  cas.expected_key = "metadata_location";
  cas.expected_value = "s3://b/v0.json";
  absl::Status stale = catalog_->AlterTable(ctx_, "hive", "d", "ice", t, cas);
  EXPECT_TRUE(absl::IsAborted(stale));
  EXPECT_EQ(stale.message(),
            "The table has been modified. The parameter value for key 'metadata_location' is "
            "'s3://b/v1.json'. The expected was value was 's3://b/v0.json'");
  cas.expected_value = "s3://b/v1.json";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "ice", t, cas).ok());
  EXPECT_EQ(catalog_->GetTable("hive", "d", "ice")->parameters.at("metadata_location"),
            "s3://b/v2.json");
  EXPECT_FALSE(catalog_->AlterTable(ctx_, "hive", "d", "ice", t, cas).ok());
  // As in Hive, the new table must carry the expected key, even when the old value matches.
  Table without = t;
  without.parameters.erase("metadata_location");
  cas.expected_value = "s3://b/v2.json";
  absl::Status unset = catalog_->AlterTable(ctx_, "hive", "d", "ice", without, cas);
  EXPECT_TRUE(absl::IsAborted(unset));
  EXPECT_EQ(unset.message(), "New value for expected key metadata_location is not set");
  EXPECT_EQ(catalog_->GetTable("hive", "d", "ice")->parameters.at("metadata_location"),
            "s3://b/v2.json");
}

TEST_F(CatalogServiceTest, PartitionsListFilterAndDrop) {
  CreateDb("d");
  ASSERT_TRUE(
      catalog_->CreateTable(ctx_, MakeTable("d", "p", {{"ds", "string", ""}, {"hr", "int", ""}}))
          .ok());
  std::vector<Partition> parts;
  for (const char* ds : {"2024-01-01", "2024-01-02"}) {
    for (const char* hr : {"1", "2", "10"}) parts.push_back(MakePartition({ds, hr}));
  }
  auto added = catalog_->AddPartitions(ctx_, "hive", "d", "p", parts, false);
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(added->size(), 6u);
  EXPECT_EQ((*added)[0].sd.location, "file:" + warehouse_ + "/d.db/p/ds=2024-01-01/hr=1");
  EXPECT_TRUE(absl::IsAlreadyExists(
      catalog_->AddPartitions(ctx_, "hive", "d", "p", {MakePartition({"2024-01-01", "1"})}, false)
          .status()));
  auto none =
      catalog_->AddPartitions(ctx_, "hive", "d", "p", {MakePartition({"2024-01-01", "1"})}, true);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  PartitionSelector filter;
  filter.filter = "ds = \"2024-01-02\" and hr > 1";
  auto names = catalog_->ListPartitionNames("hive", "d", "p", filter);
  ASSERT_TRUE(names.ok()) << names.status();
  EXPECT_THAT(*names, ElementsAre("ds=2024-01-02/hr=10", "ds=2024-01-02/hr=2"));
  EXPECT_EQ(*catalog_->CountPartitions("hive", "d", "p", filter), 2);

  PartitionSelector partial;
  partial.partial_values = std::vector<std::string>{"", "10"};
  auto by_spec = catalog_->ListPartitions("hive", "d", "p", partial);
  ASSERT_TRUE(by_spec.ok()) << by_spec.status();
  ASSERT_EQ(by_spec->size(), 2u);
  EXPECT_THAT((*by_spec)[0].values, ElementsAre("2024-01-01", "10"));

  PartitionSelector bad;
  bad.filter = "nokey = 1";
  absl::Status unknown = catalog_->ListPartitionNames("hive", "d", "p", bad).status();
  EXPECT_THAT(unknown.message(), HasSubstr("<nokey> is not a partitioning key"));

  const std::string dir = warehouse_ + "/d.db/p/ds=2024-01-01/hr=1";
  EXPECT_TRUE(std::filesystem::is_directory(dir));
  auto dropped =
      catalog_->DropPartitions(ctx_, "hive", "d", "p", {{"2024-01-01", "1"}}, true, false);
  ASSERT_TRUE(dropped.ok()) << dropped.status();
  EXPECT_EQ(dropped->size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_TRUE(absl::IsNotFound(
      catalog_->DropPartitions(ctx_, "hive", "d", "p", {{"2024-01-01", "1"}}, true, false)
          .status()));
}

TEST_F(CatalogServiceTest, PartitionNamesAreEscaped) {
  CreateDb("d");
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("d", "e", {{"k", "string", ""}})).ok());
  ASSERT_TRUE(
      catalog_->AddPartitions(ctx_, "hive", "d", "e", {MakePartition({"a/b:c"})}, false).ok());
  auto names = catalog_->ListPartitionNames("hive", "d", "e", {});
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, ElementsAre("k=a%2Fb%3Ac"));
  auto part = catalog_->GetPartitionByName("hive", "d", "e", "k=a%2Fb%3Ac");
  ASSERT_TRUE(part.ok()) << part.status();
  EXPECT_THAT(part->values, ElementsAre("a/b:c"));
}

TEST_F(CatalogServiceTest, ColumnStatisticsRoundTripAndAggregate) {
  CreateDb("d");
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("d", "s", {{"ds", "string", ""}})).ok());
  ASSERT_TRUE(catalog_
                  ->AddPartitions(ctx_, "hive", "d", "s",
                                  {MakePartition({"a"}), MakePartition({"b"})}, false)
                  .ok());
  for (auto [part, low, high] : {std::tuple{"ds=a", 1, 5}, std::tuple{"ds=b", -3, 4}}) {
    ColumnStatistics stats;
    stats.table_level = false;
    stats.database = "d";
    stats.table = "s";
    stats.partition_name = part;
    ColumnStatsObj obj{"id", "bigint", {}, 0};
    obj.data.kind = ColumnStatsData::Kind::kLong;
    obj.data.low_long = low;
    obj.data.high_long = high;
    obj.data.num_nulls = 2;
    obj.data.num_distinct = 4;
    stats.columns.push_back(obj);
    ASSERT_TRUE(catalog_->UpdateColumnStatistics(ctx_, stats).ok());
  }
  int64_t found = 0;
  auto aggr = catalog_->AggregatePartitionColumnStatistics("hive", "d", "s", {"ds=a", "ds=b"},
                                                           {"id"}, "hive", &found);
  ASSERT_TRUE(aggr.ok()) << aggr.status();
  ASSERT_EQ(aggr->size(), 1u);
  EXPECT_EQ(found, 2);
  EXPECT_EQ((*aggr)[0].data.low_long, -3);
  EXPECT_EQ((*aggr)[0].data.high_long, 5);
  EXPECT_EQ((*aggr)[0].data.num_nulls, 4);

  ColumnStatistics bad;
  bad.database = "d";
  bad.table = "s";
  bad.columns.push_back({"missing", "int", {}, 0});
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->UpdateColumnStatistics(ctx_, bad)));
  EXPECT_TRUE(absl::IsNotFound(
      catalog_->DeleteTableColumnStatistics(ctx_, "hive", "d", "s", "id", "hive")));
}

TEST_F(CatalogServiceTest, FunctionsUseHiveMessages) {
  CreateDb("d");
  Function fn;
  fn.database = "d";
  fn.name = "MyUpper";
  fn.class_name = "com.example.Upper";
  fn.resource_uris = {{1, "file:/tmp/u.jar"}};
  ASSERT_TRUE(catalog_->CreateFunction(ctx_, fn).ok());
  EXPECT_TRUE(absl::IsAlreadyExists(catalog_->CreateFunction(ctx_, fn)));
  auto got = catalog_->GetFunction("hive", "d", "myupper");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->class_name, "com.example.Upper");
  EXPECT_THAT(*catalog_->ListFunctions("hive", "d", "my*"), ElementsAre("myupper"));
  ASSERT_TRUE(catalog_->DropFunction(ctx_, "hive", "d", "myupper").ok());
  absl::Status missing = catalog_->GetFunction("hive", "d", "myupper").status();
  EXPECT_TRUE(absl::IsNotFound(missing));
  EXPECT_THAT(missing.message(), HasSubstr("myupper does not exist"));
}

TEST_F(CatalogServiceTest, FunctionFieldsAreCheckedInHmsOrder) {
  CreateDb("d");
  Function fn;
  fn.database = "d";
  fn.name = "f";
  fn.class_name = "com.example.F";
  const auto malformed = [](const absl::Status& status) {
    return absl::IsInvalidArgument(status) && SubjectOf(status) == ErrorSubject::kMalformedRequest;
  };
  for (MissingFunctionFields missing :
       {MissingFunctionFields{.name = true}, MissingFunctionFields{.database = true},
        MissingFunctionFields{.owner_type = true}}) {
    absl::Status status = catalog_->CreateFunction(ctx_, fn, missing);
    EXPECT_TRUE(malformed(status)) << status;
    EXPECT_THAT(status.message(), HasSubstr("cannot be null"));
  }
  for (int32_t type : {0, 2}) {
    Function typed = fn;
    typed.function_type = type;
    EXPECT_TRUE(malformed(catalog_->CreateFunction(ctx_, typed)));
  }
  Function no_class = fn;
  no_class.class_name.clear();
  absl::Status status = catalog_->CreateFunction(ctx_, no_class);
  EXPECT_TRUE(absl::IsInvalidArgument(status) && !malformed(status)) << status;
  Function bad_name = fn;
  bad_name.name = "f;";
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->CreateFunction(ctx_, bad_name)));
  EXPECT_THAT(*catalog_->ListFunctions("hive", "d", std::nullopt), ElementsAre());
}

TEST_F(CatalogServiceTest, FunctionPatternsAndAlter) {
  CreateDb("d");
  CreateDb("e");
  Function fn;
  fn.database = "d";
  fn.name = "f";
  fn.class_name = "com.example.F";
  fn.resource_uris = {{1, "file:/f.jar"}};
  ASSERT_TRUE(catalog_->CreateFunction(ctx_, fn).ok());
  fn.name = "g";
  ASSERT_TRUE(catalog_->CreateFunction(ctx_, fn).ok());
  EXPECT_THAT(*catalog_->ListFunctions("hive", "d", std::nullopt), ElementsAre("f", "g"));
  EXPECT_THAT(*catalog_->ListFunctions("hive", "d", ""), ElementsAre());

  Function changed;
  changed.database = "e";
  changed.name = "F2";
  changed.class_name = "com.example.F2";
  changed.owner_type = PrincipalType::kRole;
  now_ = kNow + 100;
  ASSERT_TRUE(catalog_->AlterFunction(ctx_, "hive", "d", "f", changed).ok());
  absl::StatusOr<Function> got = catalog_->GetFunction("hive", "e", "f2");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->class_name, "com.example.F2");
  EXPECT_EQ(got->owner_name, "");
  EXPECT_EQ(got->owner_type, PrincipalType::kRole);
  EXPECT_EQ(got->create_time, kNow);  // HMS keeps the create time and the resource URIs.
  EXPECT_EQ(got->resource_uris, fn.resource_uris);

  changed.name = "g";
  changed.database = "d";
  EXPECT_TRUE(absl::IsAlreadyExists(catalog_->AlterFunction(ctx_, "hive", "e", "f2", changed)));
  changed.database = "nowhere";
  EXPECT_TRUE(absl::IsNotFound(catalog_->AlterFunction(ctx_, "hive", "e", "f2", changed)));
  changed.database = "d";
  changed.name = "h";
  EXPECT_TRUE(absl::IsNotFound(catalog_->AlterFunction(ctx_, "hive", "d", "missing", changed)));
  changed.catalog = "other";
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->AlterFunction(ctx_, "hive", "e", "f2", changed)));
}

TEST_F(CatalogServiceTest, AlterDatabaseKeepsWhatHmsKeeps) {
  Database db;
  db.name = "d";
  db.description = "first";
  db.owner_name = "bob";
  db.owner_type = PrincipalType::kRole;
  db.parameters = {{"a", "1"}};
  ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  const Database before = *catalog_->GetDatabase("hive", "d");

  Database bare;
  bare.description = "  ";
  ASSERT_TRUE(catalog_->AlterDatabase(ctx_, "hive", "d", bare, /*owner_type_given=*/false).ok());
  Database after = *catalog_->GetDatabase("hive", "d");
  EXPECT_EQ(after.description, "first");
  EXPECT_EQ(after.location, before.location);
  EXPECT_TRUE(after.parameters.empty());
  EXPECT_EQ(after.owner_name, "");
  EXPECT_EQ(after.owner_type, PrincipalType::kRole);

  bare.description = "second";
  bare.owner_type = PrincipalType::kGroup;
  ASSERT_TRUE(catalog_->AlterDatabase(ctx_, "hive", "d", bare).ok());
  after = *catalog_->GetDatabase("hive", "d");
  EXPECT_EQ(after.description, "second");
  EXPECT_EQ(after.owner_type, PrincipalType::kGroup);
}

}  // namespace
}  // namespace almanac
