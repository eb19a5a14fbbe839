// HMS's rules for reading, altering and dropping partitions: lookups by name, alters that stay
// in their table, the partition request limit, and where dropped data goes.

#include <filesystem>
#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PartitionRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::canonical(dir_.path()).string();
    warehouse_ = base_ + "/warehouse";
    trash_ = base_ + "/home/.Trash";
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = warehouse_;
    options.trash_dir = "file:" + trash_;
    options.partition_request_limit = 3;
    catalog_ = std::make_unique<CatalogService>(store_.get(), options);
    Database db;
    db.name = "d";
    ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  }

  // d.<name> partitioned by (y, m) with partitions of the given values.
  void CreateTable(const std::string& name, const std::vector<std::vector<std::string>>& values,
                   std::map<std::string, std::string> params = {}) {
    Table t;
    t.database = "d";
    t.name = name;
    t.sd.columns = {{"id", "bigint", ""}};
    t.partition_keys = {{"y", "string", ""}, {"m", "string", ""}};
    t.parameters = std::move(params);
    ASSERT_TRUE(catalog_->CreateTable(ctx_, t).ok());
    std::vector<Partition> parts;
    for (const auto& v : values) {
      Partition p;
      p.values = v;
      parts.push_back(p);
    }
    ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", name, parts, false).ok());
  }

  Table GetTable(const std::string& name) { return *catalog_->GetTable("hive", "d", name); }

  testing::TempDir dir_;
  std::string base_, warehouse_, trash_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

TEST_F(PartitionRulesTest, LookupByNameFollowsHms) {
  ASSERT_NO_FATAL_FAILURE(CreateTable("t", {{"2017", "a/b"}}));
  const Table t = GetTable("t");
  // Components in any order, escaped values, extra keys and malformed components ignored.
  for (const char* name : {"y=2017/m=a%2Fb", "m=a%2Fb/y=2017", "y=2017/m=a%2Fb/d=10",
                           "junk/y=2017//m=a%2Fb", "y=1/y=2017/m=a%2Fb"}) {
    auto values = catalog_->LookupValuesFromName(t, name);
    ASSERT_TRUE(values.ok()) << name << ": " << values.status();
    EXPECT_THAT(*values, ElementsAre("2017", "a/b")) << name;
  }
  // Keys are matched as stored (lower case); a key without a value is missing.
  for (const char* name : {"Y=2017/M=a", "y=2017", "y=/m=", "invalid"}) {
    absl::Status status = catalog_->LookupValuesFromName(t, name).status();
    EXPECT_TRUE(absl::IsNotFound(status)) << name << ": " << status;
  }
  absl::Status empty = catalog_->LookupValuesFromName(t, "").status();
  EXPECT_TRUE(absl::IsInvalidArgument(empty)) << empty;
  EXPECT_EQ(SubjectOf(empty), ErrorSubject::kMalformedRequest);
  auto got = catalog_->GetPartitionByName("hive", "d", "t", "y=2017/m=a%2Fb/extra=1");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(absl::IsNotFound(catalog_->GetPartitionByName("hive", "d", "t", "y=2017").status()));
}

TEST_F(PartitionRulesTest, AlterKeepsTheClientsCreateTimeAndItsTable) {
  ASSERT_NO_FATAL_FAILURE(CreateTable("t", {{"2017", "a"}, {"2017", "b"}}));
  Partition part = *catalog_->GetPartition("hive", "d", "t", {"2017", "a"});
  part.create_time = 123456789;
  ASSERT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "t", {part}).ok());
  EXPECT_EQ(catalog_->GetPartition("hive", "d", "t", {"2017", "a"})->create_time, 123456789);

  for (auto change :
       {+[](Partition& p) { p.database = "other"; }, +[](Partition& p) { p.table = "other"; },
        +[](Partition& p) { p.database.clear(); }, +[](Partition& p) { p.catalog = "bogus"; }}) {
    Partition moved = part;
    change(moved);
    moved.parameters["k"] = "v";
    absl::Status status = catalog_->AlterPartitions(ctx_, "hive", "d", "t", {moved});
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
    EXPECT_EQ(SubjectOf(status), ErrorSubject::kMalformedRequest);
    EXPECT_THAT(status.message(), HasSubstr("cannot be moved to another table"));
    moved.values = {"2017", "c"};
    status = catalog_->RenamePartition(ctx_, "hive", "d", "t", {"2017", "a"}, moved);
    EXPECT_EQ(SubjectOf(status), ErrorSubject::kMalformedRequest) << status;
  }
  EXPECT_FALSE(catalog_->GetPartition("hive", "d", "t", {"2017", "a"})->parameters.contains("k"));
  // Upper-case names are the same table.
  part.database = "D";
  part.table = "T";
  EXPECT_TRUE(catalog_->AlterPartitions(ctx_, "hive", "d", "t", {part}).ok());

  Partition renamed = part;
  renamed.values = {"2018", "a"};
  renamed.create_time = 42;
  ASSERT_TRUE(catalog_->RenamePartition(ctx_, "hive", "d", "t", {"2017", "a"}, renamed).ok());
  EXPECT_EQ(catalog_->GetPartition("hive", "d", "t", {"2018", "a"})->create_time, 42);
}

