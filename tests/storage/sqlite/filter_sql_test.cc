#include "storage/sqlite/filter_sql.h"

#include <sqlite3.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/core/filter_parser.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Ids = std::vector<int64_t>;

// The schema the SQLite store creates for partition values (see filter_sql.h).
constexpr char kSchema[] = R"sql(
  CREATE TABLE partitions(part_id INTEGER PRIMARY KEY, tbl_id INTEGER NOT NULL,
                          part_name TEXT NOT NULL);
  CREATE TABLE partition_values(tbl_id INTEGER NOT NULL, key_index INTEGER NOT NULL,
                                value TEXT NOT NULL, int_value INTEGER, part_id INTEGER NOT NULL,
                                PRIMARY KEY (tbl_id, key_index, value, part_id)) WITHOUT ROWID;
  CREATE INDEX partition_values_int ON partition_values(tbl_id, key_index, int_value);
)sql";

constexpr char kDefault[] = "__HIVE_DEFAULT_PARTITION__";

std::optional<int64_t> ToInt(const std::string& text) {
  int64_t value;
  if (text.empty() || text[0] == '+' || !absl::SimpleAtoi(text, &value)) return std::nullopt;
  return value;
}

// Tables as HMS's TestHiveMetaStore builds them, plus an "events" table with string, date and
// int keys, special characters and default partitions.
const std::vector<Column> kHmsKeys = {
    {"p1", "string", ""}, {"p2", "string", ""}, {"p3", "int", ""}};
const std::vector<Column> kTwoKeys = {{"p1", "string", ""}, {"p2", "string", ""}};
const std::vector<Column> kOneKey = {{"p1", "string", ""}};
const std::vector<Column> kEventKeys = {
    {"region", "string", ""}, {"day", "date", ""}, {"hour", "int", ""}};
enum Table : int64_t { kHms = 1, kLast = 2, kSingle = 3, kEvents = 4 };

struct Event {
  int64_t id;
  std::string region, day, hour;
  std::optional<int64_t> Hour() const { return ToInt(hour); }
};

std::vector<Event> MakeEvents() {
  const std::vector<std::string> regions = {"us-east",  "us-west",  "eu-west", "eu_west",
                                            "ap.south", "ap-south", "ap*x",    "a?c",
                                            "abc",      "[x]",      "x",       kDefault};
  const std::vector<std::string> days = {"2023-12-31", "2024-01-01", "2024-01-02", "2024-02-29",
                                         kDefault};
  const std::vector<std::string> hours = {"0", "5", "12", "23", "-1", kDefault, "7"};
  std::vector<Event> events;
  for (int i = 0; i < 36; ++i) {
    events.push_back(
        {101 + i, regions[i % regions.size()], days[i % days.size()], hours[i % hours.size()]});
  }
  return events;
}

class FilterSqlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db_, kSchema, nullptr, nullptr, nullptr), SQLITE_OK);
    const std::vector<std::vector<std::string>> hms = {{"p11", "p21", "31"}, {"p11", "p22", "32"},
                                                       {"p12", "p21", "31"}, {"p12", "p23", "32"},
                                                       {"p13", "p24", "31"}, {"p13", "p25", "-33"}};
    for (size_t i = 0; i < hms.size(); ++i) Add(kHms, 1 + i, kHmsKeys, hms[i]);
    Add(kLast, 11, kTwoKeys, {"p11", "p21"});
    Add(kLast, 12, kTwoKeys, {"p11", "p22"});
    Add(kLast, 13, kTwoKeys, {"p12", "p21"});
    for (int i = 0; i < 3; ++i) Add(kSingle, 21 + i, kOneKey, {"p1" + std::to_string(i + 1)});
    for (const Event& e : events_) Add(kEvents, e.id, kEventKeys, {e.region, e.day, e.hour});
  }
  void TearDown() override { sqlite3_close(db_); }

  void Add(int64_t table, int64_t id, const std::vector<Column>& keys,
           const std::vector<std::string>& values) {
    Exec("INSERT INTO partitions VALUES (?, ?, 'name')", {SqlParam{id}, SqlParam{table}});
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::optional<int64_t> integer =
          keys[i].type == "int" ? ToInt(values[i]) : std::nullopt;
      Exec(integer ? "INSERT INTO partition_values VALUES (?, ?, ?, ?, ?)"
                   : "INSERT INTO partition_values VALUES (?, ?, ?, NULL, ?)",
           integer ? std::vector<SqlParam>{{table}, {int64_t(i)}, {values[i]}, {*integer}, {id}}
                   : std::vector<SqlParam>{{table}, {int64_t(i)}, {values[i]}, {id}});
    }
  }

  // Runs `sql` with `params`; returns column 0 (as integer) or column 3 (as text) of each row.
  std::vector<std::string> Exec(const std::string& sql, const std::vector<SqlParam>& params,
                                int column = 0) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << "\n"
        << sql;
    for (size_t i = 0; i < params.size(); ++i) {
      if (const auto* n = std::get_if<int64_t>(&params[i].value)) {
        sqlite3_bind_int64(stmt, i + 1, *n);
      } else {
        const std::string& text = std::get<std::string>(params[i].value);
        sqlite3_bind_text(stmt, i + 1, text.data(), text.size(), SQLITE_TRANSIENT);
      }
    }
    std::vector<std::string> rows;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      rows.push_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, column)));
    }
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(stmt);
    return rows;
  }

  absl::StatusOr<SqlFragment> Compile(int64_t table, const std::vector<Column>& keys,
                                      std::string_view filter) {
    absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(filter);
    if (!tree.ok()) return tree.status();
    if (absl::Status status = ResolveFilterKeys(**tree, keys); !status.ok()) return status;
    return CompileFilterSql(**tree, table, keys);
  }

  // The query the store runs, with the table id bound first.
  std::vector<std::string> Query(int64_t table, const std::vector<Column>& keys,
                                 std::string_view filter, const std::string& prefix = "",
                                 int column = 0) {
    absl::StatusOr<SqlFragment> fragment = Compile(table, keys, filter);
    EXPECT_TRUE(fragment.ok()) << filter << ": " << fragment.status();
    if (!fragment.ok()) return {"error"};
    std::vector<SqlParam> params = {{table}};
    params.insert(params.end(), fragment->params.begin(), fragment->params.end());
    return Exec(absl::StrCat(prefix, "SELECT p.part_id FROM partitions p WHERE p.tbl_id = ? AND (",
                             fragment->sql, ") ORDER BY p.part_id"),
                params, column);
  }

  Ids Matching(int64_t table, const std::vector<Column>& keys, std::string_view filter) {
    Ids ids;
    for (const std::string& id : Query(table, keys, filter)) ids.push_back(std::stoll(id));
    return ids;
  }

  Ids Expected(const std::function<bool(const Event&)>& match) const {
    Ids ids;
    for (const Event& e : events_) {
      if (match(e)) ids.push_back(e.id);
    }
    return ids;
  }

  std::vector<std::string> Plan(int64_t table, const std::vector<Column>& keys,
                                std::string_view filter) {
    return Query(table, keys, filter, "EXPLAIN QUERY PLAN ", 3);
  }

  sqlite3* db_ = nullptr;
  const std::vector<Event> events_ = MakeEvents();
};

