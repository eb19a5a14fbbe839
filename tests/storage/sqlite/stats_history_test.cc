// Column statistics, table versions and the change feed.

#include <map>
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

ColumnStatsObj LongStats(const std::string& column, int64_t low, int64_t high) {
  ColumnStatsObj obj;
  obj.column = column;
  obj.type = "bigint";
  obj.data.kind = ColumnStatsData::Kind::kLong;
  obj.data.num_nulls = 1;
  obj.data.num_distinct = high - low;
  obj.data.low_long = low;
  obj.data.high_long = high;
  obj.data.bit_vectors = std::string("HLL\0\1", 5);
  return obj;
}

ColumnStatsObj StringStats(const std::string& column) {
  ColumnStatsObj obj;
  obj.column = column;
  obj.type = "string";
  obj.data.kind = ColumnStatsData::Kind::kString;
  obj.data.max_col_len = 30;
  obj.data.avg_col_len = 7.5;
  return obj;
}

class StatsHistoryTest : public SqliteStoreTest {
 protected:
  void SetUp() override {
    SqliteStoreTest::SetUp();
    table_ = CreateTable(MakeTable("sales", "events", {{"ds", "string", ""}}));
    ASSERT_TRUE(Write([&](WriteTxn& txn) {
                  return txn.AddPartitions(table_, {MakePartition(table_, {"a"}, "a"),
                                                    MakePartition(table_, {"b"}, "b")});
                }).ok());
  }

  absl::Status UpsertTable(std::vector<ColumnStatsObj> columns,
                           const std::string& engine = "hive") {
    ColumnStatistics stats;
    stats.engine = engine;
    stats.last_analyzed = 1700000000;
    stats.columns = std::move(columns);
    return Write([&](WriteTxn& txn) { return txn.UpsertTableColumnStats(table_, stats); });
  }

  absl::Status UpsertPartition(const std::string& value, std::vector<ColumnStatsObj> columns) {
    ColumnStatistics stats;
    stats.table_level = false;
    stats.columns = std::move(columns);
    return Write(
        [&](WriteTxn& txn) { return txn.UpsertPartitionColumnStats(table_, {value}, stats); });
  }

  std::vector<ColumnStatsObj> TableStats(const std::vector<std::string>& columns,
                                         const std::string& engine = "hive") {
    auto objs = ReadValue<std::vector<ColumnStatsObj>>(
        [&](ReadView& v) { return v.GetTableColumnStats(table_, engine, columns); });
    // The store reports when each column was analyzed; the rest is compared by the caller.
    for (ColumnStatsObj& obj : objs) {
      EXPECT_EQ(obj.last_analyzed, 1700000000) << obj.column;
      obj.last_analyzed = 0;
    }
    return objs;
  }

  std::map<std::string, std::vector<ColumnStatsObj>> PartitionStats(
      const std::vector<std::string>& names, const std::vector<std::string>& columns) {
    return ReadValue<std::map<std::string, std::vector<ColumnStatsObj>>>(
        [&](ReadView& v) { return v.GetPartitionColumnStats(table_, "hive", names, columns); });
  }

  Table table_;
};

TEST_F(StatsHistoryTest, TableStatsUpsertMergesColumns) {
  ASSERT_TRUE(UpsertTable({LongStats("id", 1, 10), StringStats("payload")}).ok());
  ASSERT_TRUE(UpsertTable({LongStats("id", 5, 50)}).ok());  // Replaces only `id`.
  EXPECT_THAT(TableStats({"payload", "id", "missing", "id"}),
              ElementsAre(StringStats("payload"), LongStats("id", 5, 50)));
  EXPECT_THAT(TableStats({"id"}, "spark"), IsEmpty());  // Engines are separate.
}

TEST_F(StatsHistoryTest, TableStatsDelete) {
  ASSERT_TRUE(UpsertTable({LongStats("id", 1, 10), StringStats("payload")}).ok());
  ASSERT_TRUE(UpsertTable({LongStats("id", 1, 10)}, "spark").ok());
  EXPECT_EQ(WriteValue<int64_t>(
                [&](WriteTxn& t) { return t.DeleteTableColumnStats(table_, "hive", "id"); }),
            1);
  EXPECT_EQ(WriteValue<int64_t>(
                [&](WriteTxn& t) { return t.DeleteTableColumnStats(table_, "hive", "id"); }),
            0);
  EXPECT_EQ(WriteValue<int64_t>(
                [&](WriteTxn& t) { return t.DeleteTableColumnStats(table_, "hive", ""); }),
            1);
  EXPECT_THAT(TableStats({"id"}, "spark"), ElementsAre(LongStats("id", 1, 10)));
}

