#pragma once

// Compiles a resolved partition filter (storage/partition_filter.h, after the core's
// ResolveFilterKeys) into an SQLite boolean expression over the alias `p` of `partitions`, with
// `?` placeholders and the values to bind. Every condition becomes an index range on
// partition_values:
//   p.part_id IN (SELECT part_id FROM partition_values
//                 WHERE tbl_id = ? AND key_index = ? AND value >= ?)
// Text values (strings, dates, the default partition name) compare on `value` through the
// primary key; integers compare on `int_value` through partition_values_int. Filter text is
// never spliced into the SQL; only fixed SQL text and placeholders are.
//
// Semantics, following HMS's direct-SQL path:
//   - `!=` keeps every partition whose value differs (each partition has one value per key).
//   - Integer conditions never match partitions whose int_value is NULL (the default partition
//     and other non-integers), and date conditions other than `=` never match the default
//     partition "__HIVE_DEFAULT_PARTITION__": HMS treats it as NULL for typed keys. On string
//     keys it is an ordinary value.
//   - Conditions on one key share a subquery where that is exact (each partition has one value
//     per key): in an AND, `!=` conditions become `value NOT IN (...)` and the others one
//     conjunction, so BETWEEN is a single bounded range; in an OR, `=` conditions (IN lists)
//     become `value IN (...)`. Long AND/OR lists nest as balanced trees in the SQL.
//
// LIKE is translated to a case-sensitive SQLite GLOB matching the whole value. HMS accepts both
// Java-regex wildcards (old clients send `like "x.*"`) and SQL wildcards (Spark's Hive 4 shim
// sends `like "%x%"`), so, scanning the pattern left to right:
//   `\c` where c is not a letter or digit  -> c itself, literally (so `\%`, `\_`, `\.`, `\\`)
//   `.*` and `%`                           -> `*`  (any run of characters)
//   `.+`                                   -> `?*` (one or more characters)
//   `.` and `_`                            -> `?`  (one character)
//   any other character                    -> itself; GLOB's `*`, `?` and `[` are escaped as
//                                             `[*]`, `[?]` and `[[]`. Other regex syntax is not
//                                             interpreted.
// A fixed prefix before the first wildcard also becomes `value >= prefix AND value < successor`,
// so `like "2024-01%"` is an index range.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/partition_filter.h"

namespace almanac {

struct SqlParam {
  std::variant<int64_t, std::string> value;
};

// An SQL expression and the values for its `?` placeholders, in order.
struct SqlFragment {
  std::string sql;
  std::vector<SqlParam> params;
};

// Bounds that keep a hostile filter from exhausting the stack or SQLite's limits
// (SQLITE_MAX_EXPR_DEPTH is 1000, SQLITE_MAX_VARIABLE_NUMBER 32766 by default).
inline constexpr int kMaxFilterSqlDepth = 400;  // Tree levels plus AND/OR nesting in the SQL.
inline constexpr size_t kMaxFilterSqlParams = 32766;

// Compiles `root` for the table `table_id`, whose partition keys are `partition_keys`.
// Returns InvalidArgument for a tree that was not resolved (key_index out of range), a timestamp
// value, LIKE with an integer value, an empty AND/OR or a null child, or a filter beyond
// kMaxFilterSqlDepth / kMaxFilterSqlParams. Thread-safe (no shared state).
absl::StatusOr<SqlFragment> CompileFilterSql(const FilterNode& root, int64_t table_id,
                                             const std::vector<Column>& partition_keys);

// The GLOB pattern for a LIKE pattern (rules above) and its fixed prefix.
struct GlobPattern {
  std::string glob;
  std::string prefix;
};
GlobPattern LikeToGlob(std::string_view like);

}  // namespace almanac
