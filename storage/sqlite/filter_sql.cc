#include "storage/sqlite/filter_sql.h"

#include <map>
#include <optional>
#include <tuple>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

constexpr char kSubquery[] =
    "p.part_id IN (SELECT part_id FROM partition_values WHERE tbl_id = ? AND key_index = ? AND ";

const char* OpSql(FilterOp op) {
  static constexpr const char* kOps[] = {"=", "<>", "<", "<=", ">", ">=", "GLOB"};
  return kOps[static_cast<int>(op)];
}

// The smallest string greater than every string that starts with `prefix`, if there is one.
std::optional<std::string> PrefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xFF) prefix.pop_back();
  if (prefix.empty()) return std::nullopt;
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

// Conditions that compile to one subquery: a single node; or, in an AND, several conditions on
// one key and column (all `!=`, which become a NOT IN list, or none); or, in an OR, several `=`
// conditions on one key and column, which become an IN list.
using Item = std::vector<const FilterNode*>;

absl::Status TooDeep() {
  return absl::InvalidArgumentError("The partition filter nests too deeply");
}

class Compiler {
 public:
  Compiler(int64_t table_id, const std::vector<Column>& keys) : table_id_(table_id), keys_(keys) {}

  absl::Status Node(const FilterNode& node, int depth) {
    if (depth > kMaxFilterSqlDepth) return TooDeep();
    if (node.kind == FilterNode::Kind::kCondition) return Subquery({&node}, false);
    if (node.children.empty()) {
      return absl::InvalidArgumentError("Empty AND/OR in partition filter");
    }
    for (const FilterNodePtr& child : node.children) {
      if (child == nullptr) return absl::InvalidArgumentError("Null node in partition filter");
    }
    const bool is_and = node.kind == FilterNode::Kind::kAnd;
    const std::vector<Item> items = GroupChildren(node, is_and);
    return Join(items.size(), is_and ? " AND " : " OR ", depth, [&](size_t i, int item_depth) {
      const Item& item = items[i];
      return item.size() == 1 && item[0]->kind != FilterNode::Kind::kCondition
                 ? Node(*item[0], item_depth + 1)
                 : Subquery(item, is_and);
    });
  }

  SqlFragment Take() && { return std::move(out_); }

 private:
  static std::vector<Item> GroupChildren(const FilterNode& node, bool is_and) {
    std::vector<Item> items;
    std::map<std::tuple<int, bool, bool>, size_t> groups;  // (key, integer, `!=`) -> item
    for (const FilterNodePtr& child : node.children) {
      const FilterCondition& c = child->condition;
      if (child->kind == FilterNode::Kind::kCondition && (is_and || c.op == FilterOp::kEq)) {
        const auto group = std::make_tuple(
            c.key_index, c.value.kind == FilterLiteral::Kind::kInteger, c.op == FilterOp::kNe);
        auto [it, added] = groups.try_emplace(group, items.size());
        if (!added) {
          items[it->second].push_back(child.get());
          continue;
        }
      }
      items.push_back({child.get()});
    }
    return items;
  }

  // emit(i, depth) for i in [0, count), joined by `joiner` and nested as a balanced tree, so that
  // long lists stay far below SQLite's expression depth limit.
  template <typename Emit>
  absl::Status Join(size_t count, const char* joiner, int depth, const Emit& emit,
                    size_t begin = 0) {
    if (count == 1) return emit(begin, depth);
    if (++depth > kMaxFilterSqlDepth) return TooDeep();
    out_.sql += "(";
    RETURN_IF_ERROR(Join(count / 2, joiner, depth, emit, begin));
    out_.sql += joiner;
    RETURN_IF_ERROR(Join(count - count / 2, joiner, depth, emit, begin + count / 2));
    out_.sql += ")";
    return absl::OkStatus();
  }

  // One subquery for the conditions of `item`, which share a key and column.
  absl::Status Subquery(const Item& item, bool in_and) {
    for (const FilterNode* node : item) RETURN_IF_ERROR(Check(node->condition));
    const FilterCondition& first = item[0]->condition;
    out_.sql += kSubquery;
    Bind(table_id_);
    Bind(int64_t{first.key_index});
    if (item.size() > 1 && (!in_and || first.op == FilterOp::kNe)) {
      List(item);
    } else {
      RETURN_IF_ERROR(Join(item.size(), " AND ", 0, [&](size_t i, int) {
        Predicate(item[i]->condition);
        return absl::OkStatus();
      }));
    }
    out_.sql += ")";
    return absl::OkStatus();
  }

