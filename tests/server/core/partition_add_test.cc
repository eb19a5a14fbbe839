// HMS's rules for adding and appending partitions, through CatalogService over a real SQLite
// store: what is refused, with which status (InvalidArgument for a missing table, malformed
// requests for what HMS refuses with MetaException), and what a partition keeps null.

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/locations.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Names = CatalogService::PartitionNames;

bool IsMalformed(const absl::Status& status) {
  return absl::IsInvalidArgument(status) && SubjectOf(status) == ErrorSubject::kMalformedRequest;
}

TEST(CheckPathLocationTest, AbsolutePathsWithValidSchemes) {
  for (const char* ok : {"file:/a/b", "file:///a", "hdfs://nn:8020/a", "s3a://bucket/k",
                         "/plain/path", "//host", "//host/a", "c:/x", "s3a://bucket"}) {
    EXPECT_TRUE(CheckPathLocation(ok).ok()) << ok;
  }
  for (const char* bad : {"invalidhost:80000/wrongfolder", "relative/dir", "%^#$x/part1",
                          "1scheme:/x", ":/x", "file:", "file:rel"}) {
    absl::Status status = CheckPathLocation(bad);
    EXPECT_TRUE(absl::IsInvalidArgument(status)) << bad;
    EXPECT_THAT(status.message(), HasSubstr("is not a valid location")) << bad;
  }
}

class PartitionAddTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = dir_.File("warehouse");
    catalog_ = std::make_unique<CatalogService>(store_.get(), options, [] { return 1000; });
    ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("t", "MANAGED_TABLE")).ok());
  }

  static Table MakeTable(const std::string& name, const std::string& type) {
    Table t;
    t.database = "default";
    t.name = name;
    t.table_type = type;
    t.sd.columns = {{"c", "int", ""}};
    t.partition_keys = {{"ds", "string", ""}, {"hr", "string", ""}};
    return t;
  }

  static Partition Part(std::vector<std::string> values, const std::string& table = "t") {
    Partition p;
    p.database = "default";
    p.table = table;
    p.values = std::move(values);
    p.sd.columns = {{"c", "int", ""}};
    return p;
  }

  absl::Status Add(std::vector<Partition> parts, const std::string& table = "t") {
    return catalog_
        ->AddPartitions(ctx_, kDefaultCatalog, "default", table, std::move(parts), false, {},
                        Names::kAsSent)
        .status();
  }

  std::vector<std::string> PartitionNames(const std::string& table = "t") {
    return *catalog_->ListPartitionNames(kDefaultCatalog, "default", table, {});
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

TEST_F(PartitionAddTest, MalformedPartitionsFailTheWholeBatch) {
  Partition other = Part({"b", "1"});
  other.table = "T";  // Differs from the request's spelling in case only.
  Partition no_sd = Part({"b", "1"});
  no_sd.sd_null = true;
  Partition no_serde = Part({"b", "1"});
  no_serde.sd.serde_null = true;
  Partition null_column = Part({"b", "1"});
  null_column.sd.column_field_null = true;
  Partition bad_location = Part({"b", "1"});
  bad_location.sd.location = "host:8080/dir";
  for (const Partition& bad : {Part({"b"}), Part({}), Part({"b", "1", "x"}), other, no_sd, no_serde,
                               null_column, bad_location}) {
    absl::Status status = Add({Part({"a", "1"}), bad});
    EXPECT_TRUE(IsMalformed(status)) << status;
  }
  EXPECT_TRUE(PartitionNames().empty());
  absl::Status missing = catalog_
                             ->AddPartitions(ctx_, kDefaultCatalog, "default", "nope",
                                             {Part({"a", "1"}, "nope")}, false, {}, Names::kAsSent)
                             .status();
  EXPECT_TRUE(absl::IsInvalidArgument(missing) && SubjectOf(missing) == ErrorSubject::kNone)
      << missing;
}

TEST_F(PartitionAddTest, EmptyValueNamesTheDefaultPartitionAndNullsAreKept) {
  Partition part = Part({"", "1"});
  part.sd.columns_null = true;
  part.sd.columns.clear();
  ASSERT_TRUE(Add({part}).ok());
  EXPECT_THAT(PartitionNames(), ElementsAre("ds=__HIVE_DEFAULT_PARTITION__/hr=1"));
  absl::StatusOr<Partition> got =
      catalog_->GetPartition(kDefaultCatalog, "default", "t", {"", "1"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->sd.columns_null);
  EXPECT_FALSE(got->sd.serde.name.has_value());
}

TEST_F(PartitionAddTest, ViewPartitionsHaveNoLocationAndMayHaveNoStorage) {
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("v", "VIRTUAL_VIEW")).ok());
  Partition located = Part({"a", "1"}, "v");
  located.sd.location = "file:/tmp/v";
  EXPECT_TRUE(IsMalformed(Add({located}, "v")));
  Partition no_sd = Part({"a", "1"}, "v");
  no_sd.sd_null = true;
  ASSERT_TRUE(Add({no_sd, Part({"b", "1"}, "v")}, "v").ok());
  absl::StatusOr<Partition> got =
      catalog_->GetPartition(kDefaultCatalog, "default", "v", {"a", "1"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(got->sd_null);
  got = catalog_->GetPartition(kDefaultCatalog, "default", "v", {"b", "1"});
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_FALSE(got->sd_null);
  EXPECT_EQ(got->sd.location, "");
  EXPECT_TRUE(IsMalformed(
      catalog_->AppendPartition(ctx_, kDefaultCatalog, "default", "v", {"c", "1"}).status()));
}

TEST_F(PartitionAddTest, AppendRules) {
  auto append = [&](const std::string& table, std::vector<std::string> values) {
    return catalog_->AppendPartition(ctx_, kDefaultCatalog, "default", table, values).status();
  };
  auto by_name = [&](const std::string& table, const std::string& name) {
    return catalog_->AppendPartitionByName(ctx_, kDefaultCatalog, "default", table, name);
  };
  absl::Status missing = append("nope", {"a", "1"});
  EXPECT_TRUE(absl::IsInvalidArgument(missing) && SubjectOf(missing) == ErrorSubject::kNone);
  missing = by_name("nope", "ds=a/hr=1").status();
  EXPECT_TRUE(absl::IsInvalidArgument(missing) && SubjectOf(missing) == ErrorSubject::kNone);
  EXPECT_TRUE(IsMalformed(append("t", {})));
  EXPECT_TRUE(IsMalformed(append("t", {"a"})));
  EXPECT_TRUE(IsMalformed(by_name("t", "").status()));
  for (const char* incomplete : {"ds=a", "ds=a/hour=1", "junk", "ds=a/hr="}) {
    absl::Status status = by_name("t", incomplete).status();
    EXPECT_TRUE(absl::IsInvalidArgument(status) && !IsMalformed(status)) << incomplete;
    EXPECT_THAT(status.message(), HasSubstr("missing")) << incomplete;
  }
  // The last '=' splits a component, as Hive's pattern does: "ds=a=b" has the key "ds=a".
  EXPECT_THAT(by_name("t", "ds=a=b/hr=1").status().message(), HasSubstr("missing ds"));
  absl::StatusOr<Partition> added = by_name("t", "hr=1/x=y/ds=a%2Fb");
  ASSERT_TRUE(added.ok()) << added.status();
  EXPECT_THAT(added->values, ElementsAre("a/b", "1"));
  EXPECT_THAT(PartitionNames(), ElementsAre("ds=a%2Fb/hr=1"));
}

}  // namespace
}  // namespace almanac