TEST_F(FilterSqlTest, HmsTestPartitionFilter) {
  const std::vector<std::pair<std::string, Ids>> cases = {
      {R"(p1 = "p11")", {1, 2}},
      {R"(p1 = "p12")", {3, 4}},
      {R"(p2 = "p21")", {1, 3}},
      {R"(p2 = "p23")", {4}},
      {"p3 = 31", {1, 3, 5}},
      {"p3 = 33", {}},
      {"p3 = -33", {6}},
      {R"(p1 = "p11" and p2="p22")", {2}},
      {R"(p1 = "p11" or p2="p23")", {1, 2, 4}},
      {R"(p1 = "p11" or p1="p12")", {1, 2, 3, 4}},
      {R"(p1 = "p11" and p3 = 31)", {1}},
      {R"(p3 = -33 or p1 = "p12")", {3, 4, 6}},
      {R"(p1 != "p11")", {3, 4, 5, 6}},
      {R"(p2 != "p23")", {1, 2, 3, 5, 6}},
      {R"(p2 != "p33")", {1, 2, 3, 4, 5, 6}},
      {"p3 != 32", {1, 3, 5, 6}},
      {"p3 != 8589934592", {1, 2, 3, 4, 5, 6}},
      {R"(p1 != "p11" and p1 != "p12")", {5, 6}},
      {R"(p1 != "p11" and p2 != "p22")", {3, 4, 5, 6}},
      {R"(p1 != "p11" or p2 != "p22")", {1, 3, 4, 5, 6}},
      {R"(p1 != "p12" and p2 != "p25")", {1, 2, 5}},
      {R"(p1 != "p12" or p2 != "p25")", {1, 2, 3, 4, 5, 6}},
      {R"(p3 != -33 or p1 != "p13")", {1, 2, 3, 4, 5}},
      {R"(p1 != "p11" and p3 = 31)", {3, 5}},
      {R"(p3 != 31 and p1 = "p12")", {4}},
      {R"(31 != p3 and p1 = "p12")", {4}},
      {R"("p23" = p2)", {4}},
      {R"(p1 = "p11" or (p1="p12" and p2="p21"))", {1, 2, 3}},
      {R"(p1 = "p11" or (p1="p12" and p2="p21") Or (p1="p13" aNd p2="p24"))", {1, 2, 3, 5}},
      {R"(p1="p12" and (p2="p27" Or p2="p21"))", {3}},
      {R"(p1="p12" and p2="p27" Or p2="p21")", {1, 3}},
      {R"(p1 > "p12")", {5, 6}},
      {R"(p1 >= "p12")", {3, 4, 5, 6}},
      {R"(p1 < "p12")", {1, 2}},
      {R"(p1 <= "p12")", {1, 2, 3, 4}},
      {R"(p1 like "p1.*")", {1, 2, 3, 4, 5, 6}},
      {R"(p2 like "p.*3")", {4}},
      {"p3 < 0", {6}},
      {"p3 >= -33", {1, 2, 3, 4, 5, 6}},
      {"p3 > -33", {1, 2, 3, 4, 5}},
      {"p3 > 31 and p3 < 32", {}},
      {"p3 > 31 or p3 < 31", {2, 4, 6}},
      {"p3 > 30 or p3 < 30", {1, 2, 3, 4, 5, 6}},
      {"p3 >= 31 or p3 < -32", {1, 2, 3, 4, 5, 6}},
      {"p3 >= 32", {2, 4}},
      {"p3 > 32", {}},
      {R"(p1 between "p11" and "p12")", {1, 2, 3, 4}},
      {R"(p1 not between "p11" and "p12")", {5, 6}},
      {"p3 not between 0 and 2", {1, 2, 3, 4, 5, 6}},
      {"p3 between 31 and 32", {1, 2, 3, 4, 5}},
      {"p3 between 32 and 31", {}},
      {"p3 between -32 and 34 and p3 not between 31 and 32", {}},
      {"p3 between 1 and 3 or p3 not between 1 and 3", {1, 2, 3, 4, 5, 6}},
      {R"(p3 between 31 and 32 and p1 between "p12" and "p14")", {3, 4, 5}},
  };
  for (const auto& [filter, ids] : cases)
    EXPECT_EQ(Matching(kHms, kHmsKeys, filter), ids) << filter;
}

TEST_F(FilterSqlTest, HmsSingleAndLastPartitionFilters) {
  const std::vector<std::pair<std::string, Ids>> single = {{R"(p1 = "p12")", {22}},
                                                           {R"(p1 < "p12")", {21}},
                                                           {R"(p1 > "p12")", {23}},
                                                           {R"(p1 >= "p12")", {22, 23}},
                                                           {R"(p1 <= "p12")", {21, 22}},
                                                           {R"(p1 <> "p12")", {21, 23}},
                                                           {R"(p1 like "p1.*")", {21, 22, 23}},
                                                           {R"(p1 like "p.*2")", {22}}};
  for (const auto& [filter, ids] : single) EXPECT_EQ(Matching(kSingle, kOneKey, filter), ids);
  const std::vector<std::pair<std::string, Ids>> last = {
      {R"(p2 = "p21")", {11, 13}},      {R"(p2 < "p23")", {11, 12, 13}},
      {R"(p2 > "p21")", {12}},          {R"(p2 >= "p21")", {11, 12, 13}},
      {R"(p2 <= "p21")", {11, 13}},     {R"(p2 <> "p12")", {11, 12, 13}},
      {R"(p2 != "p12")", {11, 12, 13}}, {R"(p2 like "p2.*")", {11, 12, 13}},
      {R"(p2 like "p.*2")", {12}}};
  for (const auto& [filter, ids] : last) EXPECT_EQ(Matching(kLast, kTwoKeys, filter), ids);
}

