#pragma once

// The filter of get_table_names_by_filter, checked and compiled for matching tables in memory.
// HMS reads it with its partition-filter grammar (AND, OR, parentheses, = == <> != < <= > >=,
// LIKE, BETWEEN, IN) over three kinds of key, and so does Almanac:
//   hive_filter_field_owner__        the owner's name: any operator; LIKE is a regular
//                                    expression matched against the whole name
//   hive_filter_field_last_access__  the last access time: integer values, any operator but LIKE
//   hive_filter_field_params__<key>  the parameter <key>: only =, <>, != and LIKE; an integer
//                                    value is compared as its text
// A table without an owner or without the parameter matches no condition on it, whatever the
// operator, as in HMS (whose query joins the parameter's row). LIKE patterns run in RE2, in
// time linear in the value; a pattern RE2 cannot compile (back-references, look-around) is
// refused.
//
// Bounds: the filter's text is at most kMaxTableFilterBytes, its parentheses nest at most
// kMaxFilterNesting deep (filter_parser.h), and it holds at most kMaxTableFilterLikes LIKE
// conditions, each compiled within a fixed memory budget.
//
// Thread-safety: a compiled filter is immutable; Matches may be called from many threads.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/model.h"
#include "storage/partition_filter.h"

namespace re2 {
class RE2;
}

namespace almanac {

inline constexpr size_t kMaxTableFilterBytes = 64 * 1024;
inline constexpr int kMaxTableFilterLikes = 32;

inline constexpr char kFilterFieldOwner[] = "hive_filter_field_owner__";
inline constexpr char kFilterFieldLastAccess[] = "hive_filter_field_last_access__";
inline constexpr char kFilterFieldParams[] = "hive_filter_field_params__";

class TableFilter {
 public:
  // InvalidArgument, starting "Error parsing table filter", for text that does not parse, is
  // too large, names another key, uses an operator or value its key does not take, or holds a
  // pattern RE2 cannot compile.
  static absl::StatusOr<TableFilter> Compile(std::string_view text);

  TableFilter(TableFilter&&) noexcept;
  TableFilter& operator=(TableFilter&&) noexcept;
  ~TableFilter();

  bool Matches(const Table& table) const;

  // A parameter (key, value) that every matching table has, from an `=` condition the whole
  // filter requires; the caller may pre-select tables by it through an index.
  std::optional<std::pair<std::string, std::string>> RequiredParameter() const;

  struct Node;  // The compiled tree; defined in table_filter.cc.

 private:
  explicit TableFilter(std::unique_ptr<Node> root);

  std::unique_ptr<Node> root_;
};

}  // namespace almanac
