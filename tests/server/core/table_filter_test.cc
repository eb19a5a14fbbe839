#include "server/core/table_filter.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/filter_parser.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Table MakeTable(const std::string& name, const std::string& owner, int32_t last_access,
                Params params) {
  Table t;
  t.name = name;
  t.owner = owner;
  t.last_access_time = last_access;
  t.parameters = std::move(params);
  return t;
}

// The tables of Hive's TestTablesList: owners, last access times and a parameter.
std::vector<Table> Tables() {
  return {MakeTable("t0", "Owner1", 1000, {{"param1", "value1"}}),
          MakeTable("t1", "Owner1", 2000, {{"param1", "value2"}}),
          MakeTable("t2", "Owner2", 1000, {{"param1", "value2"}}),
          MakeTable("t3", "Owner3", 3000, {{"param1", "value2"}}),
          MakeTable("t4", "Tester", 2500, {{"param1", "value4"}}),
          MakeTable("t5", "", 0, {})};
}

std::vector<std::string> Matching(const std::string& text) {
  absl::StatusOr<TableFilter> filter = TableFilter::Compile(text);
  EXPECT_TRUE(filter.ok()) << text << ": " << filter.status();
  std::vector<std::string> names;
  if (!filter.ok()) return names;
  for (const Table& t : Tables()) {
    if (filter->Matches(t)) names.push_back(t.name);
  }
  return names;
}

std::string ErrorOf(const std::string& text) {
  absl::StatusOr<TableFilter> filter = TableFilter::Compile(text);
  EXPECT_FALSE(filter.ok()) << text;
  EXPECT_TRUE(absl::IsInvalidArgument(filter.status())) << filter.status();
  return std::string(filter.status().message());
}

using Names = std::vector<std::string>;

TEST(TableFilterTest, OwnerComparesItsName) {
  EXPECT_EQ(Matching("hive_filter_field_owner__=\"Owner1\""), (Names{"t0", "t1"}));
  EXPECT_EQ(Matching("hive_filter_field_owner__ <> \"Owner1\""),
            (Names{"t2", "t3", "t4"}));  // No owner matches nothing.
  EXPECT_EQ(Matching("hive_filter_field_owner__ > 'Owner2'"), (Names{"t3", "t4"}));
}

TEST(TableFilterTest, OwnerLikeIsAWholeValueRegularExpression) {
  EXPECT_EQ(Matching("hive_filter_field_owner__ LIKE \"Owner.*\""),
            (Names{"t0", "t1", "t2", "t3"}));
  EXPECT_EQ(Matching("hive_filter_field_owner__ like \"Owner\""), (Names{}));
}

TEST(TableFilterTest, LastAccessTakesIntegersAndEveryOperatorButLike) {
  EXPECT_EQ(Matching("hive_filter_field_last_access__=1000"), (Names{"t0", "t2"}));
  EXPECT_EQ(Matching("hive_filter_field_last_access__<=2000"), (Names{"t0", "t1", "t2", "t5"}));
  EXPECT_EQ(Matching("hive_filter_field_last_access__ > 2000"), (Names{"t3", "t4"}));
  EXPECT_EQ(Matching("2000 < hive_filter_field_last_access__"), (Names{"t3", "t4"}));
  EXPECT_EQ(Matching("hive_filter_field_last_access__ between 1000 and 2000"),
            (Names{"t0", "t1", "t2"}));
  EXPECT_THAT(ErrorOf("hive_filter_field_last_access__ like \"1.*\""),
              HasSubstr("LIKE is not supported"));
  EXPECT_THAT(ErrorOf("hive_filter_field_last_access__ = \"1000\""), HasSubstr("takes an integer"));
}

TEST(TableFilterTest, ParametersMatchOnlyTablesThatHaveThem) {
  EXPECT_EQ(Matching("hive_filter_field_params__param1=\"value2\""), (Names{"t1", "t2", "t3"}));
  EXPECT_EQ(Matching("hive_filter_field_params__param1<>\"value2\""), (Names{"t0", "t4"}));
  EXPECT_EQ(Matching("hive_filter_field_params__param1 != 'value2'"), (Names{"t0", "t4"}));
  EXPECT_EQ(Matching("hive_filter_field_params__param1 LIKE 'value[14]'"), (Names{"t0", "t4"}));
  EXPECT_THAT(ErrorOf("hive_filter_field_params__param1 < 'value2'"),
              HasSubstr("only =, <>, != and LIKE"));
}

