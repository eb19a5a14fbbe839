// Partition specs, partition values and partition exchange in CatalogService, over a real SQLite
// store and a warehouse in a temporary directory.

#include <filesystem>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class PartitionSpecsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = dir_.File("warehouse");
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = warehouse_;
    catalog_ =
        std::make_unique<CatalogService>(store_.get(), options, [] { return 1'700'000'000; });
    Database db;
    db.name = "d";
    ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
  }

  void CreateTable(const std::string& name, std::vector<Column> columns = {{"id", "bigint", ""}}) {
    Table t;
    t.database = "d";
    t.name = name;
    t.sd.columns = std::move(columns);
    t.partition_keys = {{"year", "string", ""}, {"month", "string", ""}};
    ASSERT_TRUE(catalog_->CreateTable(ctx_, t).ok());
  }

  void AddPartitions(const std::string& table, std::vector<std::vector<std::string>> values) {
    std::vector<Partition> parts;
    for (auto& v : values) {
      Partition p;
      p.values = std::move(v);
      p.parameters["k"] = "v";
      parts.push_back(std::move(p));
    }
    ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", table, parts, false).ok());
  }

  std::vector<std::vector<std::string>> Values(const std::string& table) {
    std::vector<std::vector<std::string>> out;
    absl::StatusOr<std::vector<Partition>> parts = catalog_->ListPartitions("hive", "d", table, {});
    EXPECT_TRUE(parts.ok()) << parts.status();
    if (!parts.ok()) return out;
    for (const Partition& p : *parts) out.push_back(p.values);
    return out;
  }

  std::string TableDir(const std::string& table) { return warehouse_ + "/d.db/" + table; }

  testing::TempDir dir_;
  std::string warehouse_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

TEST_F(PartitionSpecsTest, ExchangeMovesMatchingPartitionsAndTheirDirectory) {
  CreateTable("src");
  CreateTable("dst");
  AddPartitions("src", {{"2017", "jan"}, {"2017", "feb"}, {"2018", "jan"}});
  auto moved = catalog_->ExchangePartitions(ctx_, {{"year", "2017"}}, {"hive", "d", "src"},
                                            {"hive", "d", "dst"});
  ASSERT_TRUE(moved.ok()) << moved.status();
  ASSERT_EQ(moved->size(), 2u);
  EXPECT_EQ((*moved)[0].table, "dst");
  EXPECT_EQ((*moved)[0].parameters.at("k"), "v");
  EXPECT_THAT(Values("src"), ElementsAre(ElementsAre("2018", "jan")));
  EXPECT_THAT(Values("dst"), ElementsAre(ElementsAre("2017", "feb"), ElementsAre("2017", "jan")));
  auto part = catalog_->GetPartition("hive", "d", "dst", {"2017", "jan"});
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->sd.location, "file:" + TableDir("dst") + "/year=2017/month=jan");
  EXPECT_TRUE(std::filesystem::is_directory(TableDir("dst") + "/year=2017/month=jan"));
  EXPECT_FALSE(std::filesystem::exists(TableDir("src") + "/year=2017"));
}

TEST_F(PartitionSpecsTest, RefusedExchangeChangesNothing) {
  CreateTable("src");
  CreateTable("dst");
  CreateTable("wide", {{"id", "bigint", ""}, {"x", "string", ""}});
  AddPartitions("src", {{"2017", "jan"}, {"2018", "jan"}});
  AddPartitions("dst", {{"2017", "jan"}});
  const TableRef src{"hive", "d", "src"};
  auto clash = catalog_->ExchangePartitions(ctx_, {{"year", "2017"}}, src, {"hive", "d", "dst"});
  EXPECT_TRUE(absl::IsFailedPrecondition(clash.status())) << clash.status();
  EXPECT_THAT(clash.status().message(), HasSubstr("already exists in the table dst"));
  auto schema = catalog_->ExchangePartitions(ctx_, {{"year", "2017"}}, src, {"hive", "d", "wide"});
  EXPECT_TRUE(absl::IsFailedPrecondition(schema.status())) << schema.status();
  std::filesystem::remove_all(TableDir("src") + "/year=2018");
  auto no_data = catalog_->ExchangePartitions(ctx_, {{"year", "2018"}}, src, {"hive", "d", "wide"});
  EXPECT_FALSE(no_data.ok());
  auto gap = catalog_->ExchangePartitions(ctx_, {{"month", "jan"}}, src, {"hive", "d", "dst"});
  EXPECT_TRUE(absl::IsInvalidArgument(gap.status())) << gap.status();
  auto missing = catalog_->ExchangePartitions(ctx_, {{"year", "2017"}}, {"hive", "d", "nope"},
                                              {"hive", "d", "dst"});
  EXPECT_TRUE(absl::IsNotFound(missing.status())) << missing.status();

  EXPECT_THAT(Values("src"), ElementsAre(ElementsAre("2017", "jan"), ElementsAre("2018", "jan")));
  EXPECT_THAT(Values("dst"), ElementsAre(ElementsAre("2017", "jan")));
  EXPECT_TRUE(Values("wide").empty());
  EXPECT_TRUE(std::filesystem::is_directory(TableDir("src") + "/year=2017/month=jan"));
}

