// Fuzzes partition filters from text to rows: ParsePartitionFilter, ResolveFilterKeys against a
// table with string, date, int and varchar keys, CompileFilterSql, then the compiled SQL run on
// a small in-memory SQLite table. Findings besides crashes:
//   - SQL text that could hold input: anything but the compiler's fixed alphabet, or a count of
//     `?` placeholders that differs from the bound parameters;
//   - SQL that SQLite cannot prepare or run;
//   - a result that differs from running every condition on its own and combining the rows with
//     the filter's AND and OR (which checks the compiler's grouping into IN lists and ranges);
//   - a tree compiled before ResolveFilterKeys that does not fail cleanly.

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "server/core/filter_parser.h"
#include "storage/partition_filter.h"
#include "storage/sqlite/filter_sql.h"

namespace almanac::fuzz {
namespace {

using Rows = std::set<int64_t>;

constexpr int64_t kTable = 7;
constexpr size_t kMaxCheckedConditions = 64;

const std::vector<Column>& Keys() {
  static const std::vector<Column> keys = {{"region", "string", ""},
                                           {"day", "date", ""},
                                           {"hour", "int", ""},
                                           {"Name", "varchar(10)", ""}};
  return keys;
}

// The tables the SQLite store keeps partition values in (storage/sqlite/filter_sql.h).
constexpr char kSchema[] = R"sql(
  CREATE TABLE partitions(part_id INTEGER PRIMARY KEY, tbl_id INTEGER NOT NULL);
  CREATE TABLE partition_values(tbl_id INTEGER NOT NULL, key_index INTEGER NOT NULL,
                                value TEXT NOT NULL, int_value INTEGER, part_id INTEGER NOT NULL,
                                PRIMARY KEY (tbl_id, key_index, value, part_id)) WITHOUT ROWID;
  CREATE INDEX partition_values_int ON partition_values(tbl_id, key_index, int_value);
)sql";

[[noreturn]] void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "%.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

sqlite3* Database() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK ||
        sqlite3_exec(d, kSchema, nullptr, nullptr, nullptr) != SQLITE_OK) {
      Fail("cannot set up SQLite", d ? sqlite3_errmsg(d) : "");
    }
    const char* regions[] = {
        "us-east", "us-west",   "eu_west", "a%b", "a*b?[c]", "", "__HIVE_DEFAULT_PARTITION__",
        "Us-East", "us-east\\x"};
    const char* days[] = {"2024-01-01", "2024-02-29", "1999-12-31", "__HIVE_DEFAULT_PARTITION__"};
    const char* hours[] = {
        "0", "7", "23", "-5", "9223372036854775807", "x", "__HIVE_DEFAULT_PARTITION__"};
    const char* names[] = {"abc", "ABC", "a'b\"c", "12"};
    int64_t id = 0;
    for (const char* region : regions) {
      for (int i = 0; i < 4; ++i) {
        ++id;
        const std::string values[] = {region, days[(id + i) % 4], hours[(id * 3 + i) % 7],
                                      names[(id + 2 * i) % 4]};
        std::string sql = "INSERT INTO partitions VALUES (" + std::to_string(id) + ", " +
                          std::to_string(kTable) + ")";
        sqlite3_exec(d, sql.c_str(), nullptr, nullptr, nullptr);
        for (int k = 0; k < 4; ++k) {
          sqlite3_stmt* stmt = nullptr;
          sqlite3_prepare_v2(d, "INSERT INTO partition_values VALUES (?, ?, ?, ?, ?)", -1, &stmt,
                             nullptr);
          sqlite3_bind_int64(stmt, 1, kTable);
          sqlite3_bind_int(stmt, 2, k);
          sqlite3_bind_text(stmt, 3, values[k].data(), static_cast<int>(values[k].size()),
                            SQLITE_TRANSIENT);
          char* end = nullptr;
          const long long n = std::strtoll(values[k].c_str(), &end, 10);
          if (k == 2 && !values[k].empty() && *end == '\0') {
            sqlite3_bind_int64(stmt, 4, n);
          } else {
            sqlite3_bind_null(stmt, 4);
          }
          sqlite3_bind_int64(stmt, 5, id);
          if (sqlite3_step(stmt) != SQLITE_DONE) Fail("cannot insert a row", sqlite3_errmsg(d));
          sqlite3_finalize(stmt);
        }
      }
    }
    return d;
  }();
  return db;
}