  absl::Status Check(const FilterCondition& c) const {
    if (c.key_index < 0 || static_cast<size_t>(c.key_index) >= keys_.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("Partition filter key <", c.key, "> is not resolved to a partition key"));
    }
    if (c.value.kind == FilterLiteral::Kind::kTimestamp) {
      return absl::InvalidArgumentError("Timestamp values are not supported in partition filters");
    }
    if (c.op == FilterOp::kLike && c.value.kind == FilterLiteral::Kind::kInteger) {
      return absl::InvalidArgumentError("LIKE needs a string pattern in partition filters");
    }
    return absl::OkStatus();
  }

  void Predicate(const FilterCondition& c) {
    if (c.op == FilterOp::kLike) {
      Like(c.value.text);
    } else if (c.value.kind == FilterLiteral::Kind::kInteger) {
      absl::StrAppend(&out_.sql, "int_value ", OpSql(c.op), " ?");
      Bind(c.value.integer);
    } else {
      absl::StrAppend(&out_.sql, "value ", OpSql(c.op), " ?");
      Bind(c.value.text);
      if (c.value.kind == FilterLiteral::Kind::kDate && c.op != FilterOp::kEq) ExcludeDefault();
    }
  }

  // `column IN (?, ...)` for `=` conditions, `column NOT IN (?, ...)` for `!=` conditions.
  void List(const Item& item) {
    const FilterCondition& first = item[0]->condition;
    const bool integer = first.value.kind == FilterLiteral::Kind::kInteger;
    const bool negated = first.op == FilterOp::kNe;
    bool has_date = false;
    absl::StrAppend(&out_.sql, integer ? "int_value" : "value", negated ? " NOT IN (" : " IN (");
    for (size_t i = 0; i < item.size(); ++i) {
      const FilterCondition& c = item[i]->condition;
      out_.sql += i == 0 ? "?" : ", ?";
      integer ? Bind(c.value.integer) : Bind(c.value.text);
      has_date |= c.value.kind == FilterLiteral::Kind::kDate;
    }
    out_.sql += ")";
    if (negated && has_date) ExcludeDefault();
  }

  void Like(const std::string& pattern) {
    GlobPattern glob = LikeToGlob(pattern);
    if (!glob.prefix.empty()) {
      out_.sql += "value >= ? AND ";
      std::optional<std::string> upper = PrefixSuccessor(glob.prefix);
      Bind(std::move(glob.prefix));
      if (upper.has_value()) {
        out_.sql += "value < ? AND ";
        Bind(std::move(*upper));
      }
    }
    out_.sql += "value GLOB ?";
    Bind(std::move(glob.glob));
  }

  // HMS treats the default partition of a typed key as NULL, which no comparison matches.
  void ExcludeDefault() {
    out_.sql += " AND value <> ?";
    Bind(std::string(kDefaultPartitionName));
  }

  // Assigning in place: moving a temporary SqlParam trips GCC 12's -Wmaybe-uninitialized.
  void Bind(int64_t value) { out_.params.emplace_back().value = value; }
  void Bind(std::string value) { out_.params.emplace_back().value = std::move(value); }

  const int64_t table_id_;
  const std::vector<Column>& keys_;
  SqlFragment out_;
};

}  // namespace

GlobPattern LikeToGlob(std::string_view like) {
  GlobPattern out;
  bool fixed = true;  // No wildcard yet: literal characters still extend the prefix.
  auto literal = [&](char c) {
    if (c == '*' || c == '?' || c == '[') {
      absl::StrAppend(&out.glob, "[", std::string(1, c), "]");
    } else {
      out.glob += c;
    }
    if (fixed) out.prefix += c;
  };
  auto wildcard = [&](std::string_view glob) {
    out.glob += glob;
    fixed = false;
  };
  for (size_t i = 0; i < like.size(); ++i) {
    const char c = like[i];
    const char next = i + 1 < like.size() ? like[i + 1] : 'a';  // 'a': nothing special follows.
    if (c == '\\' && !absl::ascii_isalnum(next)) {
      literal(next);
      ++i;
    } else if (c == '.' && (next == '*' || next == '+')) {
      wildcard(next == '*' ? "*" : "?*");
      ++i;
    } else if (c == '%' || c == '.' || c == '_') {
      wildcard(c == '%' ? "*" : "?");
    } else {
      literal(c);
    }
  }
  return out;
}

absl::StatusOr<SqlFragment> CompileFilterSql(const FilterNode& root, int64_t table_id,
                                             const std::vector<Column>& partition_keys) {
  Compiler compiler(table_id, partition_keys);
  RETURN_IF_ERROR(compiler.Node(root, 0));
  SqlFragment fragment = std::move(compiler).Take();
  if (fragment.params.size() > kMaxFilterSqlParams) {
    return absl::InvalidArgumentError(
        absl::StrCat("The partition filter is too large: it needs ", fragment.params.size(),
                     " SQL parameters, more than ", kMaxFilterSqlParams));
  }
  return fragment;
}

}  // namespace almanac