TEST_F(PartitionSpecsTest, AddPartitionSpecsJoinsSharedLocationAndRelativePath) {
  CreateTable("t");
  PartitionSpec spec;
  spec.database = "d";
  spec.table = "t";
  spec.shared_sd.emplace();
  spec.shared_sd->sd.emplace();
  spec.shared_sd->sd->columns = {{"id", "bigint", ""}};
  spec.shared_sd->sd->location = "file:" + TableDir("t") + "/shared/";
  spec.shared_sd->partitions.push_back({{"2020", "jan"}, 0, 0, "a", {}});
  spec.shared_sd->partitions.push_back({{"2020", "feb"}, 0, 0, std::nullopt, {}});
  auto added = catalog_->AddPartitionSpecs(ctx_, {spec});
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_EQ(*added, 2);
  EXPECT_EQ(catalog_->GetPartition("hive", "d", "t", {"2020", "jan"})->sd.location,
            "file:" + TableDir("t") + "/shared/a");
  // HMS appends a missing relative path as the text "null".
  EXPECT_EQ(catalog_->GetPartition("hive", "d", "t", {"2020", "feb"})->sd.location,
            "file:" + TableDir("t") + "/shared/null");

  spec.shared_sd->sd->location.clear();
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->AddPartitionSpecs(ctx_, {spec}).status()));
  spec.table = "nope";
  EXPECT_THAT(catalog_->AddPartitionSpecs(ctx_, {spec}).status().message(),
              HasSubstr("does not exist"));
}

TEST_F(PartitionSpecsTest, ListPartitionSpecsGroupsOnlyWhenTheTableAsks) {
  CreateTable("t");
  AddPartitions("t", {{"2020", "jan"}, {"2020", "feb"}});
  Partition outside;
  outside.values = {"2021", "jan"};
  outside.sd.columns = {{"id", "bigint", ""}};
  outside.sd.location = "file:" + warehouse_ + "/elsewhere";
  ASSERT_TRUE(catalog_->AddPartitions(ctx_, "hive", "d", "t", {outside}, false).ok());

  auto plain = catalog_->ListPartitionSpecs("hive", "d", "t", {});
  ASSERT_TRUE(plain.ok()) << plain.status();
  ASSERT_EQ(plain->size(), 1u);
  EXPECT_EQ((*plain)[0].root_path, "file:" + TableDir("t"));
  EXPECT_EQ((*plain)[0].partition_list->size(), 3u);

  Table t = *catalog_->GetTable("hive", "d", "t");
  t.parameters[kPartitionSpecGroupingKey] = "TRUE";
  ASSERT_TRUE(catalog_->AlterTable(ctx_, "hive", "d", "t", t, {}).ok());
  auto grouped = catalog_->ListPartitionSpecs("hive", "d", "t", {});
  ASSERT_TRUE(grouped.ok()) << grouped.status();
  ASSERT_EQ(grouped->size(), 2u);
  const PartitionSpec& shared = (*grouped)[0];
  ASSERT_TRUE(shared.shared_sd.has_value());
  EXPECT_EQ(shared.shared_sd->sd->location, "file:" + TableDir("t"));
  ASSERT_EQ(shared.shared_sd->partitions.size(), 2u);
  EXPECT_EQ(shared.shared_sd->partitions[0].relative_path, "/year=2020/month=feb");
  ASSERT_TRUE((*grouped)[1].partition_list.has_value());
  EXPECT_THAT((*grouped)[1].partition_list->at(0).values, ElementsAre("2021", "jan"));
}

TEST_F(PartitionSpecsTest, PartitionValuesProjectOrFilter) {
  CreateTable("t");
  AddPartitions("t", {{"2020", "jan"}, {"2020", "feb"}, {"2021", "jan"}});
  PartitionValuesQuery query;
  query.database = "d";
  query.table = "t";
  query.keys = {"year"};
  EXPECT_THAT(*catalog_->ListPartitionValues(query),
              ElementsAre(ElementsAre("2020"), ElementsAre("2021")));
  query.distinct = false;
  query.max_rows = 2;
  EXPECT_THAT(*catalog_->ListPartitionValues(query),
              ElementsAre(ElementsAre("2020"), ElementsAre("2020")));
  query.max_rows = -1;
  query.filter = "month = \"jan\"";
  query.ascending = false;
  EXPECT_THAT(*catalog_->ListPartitionValues(query),
              ElementsAre(ElementsAre("2021", "jan"), ElementsAre("2020", "jan")));
  query.filter.reset();
  query.keys = {"day"};
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->ListPartitionValues(query).status()));
  query.keys = {"year"};
  query.table = "nope";
  EXPECT_TRUE(absl::IsNotFound(catalog_->ListPartitionValues(query).status()));
}

}  // namespace
}  // namespace almanac