TEST_F(StatsHistoryTest, PartitionStats) {
  ASSERT_TRUE(UpsertPartition("a", {LongStats("id", 1, 2), StringStats("payload")}).ok());
  ASSERT_TRUE(UpsertPartition("b", {StringStats("payload")}).ok());
  EXPECT_EQ(UpsertPartition("zzz", {StringStats("payload")}).code(), absl::StatusCode::kNotFound);

  auto stats = PartitionStats({"ds=b", "ds=a", "ds=none", "ds=a"}, {"payload", "id"});
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_THAT(stats["ds=a"], ElementsAre(StringStats("payload"), LongStats("id", 1, 2)));
  EXPECT_THAT(stats["ds=b"], ElementsAre(StringStats("payload")));
  EXPECT_THAT(PartitionStats({"ds=b"}, {"id"}), IsEmpty());

  EXPECT_EQ(WriteValue<int64_t>([&](WriteTxn& t) {
              return t.DeletePartitionColumnStats(table_, {"a"}, "hive", "");
            }),
            2);
  EXPECT_EQ(Write([&](WriteTxn& t) {
              return t.DeletePartitionColumnStats(table_, {"zzz"}, "hive", "").status();
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(PartitionStats({"ds=a", "ds=b"}, {"payload"}).size(), 1u);
}

TEST_F(StatsHistoryTest, TableVersionsAreAppendedAndReadBack) {
  Table v1 = table_;
  Table v2 = table_;
  v2.parameters["comment"] = "second";
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> absl::Status {
                TableVersion version;
                version.time = 100;
                version.principal = "alice";
                version.operation = "CREATE";
                version.event_id = 7;
                version.definition = v1;
                absl::StatusOr<int64_t> n = txn.AppendTableVersion(table_.id, version);
                EXPECT_EQ(*n, 1);
                version.time = 200;
                version.operation = "ALTER";
                version.definition = v2;
                n = txn.AppendTableVersion(table_.id, version);
                EXPECT_EQ(*n, 2);
                return n.status();
              }).ok());
  std::vector<TableVersion> versions = ReadValue<std::vector<TableVersion>>(
      [&](ReadView& v) { return v.ListTableVersions(table_.id); });
  ASSERT_EQ(versions.size(), 2u);
  EXPECT_EQ(versions[0].version, 1);
  EXPECT_EQ(versions[0].time, 100);
  EXPECT_EQ(versions[0].principal, "alice");
  EXPECT_EQ(versions[0].operation, "CREATE");
  EXPECT_EQ(versions[0].event_id, 7);
  EXPECT_EQ(versions[0].definition, v1);
  EXPECT_EQ(versions[1].version, 2);
  EXPECT_EQ(versions[1].operation, "ALTER");
  EXPECT_EQ(versions[1].definition, v2);
  EXPECT_THAT(
      ReadValue<std::vector<TableVersion>>([](ReadView& v) { return v.ListTableVersions(999); }),
      IsEmpty());
}

TEST_F(StatsHistoryTest, EventsAreNumberedAndPaged) {
  std::vector<int64_t> ids;
  ASSERT_TRUE(Write([&](WriteTxn& txn) -> absl::Status {
                for (int i = 0; i < 5; ++i) {
                  Event e{0, 1000 + i, "CREATE_TABLE", "hive", "sales", "t", "bob", "{\"i\":1}"};
                  absl::StatusOr<int64_t> id = txn.AppendEvent(e);
                  if (!id.ok()) return id.status();
                  ids.push_back(*id);
                }
                return absl::OkStatus();
              }).ok());
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));
  std::vector<Event> all =
      ReadValue<std::vector<Event>>([](ReadView& v) { return v.ListEvents(0, -1); });
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0].id, ids[0]);
  EXPECT_EQ(all[0].time, 1000);
  EXPECT_EQ(all[0].type, "CREATE_TABLE");
  EXPECT_EQ(all[0].catalog, "hive");
  EXPECT_EQ(all[0].database, "sales");
  EXPECT_EQ(all[0].table, "t");
  EXPECT_EQ(all[0].principal, "bob");
  EXPECT_EQ(all[0].detail, "{\"i\":1}");
  std::vector<Event> page =
      ReadValue<std::vector<Event>>([&](ReadView& v) { return v.ListEvents(ids[1], 2); });
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, ids[2]);
  EXPECT_EQ(page[1].id, ids[3]);

  // A rolled-back event leaves no trace.
  EXPECT_FALSE(Write([](WriteTxn& txn) -> absl::Status {
                 absl::Status s = txn.AppendEvent(Event{}).status();
                 if (!s.ok()) return s;
                 return absl::CancelledError("no");
               }).ok());
  EXPECT_EQ(ReadValue<std::vector<Event>>([](ReadView& v) { return v.ListEvents(0, -1); }).size(),
            5u);
}

}  // namespace
}  // namespace almanac::testing