TEST(TableFilterTest, DottedParameterKeysAndIntegerValues) {
  absl::StatusOr<TableFilter> filter = TableFilter::Compile(
      "hive_filter_field_params__spark.sql.sources.provider = 'delta' and "
      "hive_filter_field_params__numFiles = 3");
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_TRUE(filter->Matches(
      MakeTable("d", "o", 0, {{"spark.sql.sources.provider", "delta"}, {"numFiles", "3"}})));
  EXPECT_FALSE(filter->Matches(MakeTable("d", "o", 0, {{"spark.sql.sources.provider", "delta"}})));
}

TEST(TableFilterTest, AndOrAndParentheses) {
  EXPECT_EQ(Matching("hive_filter_field_last_access__<3000 and (hive_filter_field_owner__="
                     "\"Tester\" or hive_filter_field_params__param1=\"value2\")"),
            (Names{"t1", "t2", "t4"}));
  EXPECT_EQ(Matching("hive_filter_field_owner__ = 'Owner3' OR hive_filter_field_owner__ = "
                     "'Owner2' AND hive_filter_field_last_access__ = 1000"),
            (Names{"t2", "t3"}));
  EXPECT_EQ(Matching("hive_filter_field_owner__ in ('Owner2', 'Tester')"), (Names{"t2", "t4"}));
}

TEST(TableFilterTest, RequiredParameterComesFromATopLevelEquality) {
  auto required = [](const std::string& text) {
    return TableFilter::Compile(text).value().RequiredParameter();
  };
  EXPECT_EQ(required("hive_filter_field_params__k = 'v'"),
            std::make_optional(std::make_pair(std::string("k"), std::string("v"))));
  EXPECT_EQ(required("hive_filter_field_owner__ = 'o' and hive_filter_field_params__k = 'v'"),
            std::make_optional(std::make_pair(std::string("k"), std::string("v"))));
  EXPECT_EQ(required("hive_filter_field_owner__ = 'o' or hive_filter_field_params__k = 'v'"),
            std::nullopt);
  EXPECT_EQ(required("hive_filter_field_params__k <> 'v'"), std::nullopt);
}

TEST(TableFilterTest, RefusesOtherKeysAndMalformedText) {
  EXPECT_THAT(ErrorOf("invalid filter"), StartsWith("Error parsing table filter"));
  EXPECT_THAT(ErrorOf("owner = 'x'"), HasSubstr("invalid key name <owner>"));
  EXPECT_THAT(ErrorOf("hive_filter_field_params__ = 'x'"), HasSubstr("invalid key name"));
  EXPECT_THAT(ErrorOf("hive_filter_field_owner__ = 3"), HasSubstr("quoted string"));
  EXPECT_THAT(ErrorOf(""), StartsWith("Error parsing table filter"));
  EXPECT_THAT(ErrorOf("'x' like hive_filter_field_owner__"), HasSubstr("RHS"));
}

TEST(TableFilterTest, BoundsThePatternsAndTheText) {
  EXPECT_THAT(ErrorOf("hive_filter_field_owner__ like '(a)\\1'"),
              HasSubstr("not a valid regular expression"));
  std::string many = "hive_filter_field_owner__ like 'a'";
  for (int i = 0; i < kMaxTableFilterLikes; ++i) many += " or hive_filter_field_owner__ like 'a'";
  EXPECT_THAT(ErrorOf(many), HasSubstr("LIKE conditions"));
  const std::string big =
      "hive_filter_field_owner__ = '" + std::string(kMaxTableFilterBytes, 'x') + "'";
  EXPECT_THAT(ErrorOf(big), HasSubstr("bytes"));
  const std::string deep = std::string(kMaxFilterNesting + 1, '(') +
                           "hive_filter_field_owner__ = 'x'" +
                           std::string(kMaxFilterNesting + 1, ')');
  EXPECT_THAT(ErrorOf(deep), HasSubstr("nest"));
}

TEST(TableFilterTest, BacktrackingPatternsRunInLinearTime) {
  absl::StatusOr<TableFilter> filter =
      TableFilter::Compile("hive_filter_field_params__k LIKE \"(a|a)*b\"");
  ASSERT_TRUE(filter.ok());
  EXPECT_FALSE(filter->Matches(MakeTable("t", "o", 0, {{"k", std::string(100000, 'a')}})));
}

}  // namespace
}  // namespace almanac
