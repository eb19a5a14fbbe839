// Partition listings: ListPartitions, ListPartitionNames and CountPartitions, which stream in
// pages and honour names, filters and max_results.

#include <algorithm>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/partition_filter.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int kPartitions = 2500;  // More than two listing pages.

PartitionQuery Limit(int64_t max_results) {
  PartitionQuery query;
  query.max_results = max_results;
  return query;
}

class PartitionListingTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    table_ = CreateTable(MakeTable("sales", "events", {{"day", "string", ""}, {"n", "int", ""}}));
    std::vector<Partition> parts;
    for (int i = 0; i < kPartitions; ++i) {
      parts.push_back(MakePartition(table_, {absl::StrFormat("d%05d", i), absl::StrCat(i % 50)},
                                    absl::StrCat("p", i)));
    }
    ASSERT_TRUE(Write([&](WriteTxn& txn) { return txn.AddPartitions(table_, parts); }).ok());
  }

  static std::string NameOf(int i) { return absl::StrFormat("day=d%05d/n=%d", i, i % 50); }

  std::vector<std::string> Names(const PartitionQuery& query) {
    std::vector<std::string> names;
    absl::Status status = Read([&](ReadView& view) {
      return view.ListPartitionNames(table_, query, [&](std::string&& name) {
        names.push_back(std::move(name));
        return true;
      });
    });
    EXPECT_TRUE(status.ok()) << status;
    return names;
  }

  int64_t Count(const PartitionQuery& query) {
    return ReadValue<int64_t>([&](ReadView& v) { return v.CountPartitions(table_, query); });
  }

  static FilterNode Condition(const std::string& key, int key_index, FilterOp op,
                              FilterLiteral value) {
    FilterNode node;
    node.kind = FilterNode::Kind::kCondition;
    node.condition = FilterCondition{key, key_index, op, std::move(value)};
    return node;
  }

  Table table_;
};

TEST_F(PartitionListingTest, ListsEveryPartitionInNameOrderAcrossPages) {
  std::vector<Partition> parts;
  ASSERT_TRUE(Read([&](ReadView& view) {
                return view.ListPartitions(table_, {}, [&](Partition&& p) {
                  parts.push_back(std::move(p));
                  return true;
                });
              }).ok());
  ASSERT_EQ(parts.size(), static_cast<size_t>(kPartitions));
  for (int i = 0; i < kPartitions; ++i) {
    EXPECT_EQ(parts[i].values[0], absl::StrFormat("d%05d", i));
    EXPECT_EQ(parts[i].sd.location, absl::StrCat(table_.sd.location, "/p", i));
    EXPECT_EQ(parts[i].sd.columns, table_.sd.columns);
    EXPECT_EQ(parts[i].table, "events");
  }
  std::vector<std::string> names = Names({});
  ASSERT_EQ(names.size(), static_cast<size_t>(kPartitions));
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(names[1234], NameOf(1234));
}

TEST_F(PartitionListingTest, VisitorCanStopEarly) {
  int visited = 0;
  ASSERT_TRUE(Read([&](ReadView& view) {
                return view.ListPartitions(table_, {},
                                           [&](Partition&&) { return ++visited < 1500; });
              }).ok());
  EXPECT_EQ(visited, 1500);
  visited = 0;
  ASSERT_TRUE(Read([&](ReadView& view) {
                return view.ListPartitionNames(table_, {},
                                               [&](std::string&&) { return ++visited < 3; });
              }).ok());
  EXPECT_EQ(visited, 3);
}

TEST_F(PartitionListingTest, VisitorMayQueryTheSameView) {
  int checked = 0;
  absl::Status status = Read([&](ReadView& view) {
    return view.ListPartitions(table_, Limit(5), [&](Partition&& p) {
      absl::StatusOr<Partition> again = view.GetPartition(table_, p.values);
      EXPECT_TRUE(again.ok() && *again == p);
      int inner = 0;
      EXPECT_TRUE(view.ListPartitionNames(table_, Limit(2),
                                          [&](std::string&&) {
                                            ++inner;
                                            return true;
                                          })
                      .ok());
      EXPECT_EQ(inner, 2);
      ++checked;
      return true;
    });
  });
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(checked, 5);
}

