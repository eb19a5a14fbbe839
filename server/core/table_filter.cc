#include "server/core/table_filter.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "re2/re2.h"
#include "server/core/filter_parser.h"

namespace almanac {

// Memory RE2 may use for one compiled LIKE pattern; a larger pattern is refused.
constexpr int64_t kMaxPatternMemory = 1 << 20;

struct TableFilter::Node {
  enum class Field { kOwner, kLastAccess, kParameter };
  FilterNode::Kind kind = FilterNode::Kind::kCondition;
  // kCondition:
  Field field = Field::kOwner;
  std::string parameter;  // Field::kParameter: the parameter's key.
  FilterOp op = FilterOp::kEq;
  std::string text;                // The value compared with (owner, parameter).
  int64_t integer = 0;             // Field::kLastAccess: the value compared with.
  std::unique_ptr<re2::RE2> like;  // op == kLike: the compiled pattern.
  // kAnd / kOr:
  std::vector<std::unique_ptr<Node>> children;
};

namespace {

using Node = TableFilter::Node;

absl::Status FilterError(absl::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat("Error parsing table filter: ", detail));
}

template <typename T>
bool Compare(FilterOp op, const T& have, const T& want) {
  switch (op) {
    case FilterOp::kEq:
      return have == want;
    case FilterOp::kNe:
      return have != want;
    case FilterOp::kLt:
      return have < want;
    case FilterOp::kLe:
      return have <= want;
    case FilterOp::kGt:
      return have > want;
    case FilterOp::kGe:
      return have >= want;
    case FilterOp::kLike:
      return false;  // Matched by the caller.
  }
  return false;
}

// Sets the condition's field from its key: the owner, the last access time or a parameter.
absl::Status ResolveField(const FilterCondition& c, Node& node) {
  if (c.key == kFilterFieldOwner) {
    node.field = Node::Field::kOwner;
  } else if (c.key == kFilterFieldLastAccess) {
    node.field = Node::Field::kLastAccess;
  } else if (absl::StartsWith(c.key, kFilterFieldParams) &&
             c.key.size() > sizeof(kFilterFieldParams) - 1) {
    node.field = Node::Field::kParameter;
    node.parameter = c.key.substr(sizeof(kFilterFieldParams) - 1);
  } else {
    return FilterError(absl::StrCat("invalid key name <", c.key, ">: use ", kFilterFieldOwner, ", ",
                                    kFilterFieldLastAccess, " or ", kFilterFieldParams,
                                    "<parameter key>"));
  }
  return absl::OkStatus();
}

// Checks the operator and value the condition's field takes, as HMS does.
absl::Status CheckCondition(const FilterCondition& c, Node& node) {
  using LKind = FilterLiteral::Kind;
  switch (node.field) {
    case Node::Field::kLastAccess:
      if (c.op == FilterOp::kLike) {
        return FilterError(absl::StrCat("LIKE is not supported for ", kFilterFieldLastAccess));
      }
      if (c.value.kind != LKind::kInteger) {
        return FilterError(absl::StrCat(kFilterFieldLastAccess, " takes an integer value, not \"",
                                        c.value.text, "\""));
      }
      node.integer = c.value.integer;
      return absl::OkStatus();
    case Node::Field::kParameter:
      if (c.op != FilterOp::kEq && c.op != FilterOp::kNe && c.op != FilterOp::kLike) {
        return FilterError(absl::StrCat("only =, <>, != and LIKE are supported operators for ",
                                        kFilterFieldParams, " (key <", c.key, ">)"));
      }
      node.text = c.value.text;
      return absl::OkStatus();
    case Node::Field::kOwner:
      if (c.value.kind != LKind::kString) {
        return FilterError(
            absl::StrCat(kFilterFieldOwner, " takes a quoted string value, not ", c.value.text));
      }
      node.text = c.value.text;
      return absl::OkStatus();
  }
  return absl::OkStatus();
}

absl::Status CompileLike(Node& node, int& likes) {
  if (++likes > kMaxTableFilterLikes) {
    return FilterError(absl::StrCat("more than ", kMaxTableFilterLikes, " LIKE conditions"));
  }
  RE2::Options options;
  options.set_log_errors(false);
  options.set_max_mem(kMaxPatternMemory);
  node.like = std::make_unique<RE2>(node.text, options);
  if (!node.like->ok()) {
    return FilterError(
        absl::StrCat("'", node.text, "' is not a valid regular expression: ", node.like->error()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Node>> CompileNode(const FilterNode& in, int& likes) {
  auto node = std::make_unique<Node>();
  node->kind = in.kind;
  if (in.kind != FilterNode::Kind::kCondition) {
    for (const FilterNodePtr& child : in.children) {
      ASSIGN_OR_RETURN(std::unique_ptr<Node> compiled, CompileNode(*child, likes));
      node->children.push_back(std::move(compiled));
    }
    return node;
  }
  const FilterCondition& c = in.condition;
  node->op = c.op;
  RETURN_IF_ERROR(ResolveField(c, *node));
  RETURN_IF_ERROR(CheckCondition(c, *node));
  if (c.op == FilterOp::kLike) RETURN_IF_ERROR(CompileLike(*node, likes));
  return node;
}

bool MatchText(const Node& node, const std::string& value) {
  if (node.op == FilterOp::kLike) return RE2::FullMatch(value, *node.like);
  return Compare(node.op, value, node.text);
}

bool MatchNode(const Node& node, const Table& table) {
  switch (node.kind) {
    case FilterNode::Kind::kAnd:
      for (const auto& child : node.children) {
        if (!MatchNode(*child, table)) return false;
      }
      return true;
    case FilterNode::Kind::kOr:
      for (const auto& child : node.children) {
        if (MatchNode(*child, table)) return true;
      }
      return false;
    case FilterNode::Kind::kCondition:
      break;
  }
  switch (node.field) {
    case Node::Field::kOwner:
      return !table.owner.empty() && MatchText(node, table.owner);
    case Node::Field::kLastAccess:
      return Compare<int64_t>(node.op, table.last_access_time, node.integer);
    case Node::Field::kParameter: {
      auto it = table.parameters.find(node.parameter);
      return it != table.parameters.end() && MatchText(node, it->second);
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<TableFilter> TableFilter::Compile(std::string_view text) {
  if (text.size() > kMaxTableFilterBytes) {
    return FilterError(absl::StrCat("the filter has ", text.size(), " bytes; at most ",
                                    kMaxTableFilterBytes, " are accepted"));
  }
  ASSIGN_OR_RETURN(FilterNodePtr tree, ParseTableFilter(text));
  int likes = 0;
  ASSIGN_OR_RETURN(std::unique_ptr<Node> root, CompileNode(*tree, likes));
  return TableFilter(std::move(root));
}

TableFilter::TableFilter(std::unique_ptr<Node> root) : root_(std::move(root)) {}
TableFilter::TableFilter(TableFilter&&) noexcept = default;
TableFilter& TableFilter::operator=(TableFilter&&) noexcept = default;
TableFilter::~TableFilter() = default;

bool TableFilter::Matches(const Table& table) const { return MatchNode(*root_, table); }

std::optional<std::pair<std::string, std::string>> TableFilter::RequiredParameter() const {
  auto required = [](const Node& n) {
    return n.kind == FilterNode::Kind::kCondition && n.field == Node::Field::kParameter &&
           n.op == FilterOp::kEq;
  };
  if (required(*root_)) return std::make_pair(root_->parameter, root_->text);
  if (root_->kind != FilterNode::Kind::kAnd) return std::nullopt;
  for (const auto& child : root_->children) {
    if (required(*child)) return std::make_pair(child->parameter, child->text);
  }
  return std::nullopt;
}

}  // namespace almanac
