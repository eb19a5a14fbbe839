// Table constraints: the pure rules of constraint_rules.h, and CatalogService's constraint calls
// over a real SQLite store (what is stored, and what a table drop leaves behind).

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/catalog_service.h"
#include "server/core/constraint_rules.h"
#include "server/core/error_subject.h"
#include "tests/server/core/test_store.h"
#include "tests/storage/temp_dir.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

ConstraintColumn Key(ConstraintKind kind, const std::string& table, const std::string& column,
                     int32_t position, const std::string& name = "") {
  ConstraintColumn c;
  c.kind = kind;
  c.database = "db";
  c.table = table;
  c.column = column;
  c.position = position;
  c.name = name;
  return c;
}

TEST(ConstraintRulesTest, GroupsKeysByNameAndUnnamedKeysByPosition) {
  std::vector<ConstraintColumn> columns = {
      Key(ConstraintKind::kPrimaryKey, "t", "a", 1, "k"),
      Key(ConstraintKind::kPrimaryKey, "t", "b", 1),
      Key(ConstraintKind::kPrimaryKey, "t", "c", 2),
      Key(ConstraintKind::kPrimaryKey, "t", "d", 2, "k"),
      Key(ConstraintKind::kPrimaryKey, "t", "e", 1),
  };
  auto groups = GroupConstraintColumns(columns);
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_THAT(*groups, SizeIs(3));
  EXPECT_EQ((*groups)[0][0].column, "a");
  EXPECT_EQ((*groups)[0][1].column, "d");
  EXPECT_EQ((*groups)[1][1].column, "c");
  EXPECT_THAT((*groups)[2], SizeIs(1));

  columns = {Key(ConstraintKind::kUnique, "t", "a", 1, "k"),
             Key(ConstraintKind::kUnique, "t", "b", 1, "k")};
  auto repeated = GroupConstraintColumns(columns);
  EXPECT_TRUE(absl::IsInvalidArgument(repeated.status()));
  EXPECT_EQ(SubjectOf(repeated.status()), ErrorSubject::kMalformedRequest);

  // Not-null constraints have one column each, whatever their names.
  columns = {Key(ConstraintKind::kNotNull, "t", "a", 1, "k"),
             Key(ConstraintKind::kNotNull, "t", "b", 1, "k")};
  auto single = GroupConstraintColumns(columns);
  ASSERT_TRUE(single.ok());
  EXPECT_THAT(*single, SizeIs(2));
}

TEST(ConstraintRulesTest, NormalizesNamesAndBoundsTheCall) {
  std::vector<ConstraintColumn> columns = {Key(ConstraintKind::kNotNull, "T", "Col", 7, "NN")};
  columns[0].catalog = "";
  columns[0].value = "dropped";
  ASSERT_TRUE(NormalizeConstraintColumns(ConstraintKind::kNotNull, "Other", columns).ok());
  EXPECT_EQ(columns[0].catalog, "other");
  EXPECT_EQ(columns[0].table, "t");
  EXPECT_EQ(columns[0].column, "col");
  EXPECT_EQ(columns[0].name, "nn");
  EXPECT_EQ(columns[0].position, 1);
  EXPECT_EQ(columns[0].value, "");

  columns.assign(kMaxConstraintColumnsPerCall + 1, Key(ConstraintKind::kNotNull, "t", "c", 1));
  EXPECT_EQ(SubjectOf(NormalizeConstraintColumns(ConstraintKind::kNotNull, "hive", columns)),
            ErrorSubject::kMalformedRequest);

  columns = {Key(ConstraintKind::kDefault, "t", "c", 1)};
  columns[0].value = std::string(kMaxConstraintValueChars + 1, 'x');
  EXPECT_EQ(SubjectOf(NormalizeConstraintColumns(ConstraintKind::kDefault, "hive", columns)),
            ErrorSubject::kStoreLimit);
}

TEST(ConstraintRulesTest, GeneratedNamesHashTheirPartsAsJavaDoes) {
  // Java: "{a}".hashCode() == 121335.
  EXPECT_EQ(GeneratedConstraintName({"a"}, 1000, 0), "a_121335_1000_0");
  EXPECT_EQ(GeneratedConstraintName({"db", "t", "c", "pk"}, 5, 3).substr(0, 3), "pk_");
}

class ConstraintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenTestStore(dir_, &store_));
    CatalogOptions options;
    options.warehouse_root = "file:" + dir_.File("warehouse");
    catalog_ = std::make_unique<CatalogService>(store_.get(), options);
    Database db;
    db.name = "db";
    ASSERT_TRUE(catalog_->CreateDatabase(ctx_, db).ok());
    for (const char* name : {"parent", "child"}) {
      Table table;
      table.database = "db";
      table.name = name;
      table.sd.columns = {{"id", "bigint", ""}, {"code", "int", ""}};
      ASSERT_TRUE(catalog_->CreateTable(ctx_, table).ok());
    }
  }

  // Every constraint row stored on or referencing table `id`.
  std::vector<ConstraintColumn> Stored(int64_t id) {
    std::vector<ConstraintColumn> rows;
    EXPECT_TRUE(store_
                    ->Read([&](ReadView& view) -> absl::Status {
                      auto on = view.ListConstraints({.kind = std::nullopt, .table_id = id});
                      auto to = view.ListConstraints(
                          {.kind = std::nullopt, .table_id = 0, .parent_table_id = id});
                      if (!on.ok()) return on.status();
                      if (!to.ok()) return to.status();
                      rows = *on;
                      rows.insert(rows.end(), to->begin(), to->end());
                      return absl::OkStatus();
                    })
                    .ok());
    return rows;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<CatalogService> catalog_;
  RequestContext ctx_{"tester"};
};

TEST_F(ConstraintsTest, DroppingEitherTableRemovesTheStoredRows) {
  ASSERT_TRUE(catalog_
                  ->AddConstraints(ctx_, ConstraintKind::kPrimaryKey,
                                   {Key(ConstraintKind::kPrimaryKey, "parent", "id", 1, "pk")})
                  .ok());
  ConstraintColumn fk = Key(ConstraintKind::kForeignKey, "child", "id", 1, "fk");
  fk.parent_database = "db";
  fk.parent_table = "parent";
  fk.parent_column = "id";
  fk.update_rule = 1;
  ASSERT_TRUE(catalog_->AddConstraints(ctx_, ConstraintKind::kForeignKey, {fk}).ok());
  const int64_t parent_id = catalog_->GetTable("hive", "db", "parent")->id;
  const int64_t child_id = catalog_->GetTable("hive", "db", "child")->id;

  auto keys = catalog_->ListConstraints(ConstraintKind::kForeignKey, "HIVE", "DB", "Child");
  ASSERT_TRUE(keys.ok());
  ASSERT_THAT(*keys, SizeIs(1));
  EXPECT_EQ((*keys)[0].parent_key_name, "pk");
  EXPECT_EQ((*keys)[0].update_rule, 1);
  EXPECT_THAT(Stored(parent_id), SizeIs(2));  // Its key, and the foreign key referencing it.

  ASSERT_TRUE(catalog_->DropTable(ctx_, "hive", "db", "parent", true).ok());
  EXPECT_THAT(Stored(parent_id), IsEmpty());
  EXPECT_THAT(Stored(child_id), IsEmpty());
}

TEST_F(ConstraintsTest, RefusalsNameWhatWasWrong) {
  absl::Status missing = catalog_->AddConstraints(
      ctx_, ConstraintKind::kNotNull, {Key(ConstraintKind::kNotNull, "nosuch", "id", 1)});
  EXPECT_TRUE(absl::IsInvalidArgument(missing));
  EXPECT_EQ(missing.message(), "Parent table not found: nosuch");

  ASSERT_TRUE(catalog_
                  ->AddConstraints(ctx_, ConstraintKind::kPrimaryKey,
                                   {Key(ConstraintKind::kPrimaryKey, "parent", "id", 1)})
                  .ok());
  absl::Status second = catalog_->AddConstraints(
      ctx_, ConstraintKind::kPrimaryKey, {Key(ConstraintKind::kPrimaryKey, "parent", "code", 1)});
  EXPECT_TRUE(absl::IsFailedPrecondition(second));
  EXPECT_EQ(second.message(), "Primary key already exists for: hive.db.parent");

  absl::Status dropped = catalog_->DropConstraint(ctx_, "hive", "db", "parent", "nosuch");
  EXPECT_TRUE(absl::IsNotFound(dropped));
  EXPECT_THAT(dropped.message(), HasSubstr("does not exist for the associated table: db.parent"));
}

}  // namespace
}  // namespace almanac