TEST_F(PartitionListingTest, MaxResultsLimitsTheListing) {
  EXPECT_EQ(Names(Limit(1200)).size(), 1200u);
  EXPECT_THAT(Names(Limit(2)), ElementsAre(NameOf(0), NameOf(1)));
  EXPECT_THAT(Names(Limit(0)), IsEmpty());
}

TEST_F(PartitionListingTest, NamesSelectExistingPartitionsInOrder) {
  PartitionQuery query;
  query.names = {NameOf(42), "day=nope/n=1", NameOf(7), NameOf(42), NameOf(2000)};
  EXPECT_THAT(Names(query), ElementsAre(NameOf(7), NameOf(42), NameOf(2000)));
  EXPECT_EQ(Count(query), 3);
  query.max_results = 1;
  EXPECT_THAT(Names(query), ElementsAre(NameOf(7)));
}

TEST_F(PartitionListingTest, ManyNamesStream) {
  PartitionQuery query;
  query.names.emplace();
  for (int i = 0; i < kPartitions; i += 2) query.names->push_back(NameOf(i));
  for (int i = 0; i < 1500; ++i) query.names->push_back(absl::StrCat("day=missing", i, "/n=0"));
  EXPECT_EQ(Names(query).size(), static_cast<size_t>(kPartitions / 2));
}

TEST_F(PartitionListingTest, CountsAll) {
  EXPECT_EQ(Count({}), kPartitions);
  Table other = CreateTable(MakeTable("sales", "empty", table_.partition_keys));
  EXPECT_EQ(ReadValue<int64_t>([&](ReadView& v) { return v.CountPartitions(other, {}); }), 0);
}

TEST_F(PartitionListingTest, FilterOnStringKey) {
  const FilterNode filter =
      Condition("day", 0, FilterOp::kEq, {FilterLiteral::Kind::kString, "d00042", 0});
  PartitionQuery query;
  query.filter = &filter;
  EXPECT_THAT(Names(query), ElementsAre(NameOf(42)));
  EXPECT_EQ(Count(query), 1);
}

TEST_F(PartitionListingTest, FilterOnIntegerKeyCombinesWithNamesAndLimit) {
  const FilterNode filter =
      Condition("n", 1, FilterOp::kLt, {FilterLiteral::Kind::kInteger, "2", 2});
  PartitionQuery query;
  query.filter = &filter;
  EXPECT_EQ(Count(query), kPartitions / 50 * 2);
  std::vector<std::string> names = Names(query);
  ASSERT_EQ(names.size(), static_cast<size_t>(kPartitions / 50 * 2));
  EXPECT_EQ(names[0], NameOf(0));
  EXPECT_EQ(names[1], NameOf(1));
  EXPECT_EQ(names[2], NameOf(50));

  query.max_results = 3;
  EXPECT_EQ(Names(query).size(), 3u);
  query.max_results = -1;
  query.names = {NameOf(1), NameOf(2), NameOf(51)};
  EXPECT_THAT(Names(query), ElementsAre(NameOf(1), NameOf(51)));
  EXPECT_EQ(Count(query), 2);
}

TEST_F(PartitionListingTest, FilterValuesAreBoundNotSpliced) {
  const FilterNode filter =
      Condition("day", 0, FilterOp::kEq, {FilterLiteral::Kind::kString, "x' OR '1'='1", 0});
  PartitionQuery query;
  query.filter = &filter;
  EXPECT_THAT(Names(query), IsEmpty());
}

TEST_F(PartitionListingTest, BadFilterIsAnError) {
  const FilterNode filter =
      Condition("zzz", 7, FilterOp::kEq, {FilterLiteral::Kind::kString, "x", 0});
  PartitionQuery query;
  query.filter = &filter;
  absl::Status status = Read([&](ReadView& view) {
    return view.ListPartitionNames(table_, query, [](std::string&&) { return true; });
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
}

}  // namespace
}  // namespace almanac::testing
