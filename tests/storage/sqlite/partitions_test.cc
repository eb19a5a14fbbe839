// Partition writes and point reads: AddPartitions, GetPartition, UpdatePartition,
// DeletePartition, MovePartitionLocations, shared storage descriptors and partition_values.

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/storage/sqlite/store_fixture.h"

namespace almanac::testing {
namespace {

using ::testing::HasSubstr;

class PartitionsTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    table_ = CreateTable(MakeTable("sales", "events", {{"ds", "string", ""}, {"hr", "int", ""}}));
  }

  absl::Status Add(const std::vector<Partition>& parts) {
    return Write([&](WriteTxn& txn) { return txn.AddPartitions(table_, parts); });
  }

  Partition Get(const std::vector<std::string>& values) {
    return ReadValue<Partition>([&](ReadView& v) { return v.GetPartition(table_, values); });
  }

  absl::StatusCode GetCode(const std::vector<std::string>& values) {
    return Read([&](ReadView& v) { return v.GetPartition(table_, values).status(); }).code();
  }

  Table table_;
};

TEST_F(PartitionsTest, AddAndGet) {
  Partition p = MakePartition(table_, {"2024-01-01", "7"}, "ds=2024-01-01/hr=7");
  p.sd.columns.push_back({"only_here", "string", ""});  // A partition may differ from its table.
  p.write_id = 12;
  ASSERT_TRUE(Add({p}).ok());
  Partition got = Get({"2024-01-01", "7"});
  p.catalog = "hive";
  EXPECT_EQ(got, p);
}

TEST_F(PartitionsTest, MissingPartitionIsNotFound) {
  EXPECT_EQ(GetCode({"2024-01-01", "7"}), absl::StatusCode::kNotFound);
}

TEST_F(PartitionsTest, WrongValueCountIsInvalidArgument) {
  EXPECT_EQ(GetCode({"2024-01-01"}), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Add({MakePartition(table_, {"a", "1", "x"}, "x")}).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PartitionsTest, DuplicateIsAlreadyExistsNamingThePartition) {
  ASSERT_TRUE(Add({MakePartition(table_, {"2024-01-01", "7"}, "a")}).ok());
  absl::Status dup = Add({MakePartition(table_, {"2024-01-01", "8"}, "b"),
                          MakePartition(table_, {"2024-01-01", "7"}, "c")});
  EXPECT_EQ(dup.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(dup.message()), HasSubstr("ds=2024-01-01/hr=7"));
  EXPECT_EQ(GetCode({"2024-01-01", "8"}), absl::StatusCode::kNotFound);  // Rolled back.
}

TEST_F(PartitionsTest, ValuesNeedingEscapesAreStoredUnderTheHiveName) {
  ASSERT_TRUE(Add({MakePartition(table_, {"a/b:c=d", "1"}, "x")}).ok());
  EXPECT_EQ(Get({"a/b:c=d", "1"}).values, (std::vector<std::string>{"a/b:c=d", "1"}));
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partitions WHERE part_name = "
                     "'ds=a%2Fb%3Ac%3Dd/hr=1'"),
            1);
}

TEST_F(PartitionsTest, FiveThousandPartitionsInOneWriteShareOneTemplate) {
  std::vector<Partition> parts;
  for (int i = 0; i < 5000; ++i) {
    parts.push_back(MakePartition(table_,
                                  {absl::StrCat("2024-01-", 1 + i / 24), absl::StrCat(i % 24)},
                                  absl::StrCat("p", i)));
  }
  ASSERT_TRUE(Add(parts).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partitions"), 5000);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sd_templates"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values"), 10000);
  EXPECT_EQ(Get({"2024-01-1", "5"}).sd.location, table_.sd.location + "/p5");
  EXPECT_EQ(Get({"2024-01-1", "5"}).sd.columns, table_.sd.columns);

  // A second table with the same schema and formats reuses the same template.
  Table other = CreateTable(MakeTable("sales", "events2", table_.partition_keys));
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.AddPartitions(other, {MakePartition(other, {"x", "1"}, "y")});
              }).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sd_templates"), 1);

  // A different schema gets a template of its own.
  Partition evolved = MakePartition(table_, {"2025-01-01", "0"}, "z");
  evolved.sd.columns.push_back({"added", "int", ""});
  ASSERT_TRUE(Add({evolved}).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM sd_templates"), 2);
}

TEST_F(PartitionsTest, PartitionValuesIndexIntegerKeys) {
  ASSERT_TRUE(Add({MakePartition(table_, {"2024-01-01", "07"}, "a"),
                   MakePartition(table_, {"2024-01-02", ""}, "b"),
                   MakePartition(table_, {"2024-01-03", "-12"}, "c"),
                   MakePartition(table_, {"2024-01-04", "x1"}, "d")})
                  .ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values WHERE key_index = 0 AND "
                     "int_value IS NULL"),
            4);  // ds is a string key.
  EXPECT_EQ(QueryInt("SELECT SUM(int_value) FROM partition_values WHERE key_index = 1"), -5);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values WHERE key_index = 1 AND "
                     "int_value IS NULL"),
            2);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values WHERE key_index = 1 AND value = '07'"),
            1);
}