TEST_F(PartitionRulesTest, ListingsOfWholePartitionsKeepToTheRequestLimit) {
  ASSERT_NO_FATAL_FAILURE(
      CreateTable("t", {{"2017", "a"}, {"2017", "b"}, {"2018", "a"}, {"2018", "b"}}));
  PartitionSelector all;
  absl::Status status = catalog_->ListPartitions("hive", "d", "t", all).status();
  EXPECT_EQ(SubjectOf(status), ErrorSubject::kMalformedRequest) << status;
  EXPECT_THAT(status.message(), HasSubstr("Number of partitions requested (=4)"));
  PartitionSelector asked;
  asked.max_results = 4;
  EXPECT_FALSE(catalog_->ListPartitions("hive", "d", "t", asked).ok());
  asked.max_results = 3;
  EXPECT_EQ(catalog_->ListPartitions("hive", "d", "t", asked)->size(), 3u);
  PartitionSelector some;
  some.filter = "y = \"2017\"";
  EXPECT_EQ(catalog_->ListPartitions("hive", "d", "t", some)->size(), 2u);
  EXPECT_FALSE(catalog_->ListPartitionSpecs("hive", "d", "t", all).ok());
  // Names and counts are not limited.
  EXPECT_EQ(catalog_->ListPartitionNames("hive", "d", "t", all)->size(), 4u);
  EXPECT_EQ(*catalog_->CountPartitions("hive", "d", "t", all), 4);
}

TEST_F(PartitionRulesTest, PartialValuesNeedAValueAndMissingTablesListNoNames) {
  ASSERT_NO_FATAL_FAILURE(CreateTable("t", {{"2017", "a"}}));
  PartitionSelector none;
  none.partial_values = std::vector<std::string>{};
  EXPECT_TRUE(
      absl::IsInvalidArgument(catalog_->ListPartitionNames("hive", "d", "t", none).status()));
  PartitionSelector names;
  names.missing_table_lists_nothing = true;
  EXPECT_TRUE(catalog_->ListPartitionNames("hive", "d", "missing", names)->empty());
  EXPECT_TRUE(catalog_->ListPartitionNames("hive", "nodb", "t", names)->empty());
  EXPECT_TRUE(absl::IsNotFound(catalog_->ListPartitionNames("hive", "", "t", names).status()));
  EXPECT_TRUE(absl::IsNotFound(catalog_->ListPartitionNames("hive", "d", "missing", {}).status()));
}

TEST_F(PartitionRulesTest, DroppedDataGoesToTheTrashAndEmptyParentsGo) {
  ASSERT_NO_FATAL_FAILURE(CreateTable("t", {{"2017", "a"}, {"2017", "b"}, {"2018", "a"}}));
  const std::string dir = warehouse_ + "/d.db/t";
  std::ofstream(dir + "/y=2017/m=a/f") << "data";
  ASSERT_TRUE(catalog_->DropPartitions(ctx_, "hive", "d", "t", {{"2017", "a"}}, true, false).ok());
  EXPECT_FALSE(fs::exists(dir + "/y=2017/m=a"));
  EXPECT_TRUE(fs::exists(trash_ + "/Current" + dir + "/y=2017/m=a/f"));
  EXPECT_TRUE(fs::is_directory(dir + "/y=2017"));  // Still holds m=b.
  // Purged: deleted, not trashed; the parent left empty goes too.
  ASSERT_TRUE(
      catalog_->DropPartitions(ctx_, "hive", "d", "t", {{"2017", "b"}}, true, false, true).ok());
  EXPECT_FALSE(fs::exists(trash_ + "/Current" + dir + "/y=2017/m=b"));
  EXPECT_FALSE(fs::exists(dir + "/y=2017"));
  EXPECT_TRUE(fs::is_directory(dir + "/y=2018/m=a"));
  EXPECT_TRUE(fs::is_directory(dir));
}

TEST_F(PartitionRulesTest, SkipTrashAndAutoPurgeTablesSkipTheTrash) {
  for (const char* key : {"skip.trash", "auto.purge"}) {
    const std::string name = key[0] == 's' ? "s" : "p";
    ASSERT_NO_FATAL_FAILURE(CreateTable(name, {{"2017", "a"}}, {{key, "TRUE"}}));
    const std::string dir = warehouse_ + "/d.db/" + name;
    ASSERT_TRUE(
        catalog_->DropPartitions(ctx_, "hive", "d", name, {{"2017", "a"}}, true, false).ok());
    EXPECT_FALSE(fs::exists(dir + "/y=2017/m=a")) << key;
    EXPECT_FALSE(fs::exists(trash_ + "/Current" + dir + "/y=2017/m=a")) << key;
  }
}

TEST_F(PartitionRulesTest, ArchivedPartitionsDropTheirOriginalLocation) {
  ASSERT_NO_FATAL_FAILURE(CreateTable("t", {}));
  const std::string original = warehouse_ + "/d.db/t/2016_may";
  fs::create_directories(original);
  std::ofstream(original + "/f") << "data";
  Partition part;
  part.values = {"2016", "may"};
  part.parameters = {{"is_archived", "true"}, {"original_location", "file:" + original}};
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "t", {part}, false).ok());
  ASSERT_TRUE(
      catalog_->DropPartitions(ctx_, "hive", "d", "t", {{"2016", "may"}}, true, false, true).ok());
  EXPECT_FALSE(fs::exists(original));
  EXPECT_TRUE(fs::is_directory(warehouse_ + "/d.db/t/y=2016/m=may"));
}

}  // namespace
}  // namespace almanac