TEST_F(FilterSqlTest, LikeWithRegexAndSqlWildcards) {
  auto region = [this](std::function<bool(const std::string&)> match) {
    return Expected([&](const Event& e) { return match(e.region); });
  };
  auto is = [&](std::vector<std::string> any) {
    return region([any](const std::string& r) { return absl::c_linear_search(any, r); });
  };
  auto starts = [&](std::string p) {
    return region([p](const std::string& r) { return r.rfind(p, 0) == 0; });
  };
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "us.*")"), starts("us"));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "us%")"), starts("us"));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "%west")"),
            is({"us-west", "eu-west", "eu_west"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like ".*-.*")"),
            is({"us-east", "us-west", "eu-west", "ap-south"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "%s%t")"),
            is({"us-east", "us-west", "eu-west", "eu_west"}));
  // `_` and `.` match one character; escaped, they match themselves.
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "eu_west")"), is({"eu-west", "eu_west"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "eu\_west")"), is({"eu_west"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "ap.south")"),
            is({"ap.south", "ap-south"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "ap\.south")"), is({"ap.south"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "a.+")"),
            is({"ap.south", "ap-south", "ap*x", "a?c", "abc"}));
  // GLOB's own metacharacters are literals.
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "ap*x")"), is({"ap*x"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "a?c")"), is({"a?c"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "[x]")"), is({"[x]"}));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "%")"),
            region([](auto&) { return true; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "US%")"), Ids{});  // Case-sensitive.
  EXPECT_EQ(Matching(kEvents, kEventKeys, R"(region like "__HIVE%")"), is({kDefault}));
}

