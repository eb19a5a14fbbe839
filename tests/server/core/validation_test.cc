// Name rules and field checks, alone and through CatalogService over a real SQLite store.

#include "server/core/validation.h"

#include <filesystem>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "server/core/error_subject.h"
#include "server/core/names.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;

TEST(NamesTest, TableNamesFollowHive4Defaults) {
  for (const char* name : {"t", "T_1", "my-table", "a.b", "with space", "a/b", "..", "x$y", "p(1)",
                           "q@r#s", "`tick`", "a:b;c", "{[|]}", "'\"%&*+,<=>?^!~"}) {
    EXPECT_TRUE(IsValidTableName(name)) << name;
  }
  for (std::string name :
       {std::string(), std::string("a\\b"), std::string("a\tb"), std::string("a\nb"),
        std::string("caf\xc3\xa9"), std::string("a\x7f"), std::string("a\0b", 3)}) {
    EXPECT_FALSE(IsValidTableName(name)) << name;
  }
}

TEST(NamesTest, DatabaseAndFunctionNamesAreWordCharactersOnly) {
  EXPECT_TRUE(IsValidObjectName("db_1"));
  for (std::string name : {std::string(), std::string("a-b"), std::string("a.b"),
                           std::string("a/b"), std::string("a\0b", 3)}) {
    EXPECT_FALSE(IsValidObjectName(name)) << name;
  }
}

TEST(NamesTest, TableDirectoryNamesAreEncodedAsHiveEncodesThem) {
  EXPECT_EQ(TableDirectoryName("sales_2024"), "sales_2024");
  EXPECT_EQ(TableDirectoryName("a.b"), "a-46-b");
  EXPECT_EQ(TableDirectoryName("a/b"), "a-47-b");
  EXPECT_EQ(TableDirectoryName(".."), "-46--46-");
  EXPECT_EQ(TableDirectoryName("my-t"), "my-45-t");
}

TEST(NamesTest, ControlCharactersAndCharacterCounts) {
  EXPECT_TRUE(HasControlCharacter(std::string("a\0", 2)));
  EXPECT_TRUE(HasControlCharacter("a\x1f"));
  EXPECT_TRUE(HasControlCharacter("\x7f"));
  EXPECT_FALSE(HasControlCharacter("caf\xc3\xa9 ok"));
  EXPECT_EQ(CharacterCount("caf\xc3\xa9"), 4u);
  EXPECT_EQ(CharacterCount(""), 0u);
}

class ValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    warehouse_ = dir_.File("warehouse");
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = warehouse_;
    catalog_ = std::make_unique<CatalogService>(store_.get(), options, [] { return 1000; });
  }

  static Table MakeTable(const std::string& name, const std::string& type = "int") {
    Table t;
    t.database = "default";
    t.name = name;
    t.sd.columns = {{"c", type, ""}};
    t.partition_keys = {{"ds", "string", ""}};
    return t;
  }

  static bool IsStoreLimit(const absl::Status& status) {
    return absl::IsInvalidArgument(status) && SubjectOf(status) == ErrorSubject::kStoreLimit;
  }

  bool TableExists(const std::string& name) {
    return catalog_->GetTable(kDefaultCatalog, "default", name).ok();
  }

  testing::TempDir dir_;
  std::string warehouse_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"alice"};
};

TEST_F(ValidationTest, InvalidColumnTypeIsRefusedAndNothingIsStored) {
  absl::Status status = catalog_->CreateTable(ctx_, MakeTable("t", "notatype")).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << status;
  EXPECT_EQ(SubjectOf(status), ErrorSubject::kNone);
  EXPECT_THAT(status.message(), HasSubstr("Invalid column type: notatype"));
  EXPECT_THAT(status.message(), HasSubstr("column c of table default.t"));
  EXPECT_FALSE(TableExists("t"));
}

TEST_F(ValidationTest, InvalidPartitionKeyTypeNamesThePartitionColumn) {
  Table t = MakeTable("t");
  t.partition_keys[0].type = "array<";
  absl::Status status = catalog_->CreateTable(ctx_, t).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("Invalid partition column type: array<"));
  EXPECT_THAT(status.message(), HasSubstr("partition column ds"));
}