// The compiler writes only fixed SQL: keywords, column names, operators and placeholders.
void CheckNotSpliced(const SqlFragment& fragment) {
  size_t placeholders = 0;
  for (char c : fragment.sql) {
    const bool fixed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ' ' ||
                       c == '(' || c == ')' || c == ',' || c == '.' || c == '<' || c == '>' ||
                       c == '=' || c == '?';
    if (!fixed) Fail("compiled SQL holds a character the compiler never writes", fragment.sql);
    placeholders += c == '?';
  }
  if (placeholders != fragment.params.size()) {
    Fail("placeholders and parameters differ in number", fragment.sql);
  }
}

Rows Run(const SqlFragment& fragment) {
  const std::string sql = "SELECT p.part_id FROM partitions p WHERE p.tbl_id = ? AND (" +
                          fragment.sql + ") ORDER BY p.part_id";
  sqlite3* db = Database();
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    Fail(std::string("compiled SQL does not prepare: ") + sqlite3_errmsg(db), sql);
  }
  sqlite3_bind_int64(stmt, 1, kTable);
  for (size_t i = 0; i < fragment.params.size(); ++i) {
    const int index = static_cast<int>(i) + 2;
    if (const auto* n = std::get_if<int64_t>(&fragment.params[i].value)) {
      sqlite3_bind_int64(stmt, index, *n);
    } else {
      const std::string& text = std::get<std::string>(fragment.params[i].value);
      sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
  }
  Rows rows;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) rows.insert(sqlite3_column_int64(stmt, 0));
  if (rc != SQLITE_DONE) Fail(std::string("compiled SQL fails: ") + sqlite3_errmsg(db), sql);
  sqlite3_finalize(stmt);
  return rows;
}

size_t CountConditions(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kCondition) return 1;
  size_t n = 0;
  for (const FilterNodePtr& child : node.children) n += CountConditions(*child);
  return n;
}

// The rows of `node` from its conditions compiled one at a time.
Rows Expected(const FilterNode& node) {
  if (node.kind == FilterNode::Kind::kCondition) {
    absl::StatusOr<SqlFragment> one = CompileFilterSql(node, kTable, Keys());
    if (!one.ok())
      Fail("a condition of a compiled filter does not compile", one.status().ToString());
    return Run(*one);
  }
  Rows rows = Expected(*node.children[0]);
  for (size_t i = 1; i < node.children.size(); ++i) {
    const Rows next = Expected(*node.children[i]);
    Rows combined;
    if (node.kind == FilterNode::Kind::kAnd) {
      std::set_intersection(rows.begin(), rows.end(), next.begin(), next.end(),
                            std::inserter(combined, combined.end()));
    } else {
      std::set_union(rows.begin(), rows.end(), next.begin(), next.end(),
                     std::inserter(combined, combined.end()));
    }
    rows = std::move(combined);
  }
  return rows;
}

}  // namespace
}  // namespace almanac::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace almanac;
  using namespace almanac::fuzz;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(text);
  if (!tree.ok()) return 0;
  if (CompileFilterSql(**tree, kTable, Keys()).ok()) {
    Fail("a filter whose keys were not resolved compiles", text);
  }
  if (!ResolveFilterKeys(**tree, Keys()).ok()) return 0;
  absl::StatusOr<SqlFragment> fragment = CompileFilterSql(**tree, kTable, Keys());
  if (!fragment.ok()) return 0;
  CheckNotSpliced(*fragment);
  const Rows rows = Run(*fragment);
  if (CountConditions(**tree) <= kMaxCheckedConditions && rows != Expected(**tree)) {
    Fail("the compiled filter selects other rows than its conditions do", fragment->sql);
  }
  return 0;
}
