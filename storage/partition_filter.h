#pragma once

// The parsed form of a Hive partition filter ("ds >= '2024-01-01' and hr in (1, 2)").
// The core parses and validates filter text into this tree (server/core/filter_parser.h); a store
// compiles the tree into an indexed query with bound parameters. Plain values, no behaviour.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace almanac {

// A literal as written in the filter. Strings keep their text without quotes; integers were
// written as digits; dates as DATE 'yyyy-mm-dd' or a bare yyyy-mm-dd; timestamps likewise.
struct FilterLiteral {
  enum class Kind { kString, kInteger, kDate, kTimestamp };
  Kind kind = Kind::kString;
  std::string text;     // The literal's text ("2024-01-01", "abc", "-12").
  int64_t integer = 0;  // Set when kind == kInteger.
};

enum class FilterOp { kEq, kNe, kLt, kLe, kGt, kGe, kLike };

// `key op literal`. A filter written as `literal op key` is stored with the operator mirrored.
// `key_index` is the position of the key among the table's partition keys; it is filled in by
// the core's validation step, -1 before that.
struct FilterCondition {
  std::string key;
  int key_index = -1;
  FilterOp op = FilterOp::kEq;
  FilterLiteral value;
};

struct FilterNode;
using FilterNodePtr = std::unique_ptr<FilterNode>;

// AND / OR of two or more children, or a single condition. BETWEEN, IN and NOT IN are expanded
// by the parser into ANDs and ORs of conditions.
struct FilterNode {
  enum class Kind { kCondition, kAnd, kOr };
  Kind kind = Kind::kCondition;
  FilterCondition condition;            // kind == kCondition
  std::vector<FilterNodePtr> children;  // kind == kAnd / kOr
};

}  // namespace almanac