TEST_F(FilterSqlTest, IntegerKeys) {
  auto hour = [this](std::function<bool(int64_t)> match) {
    return Expected([&](const Event& e) { return e.Hour().has_value() && match(*e.Hour()); });
  };
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour = 5"), hour([](int64_t h) { return h == 5; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour < 0"), hour([](int64_t h) { return h < 0; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour >= -1"), hour([](int64_t) { return true; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour > 5"), hour([](int64_t h) { return h > 5; }));
  // Numeric, not text, order: 12 > 7.
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour between 7 and 12"),
            hour([](int64_t h) { return h >= 7 && h <= 12; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour not between 0 and 12"),
            hour([](int64_t h) { return h < 0 || h > 12; }));
  // != and NOT IN keep every other number but, as in HMS, not the default partition.
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour != 5"), hour([](int64_t h) { return h != 5; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "(hour) not in (0, 23)"),
            hour([](int64_t h) { return h != 0 && h != 23; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "(hour) in (0, 23)"),
            hour([](int64_t h) { return h == 0 || h == 23; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour in (0, 23, -1)"),
            hour([](int64_t h) { return h == 0 || h == 23 || h == -1; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour = '12'"), hour([](int64_t h) { return h == 12; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour = '__HIVE_DEFAULT_PARTITION__'"),
            Expected([](const Event& e) { return e.hour == kDefault; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "hour != '__HIVE_DEFAULT_PARTITION__'"),
            Expected([](const Event& e) { return e.hour != kDefault; }));
}

TEST_F(FilterSqlTest, DateKeys) {
  auto day = [this](std::function<bool(const std::string&)> match) {
    return Expected([&](const Event& e) { return e.day != kDefault && match(e.day); });
  };
  const Ids new_year = day([](const std::string& d) { return d == "2024-01-01"; });
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day = '2024-01-01'"), new_year);
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day = 2024-01-01"), new_year);
  EXPECT_EQ(Matching(kEvents, kEventKeys, "DATE '2024-01-01' = day"), new_year);
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day > '2024-01-01'"),
            day([](const std::string& d) { return d > "2024-01-01"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day between 2024-01-01 and 2024-01-31"),
            day([](const std::string& d) { return d >= "2024-01-01" && d <= "2024-01-31"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day != 2024-01-01"),
            day([](const std::string& d) { return d != "2024-01-01"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "(day) not in (2024-01-01, '2024-02-29')"),
            day([](const std::string& d) { return d != "2024-01-01" && d != "2024-02-29"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "day = '__HIVE_DEFAULT_PARTITION__'"),
            Expected([](const Event& e) { return e.day == kDefault; }));
}

TEST_F(FilterSqlTest, StringKeysKeepTheDefaultPartition) {
  EXPECT_EQ(Matching(kEvents, kEventKeys, "(region) not in ('us-east', 'x')"),
            Expected([](const Event& e) { return e.region != "us-east" && e.region != "x"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "region > 'x'"),
            Expected([](const Event& e) { return e.region > "x"; }));
  EXPECT_EQ(Matching(kEvents, kEventKeys, "region = '__HIVE_DEFAULT_PARTITION__'"),
            Expected([](const Event& e) { return e.region == kDefault; }));
}

TEST_F(FilterSqlTest, NestedAndOrAndStructs) {
  EXPECT_EQ(Matching(kEvents, kEventKeys,
                     R"((region = "us-east" or region = "us-west") and (hour = 0 or hour = 5))"),
            Expected([](const Event& e) {
              return (e.region == "us-east" || e.region == "us-west") &&
                     (e.hour == "0" || e.hour == "5");
            }));
  EXPECT_EQ(Matching(kEvents, kEventKeys,
                     R"(region = "x" or (day = 2024-02-29 and (hour > 10 or hour < 0)))"),
            Expected([](const Event& e) {
              const std::optional<int64_t> h = e.Hour();
              return e.region == "x" ||
                     (e.day == "2024-02-29" && h.has_value() && (*h > 10 || *h < 0));
            }));
  EXPECT_EQ(Matching(kEvents, kEventKeys,
                     R"((struct(region, hour)) in (struct("us-east", 0), struct('x', 23)))"),
            Expected([](const Event& e) {
              return (e.region == "us-east" && e.hour == "0") ||
                     (e.region == "x" && e.hour == "23");
            }));
  EXPECT_EQ(Matching(kEvents, kEventKeys,
                     R"((struct(region, hour)) not in (struct("us-east", 0), struct('x', 23)))"),
            Expected([](const Event& e) {
              const bool typed = e.Hour().has_value();  // hour != n never matches the default.
              return (e.region != "us-east" || (typed && e.hour != "0")) &&
                     (e.region != "x" || (typed && e.hour != "23"));
            }));
}

TEST_F(FilterSqlTest, LiteralTextIsNeverSplicedIntoSql) {
  const std::string filter = R"(region = "x'); DROP TABLE partitions; --")";
  absl::StatusOr<SqlFragment> fragment = Compile(kEvents, kEventKeys, filter);
  ASSERT_TRUE(fragment.ok()) << fragment.status();
  EXPECT_THAT(fragment->sql, ::testing::Not(HasSubstr("DROP")));
  EXPECT_EQ(Matching(kEvents, kEventKeys, filter), Ids{});
  EXPECT_EQ(Matching(kEvents, kEventKeys, "region = 'x'").size(), 3u);
}

TEST_F(FilterSqlTest, SimpleConditionsUseAnIndex) {
  auto expect_indexed = [&](std::string_view filter, const std::string& index) {
    const std::vector<std::string> plan = Plan(kEvents, kEventKeys, filter);
    EXPECT_THAT(
        plan, ::testing::Contains(HasSubstr(absl::StrCat("SEARCH partition_values USING ", index))))
        << filter;
    EXPECT_THAT(plan, ::testing::Each(::testing::Not(HasSubstr("SCAN partition_values"))))
        << filter;
  };
  expect_indexed("region = 'us-east'", "PRIMARY KEY (tbl_id=? AND key_index=? AND value=?)");
  expect_indexed("day >= 2024-01-01", "PRIMARY KEY (tbl_id=? AND key_index=? AND value>?)");
  expect_indexed("hour > 5",
                 "COVERING INDEX partition_values_int (tbl_id=? AND key_index=? AND "
                 "int_value>?)");
  expect_indexed("hour between 1 and 5",
                 "COVERING INDEX partition_values_int (tbl_id=? AND "
                 "key_index=? AND int_value>? AND int_value<?)");
  expect_indexed("region like 'us%'",
                 "PRIMARY KEY (tbl_id=? AND key_index=? AND value>? AND value<?)");
  expect_indexed("(region) in ('a', 'b', 'c')",
                 "PRIMARY KEY (tbl_id=? AND key_index=? AND value=?)");
}

TEST_F(FilterSqlTest, LongListsStayWithinSqliteLimits) {
  std::string in_list = "(hour) in (0";
  std::string ors = "hour > 0";
  for (int i = 1; i < 5000; ++i) {
    in_list += ", " + std::to_string(i);
    ors += (i % 2 ? " or region > '" : " or hour < ") + std::to_string(i) + (i % 2 ? "'" : "");
  }
  EXPECT_EQ(Matching(kEvents, kEventKeys, in_list + ")").size(),
            Expected([](const Event& e) { return e.Hour().value_or(-1) >= 0; }).size());
  EXPECT_EQ(Matching(kEvents, kEventKeys, ors).size(),
            Expected([](const Event&) { return true; }).size());
}

// ---- Compilation without a database ----

TEST(LikeToGlobTest, TranslatesBothWildcardStyles) {
  auto glob = [](std::string_view like) { return LikeToGlob(like).glob; };
  EXPECT_EQ(glob("p1.*"), "p1*");
  EXPECT_EQ(glob("%x%"), "*x*");
  EXPECT_EQ(glob("a_b.c"), "a?b?c");
  EXPECT_EQ(glob("a.+"), "a?*");
  EXPECT_EQ(glob(R"(a\%b\_c\.d\*e\\f)"), R"(a%b_c.d[*]e\f)");
  EXPECT_EQ(glob(R"(C:\dir\)"), R"(C:\dir\)");  // `\d` is no escape; a trailing `\` is literal.
  EXPECT_EQ(glob("*?[]"), "[*][?][[]]");
  EXPECT_EQ(LikeToGlob("2024-01%").prefix, "2024-01");
  EXPECT_EQ(LikeToGlob(R"(a\_b_c)").prefix, "a_b");
  EXPECT_EQ(LikeToGlob("%x").prefix, "");
}

FilterNodePtr Condition(std::string key, int index, FilterOp op, FilterLiteral value) {
  auto node = std::make_unique<FilterNode>();
  node->condition = {std::move(key), index, op, std::move(value)};
  return node;
}

TEST(CompileFilterSqlTest, ProducesParameterisedSql) {
  FilterNodePtr node = Condition("hour", 2, FilterOp::kGe, {FilterLiteral::Kind::kInteger, "3", 3});
  absl::StatusOr<SqlFragment> fragment = CompileFilterSql(*node, 42, kEventKeys);
  ASSERT_TRUE(fragment.ok()) << fragment.status();
  EXPECT_EQ(fragment->sql,
            "p.part_id IN (SELECT part_id FROM partition_values WHERE tbl_id = ? AND key_index = ? "
            "AND int_value >= ?)");
  ASSERT_EQ(fragment->params.size(), 3u);
  EXPECT_EQ(std::get<int64_t>(fragment->params[0].value), 42);
  EXPECT_EQ(std::get<int64_t>(fragment->params[1].value), 2);
  EXPECT_EQ(std::get<int64_t>(fragment->params[2].value), 3);
}

TEST(CompileFilterSqlTest, RejectsUnresolvedOrUnsupportedTrees) {
  using Kind = FilterLiteral::Kind;
  for (const FilterNodePtr& node : {Condition("p", -1, FilterOp::kEq, {Kind::kString, "x"}),
                                    Condition("p", 3, FilterOp::kEq, {Kind::kString, "x"}),
                                    Condition("p", 0, FilterOp::kEq, {Kind::kTimestamp, "x"}),
                                    Condition("p", 2, FilterOp::kLike, {Kind::kInteger, "1", 1})}) {
    EXPECT_EQ(CompileFilterSql(*node, 1, kEventKeys).status().code(),
              absl::StatusCode::kInvalidArgument);
  }
  FilterNode empty_or;
  empty_or.kind = FilterNode::Kind::kOr;
  EXPECT_EQ(CompileFilterSql(empty_or, 1, kEventKeys).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(CompileFilterSqlTest, RejectsHugeOrDeepTrees) {
  FilterNode wide;
  wide.kind = FilterNode::Kind::kOr;
  for (int i = 0; i < 11000; ++i) {  // `!=` in an OR is not merged: 3 parameters each.
    wide.children.push_back(
        Condition("hour", 2, FilterOp::kNe, {FilterLiteral::Kind::kInteger, "1", i}));
  }
  EXPECT_THAT(CompileFilterSql(wide, 1, kEventKeys).status().message(),
              HasSubstr("too large: it needs 33000 SQL parameters"));

  FilterNode deep;
  FilterNode* node = &deep;
  for (int i = 0; i < 1000; ++i) {
    node->kind = i % 2 ? FilterNode::Kind::kOr : FilterNode::Kind::kAnd;
    node->children.push_back(
        Condition("hour", 2, FilterOp::kEq, {FilterLiteral::Kind::kInteger, "1", 1}));
    node->children.push_back(std::make_unique<FilterNode>());
    node = node->children.back().get();
  }
  node->condition = {"hour", 2, FilterOp::kEq, {FilterLiteral::Kind::kInteger, "1", 1}};
  EXPECT_THAT(CompileFilterSql(deep, 1, kEventKeys).status().message(),
              HasSubstr("nests too deeply"));
}

}  // namespace
}  // namespace almanac