TEST_F(ValidationTest, ControlCharacterInColumnNameIsRefused) {
  Table t = MakeTable("t");
  t.sd.columns[0].name = std::string("a\0b", 3);
  absl::Status status = catalog_->CreateTable(ctx_, t).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("Invalid column name: 'a\\x00b'"));
  EXPECT_FALSE(TableExists(t.name));
}

TEST_F(ValidationTest, OverlongNamesAreStoreLimits) {
  absl::Status status = catalog_->CreateTable(ctx_, MakeTable(std::string(10'000, 'a'))).status();
  EXPECT_TRUE(IsStoreLimit(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("Table name aaaa"));
  EXPECT_THAT(status.message(), HasSubstr("longer than 256 characters"));
  EXPECT_TRUE(catalog_->CreateTable(ctx_, MakeTable(std::string(256, 'a'))).ok());

  Table t = MakeTable("t");
  t.sd.columns[0].name = std::string(10'000, 'c');
  status = catalog_->CreateTable(ctx_, t).status();
  EXPECT_TRUE(IsStoreLimit(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("longer than 767 characters"));
  EXPECT_FALSE(TableExists("t"));
}

TEST_F(ValidationTest, InvalidTableNameIsRefused) {
  absl::Status status = catalog_->CreateTable(ctx_, MakeTable(std::string("a\0", 2))).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("is not a valid object name"));
  status = catalog_->CreateTable(ctx_, MakeTable("a\\b")).status();
  EXPECT_THAT(status.message(), HasSubstr("is not a valid object name"));
}

TEST_F(ValidationTest, SpecialTableNamesGetDirectoriesInsideTheirDatabase) {
  for (const char* name : {"my-table", "a.b", "..", "a/b"}) {
    absl::StatusOr<Table> created = catalog_->CreateTable(ctx_, MakeTable(name));
    ASSERT_TRUE(created.ok()) << name << ": " << created.status();
    const std::string location = created->sd.location;
    EXPECT_EQ(location.rfind("file:" + warehouse_ + "/", 0), 0u) << location;
    const std::string leaf = location.substr(location.rfind('/') + 1);
    EXPECT_EQ(leaf, TableDirectoryName(name));
    EXPECT_TRUE(std::filesystem::is_directory(warehouse_ + "/" + leaf)) << location;
  }
}

TEST_F(ValidationTest, AlterReportsValidationAsFailedPrecondition) {
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("t")).ok());
  absl::Status status = catalog_->AlterTable(ctx_, kDefaultCatalog, "default", "t",
                                             MakeTable("t", "notatype"), AlterTableOptions{});
  EXPECT_TRUE(absl::IsFailedPrecondition(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("Invalid column type: notatype"));
  EXPECT_EQ(catalog_->GetTable(kDefaultCatalog, "default", "t")->sd.columns[0].type, "int");
}

TEST_F(ValidationTest, PartitionValuesWithControlCharactersAreStoreLimits) {
  ASSERT_TRUE(catalog_->CreateTable(ctx_, MakeTable("t")).ok());
  absl::Status status =
      catalog_->AppendPartition(ctx_, kDefaultCatalog, "default", "t", {std::string("x\0y", 3)})
          .status();
  EXPECT_TRUE(IsStoreLimit(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("for key ds of table default.t"));
  Partition part;
  part.values = {std::string(257, 'v')};
  status = catalog_->AddPartitions(ctx_, kDefaultCatalog, "default", "t", {part}, false).status();
  EXPECT_TRUE(IsStoreLimit(status)) << status;
  EXPECT_THAT(status.message(), HasSubstr("longer than 256 characters"));
  EXPECT_EQ(*catalog_->CountPartitions(kDefaultCatalog, "default", "t", {}), 0);
}

TEST_F(ValidationTest, DatabaseAndFunctionNames) {
  Database db;
  db.name = "a-b";
  absl::Status status = catalog_->CreateDatabase(ctx_, db).status();
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("a-b is not a valid database name"));
  db.name = std::string(129, 'd');
  EXPECT_TRUE(IsStoreLimit(catalog_->CreateDatabase(ctx_, db).status()));
  Function fn;
  fn.database = "default";
  fn.name = std::string("f\0", 2);
  fn.class_name = "x.Y";
  EXPECT_TRUE(absl::IsInvalidArgument(catalog_->CreateFunction(ctx_, fn)));
}

}  // namespace
}  // namespace almanac