TEST_F(PartitionsTest, UpdateInPlaceAndRename) {
  ASSERT_TRUE(Add({MakePartition(table_, {"2024-01-01", "1"}, "a"),
                   MakePartition(table_, {"2024-01-01", "2"}, "b")})
                  .ok());
  Partition p = Get({"2024-01-01", "1"});
  p.parameters["numRows"] = "99";
  p.sd.location = "file:/moved";
  p.last_access_time = 5;
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.UpdatePartition(table_, {"2024-01-01", "1"}, p);
              }).ok());
  EXPECT_EQ(Get({"2024-01-01", "1"}), p);

  Partition renamed = p;
  renamed.values = {"2024-02-02", "3"};
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.UpdatePartition(table_, {"2024-01-01", "1"}, renamed);
              }).ok());
  EXPECT_EQ(GetCode({"2024-01-01", "1"}), absl::StatusCode::kNotFound);
  EXPECT_EQ(Get({"2024-02-02", "3"}), renamed);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values WHERE value = '2024-02-02'"), 1);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values"), 4);

  Partition collide = renamed;
  collide.values = {"2024-01-01", "2"};
  EXPECT_EQ(Write([&](WriteTxn& txn) {
              return txn.UpdatePartition(table_, {"2024-02-02", "3"}, collide);
            }).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Write([&](WriteTxn& txn) {
              return txn.UpdatePartition(table_, {"1999-01-01", "0"}, collide);
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PartitionsTest, DeletePartitionRemovesItsValuesAndStats) {
  ASSERT_TRUE(Add({MakePartition(table_, {"2024-01-01", "1"}, "a"),
                   MakePartition(table_, {"2024-01-01", "2"}, "b")})
                  .ok());
  ColumnStatistics stats;
  stats.columns = {{"id", "bigint", {}}};
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.UpsertPartitionColumnStats(table_, {"2024-01-01", "1"}, stats);
              }).ok());
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.DeletePartition(table_, {"2024-01-01", "1"});
              }).ok());
  EXPECT_EQ(GetCode({"2024-01-01", "1"}), absl::StatusCode::kNotFound);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values"), 2);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM part_col_stats"), 0);
  EXPECT_EQ(Write([&](WriteTxn& txn) {
              return txn.DeletePartition(table_, {"2024-01-01", "1"});
            }).code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PartitionsTest, DeleteTableRemovesPartitionsButKeepsHistory) {
  ASSERT_TRUE(Add({MakePartition(table_, {"2024-01-01", "1"}, "a")}).ok());
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> absl::Status {
                TableVersion v;
                v.operation = "CREATE";
                v.definition = table_;
                absl::Status s = txn.AppendTableVersion(table_.id, v).status();
                if (!s.ok()) return s;
                ColumnStatistics stats;
                stats.columns = {{"id", "bigint", {}}};
                s = txn.UpsertTableColumnStats(table_, stats);
                if (!s.ok()) return s;
                return txn.DeleteTable(table_.id);
              }).ok());
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partitions"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM partition_values"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM tab_col_stats"), 0);
  EXPECT_EQ(QueryInt("SELECT COUNT(*) FROM table_versions"), 1);

  // A new table never reuses the dropped table's id, so its history stays separate.
  Table again = CreateTable(MakeTable("sales", "events", table_.partition_keys));
  EXPECT_GT(again.id, table_.id);
}

TEST_F(PartitionsTest, MovePartitionLocationsRewritesMatchingPrefixes) {
  Partition inside = MakePartition(table_, {"a", "1"}, "x");
  inside.sd.location = "file:/warehouse/sales.db/events/ds=a/hr=1";
  Partition outside = MakePartition(table_, {"b", "1"}, "x");
  outside.sd.location = "s3://elsewhere/b";
  Partition unicode = MakePartition(table_, {"c", "1"}, "x");
  unicode.sd.location = "file:/warehouse/sales.db/events/caf\xC3\xA9";
  ASSERT_TRUE(Add({inside, outside, unicode}).ok());
  ASSERT_TRUE(Write([&](WriteTxn& txn) {
                return txn.MovePartitionLocations(table_.id, "file:/warehouse/sales.db/events",
                                                  "file:/warehouse/sales.db/events_renamed");
              }).ok());
  EXPECT_EQ(Get({"a", "1"}).sd.location, "file:/warehouse/sales.db/events_renamed/ds=a/hr=1");
  EXPECT_EQ(Get({"b", "1"}).sd.location, "s3://elsewhere/b");
  EXPECT_EQ(Get({"c", "1"}).sd.location, "file:/warehouse/sales.db/events_renamed/caf\xC3\xA9");
}

TEST_F(PartitionsTest, UnpartitionedTableHasNoPartitions) {
  Table flat = CreateTable(MakeTable("sales", "flat"));
  absl::Status status =
      Write([&](WriteTxn& txn) { return txn.AddPartitions(flat, {MakePartition(flat, {}, "x")}); });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace almanac::testing
