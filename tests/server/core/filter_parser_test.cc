#include "server/core/filter_parser.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// A compact rendering of a tree: (or (= p1 "a") (and (>= p3 1) (<= p3 3))).
std::string Dump(const FilterNode& node) {
  if (node.kind != FilterNode::Kind::kCondition) {
    std::string out = node.kind == FilterNode::Kind::kAnd ? "(and" : "(or";
    for (const FilterNodePtr& child : node.children) out += " " + Dump(*child);
    return out + ")";
  }
  static const char* kOps[] = {"=", "!=", "<", "<=", ">", ">=", "like"};
  const FilterCondition& c = node.condition;
  std::string value = c.value.text;
  switch (c.value.kind) {
    case FilterLiteral::Kind::kString:
      value = "\"" + value + "\"";
      break;
    case FilterLiteral::Kind::kInteger:
      value = std::to_string(c.value.integer);
      break;
    case FilterLiteral::Kind::kDate:
      value = "date:" + value;
      break;
    case FilterLiteral::Kind::kTimestamp:
      value = "ts:" + value;
      break;
  }
  return std::string("(") + kOps[static_cast<int>(c.op)] + " " + c.key + " " + value + ")";
}

std::string Parsed(std::string_view filter) {
  absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(filter);
  if (!tree.ok()) return "ERROR: " + std::string(tree.status().message());
  return Dump(**tree);
}

std::string ParseError(std::string_view filter) {
  absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(filter);
  if (tree.ok()) return "OK: " + Dump(**tree);
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument) << filter;
  return std::string(tree.status().message());
}

// Every filter TestHiveMetaStore.testPartitionFilter, testFilterSinglePartition and
// testFilterLastPartition expect to succeed.
const std::vector<std::string> kHmsFilters = {
    R"(p1 = "p11")",
    R"(p1 = "p12")",
    R"(p2 = "p21")",
    R"(p2 = "p23")",
    "p3 = 31",
    "p3 = 33",
    "p3 = -33",
    R"(p1 = "p11" and p2="p22")",
    R"(p1 = "p11" or p2="p23")",
    R"(p1 = "p11" or p1="p12")",
    R"(p1 = "p11" and p3 = 31)",
    R"(p3 = -33 or p1 = "p12")",
    R"(p1 != "p11")",
    R"(p2 != "p23")",
    R"(p2 != "p33")",
    "p3 != 32",
    "p3 != 8589934592",
    R"(p1 != "p11" and p1 != "p12")",
    R"(p1 != "p11" and p2 != "p22")",
    R"(p1 != "p11" or p2 != "p22")",
    R"(p1 != "p12" and p2 != "p25")",
    R"(p1 != "p12" or p2 != "p25")",
    R"(p3 != -33 or p1 != "p13")",
    R"(p1 != "p11" and p3 = 31)",
    R"(p3 != 31 and p1 = "p12")",
    R"(31 != p3 and p1 = "p12")",
    R"("p23" = p2)",
    R"(p1 = "p11" or (p1="p12" and p2="p21"))",
    R"(p1 = "p11" or (p1="p12" and p2="p21") Or (p1="p13" aNd p2="p24"))",
    R"(p1="p12" and (p2="p27" Or p2="p21"))",
    R"(p1="p12" and p2="p27" Or p2="p21")",
    R"(p1 > "p12")",
    R"(p1 >= "p12")",
    R"(p1 < "p12")",
    R"(p1 <= "p12")",
    R"(p1 like "p1.*")",
    R"(p2 like "p.*3")",
    "p3 < 0",
    "p3 >= -33",
    "p3 > -33",
    "p3 > 31 and p3 < 32",
    "p3 > 31 or p3 < 31",
    "p3 > 30 or p3 < 30",
    "p3 >= 31 or p3 < -32",
    "p3 >= 32",
    "p3 > 32",
    R"(p1 between "p11" and "p12")",
    R"(p1 not between "p11" and "p12")",
    "p3 not between 0 and 2",
    "p3 between 31 and 32",
    "p3 between 32 and 31",
    "p3 between -32 and 34 and p3 not between 31 and 32",
    "p3 between 1 and 3 or p3 not between 1 and 3",
    R"(p3 between 31 and 32 and p1 between "p12" and "p14")",
    R"(p1 <> "p12")",
    R"(p1 like "p.*2")",
    R"(p2 < "p23")",
    R"(p2 <> "p12")",
    R"(p2 like "p2.*")"};

TEST(FilterParserTest, AcceptsEveryHmsTestFilter) {
  for (const std::string& filter : kHmsFilters) {
    EXPECT_THAT(Parsed(filter), StartsWith("(")) << filter;
  }
}

TEST(FilterParserTest, HmsNegativeCases) {
  // c1 >= (TestHiveMetaStore) and p1 = : the text ends where a value is expected.
  EXPECT_EQ(ParseError("c1 >= "),
            "Error parsing partition filter: unexpected end of filter, expected a value");
  EXPECT_THAT(ParseError("p1 = "), StartsWith("Error parsing partition filter"));
  // testFilterLastPartition: "!<" is a lexer error.
  EXPECT_EQ(ParseError("p2 !< 'dd'"),
            "Error parsing partition filter; lexer error: unexpected character '!' at position 3");
  // TestPartFilterExprUtil: invalid dates and times.
  for (const char* filter : {"(j = DATE'2023-06-32')", "(j = 2023-06-32)",
                             "(j = TIMESTAMP'2023-06-02 99:35:00')", "(j = 2023-06-02 99:35:00)"}) {
    EXPECT_THAT(ParseError(filter), StartsWith("Error parsing partition filter:")) << filter;
  }
  EXPECT_THAT(ParseError("(j = DATE'2023-02-29')"), HasSubstr("invalid date '2023-02-29'"));
  EXPECT_EQ(Parsed("j = DATE'2024-02-29'"), "(= j date:2024-02-29)");
}

TEST(FilterParserTest, AndBindsTighterThanOr) {  // TestPartFilterExprUtil.testAndOrPrecedence
  EXPECT_EQ(Parsed("dt=10 or dt=20 and dt=30 and dt=40 or dt=50 or dt=60 and dt=70"),
            "(or (= dt 10) (and (= dt 20) (= dt 30) (= dt 40)) (= dt 50) "
            "(and (= dt 60) (= dt 70)))");
  EXPECT_EQ(Parsed("dt=10 or dt=20 and (dt=30 and dt=40 or dt=50) or dt=60 and dt=70"),
            "(or (= dt 10) (and (= dt 20) (or (and (= dt 30) (= dt 40)) (= dt 50))) "
            "(and (= dt 60) (= dt 70)))");
  EXPECT_EQ(Parsed("(dt=10 or dt=20) and dt=30 and (dt=40 or dt=50) or dt=60 and dt=70"),
            "(or (and (or (= dt 10) (= dt 20)) (= dt 30) (or (= dt 40) (= dt 50))) "
            "(and (= dt 60) (= dt 70)))");
  // Nested ANDs and ORs of the same kind are flattened.
  const std::string flat =
      "(and (or (= dt 10) (= dt 20)) (= dt 30) (or (= dt 40) (= dt 50) (= dt 60)) (= dt 70))";
  EXPECT_EQ(Parsed("(dt=10 or dt=20) and dt=30 and ((dt=40 or dt=50) or dt=60) and dt=70"), flat);
  EXPECT_EQ(Parsed("(dt=10 or dt=20) and (dt=30 and ((dt=40 or dt=50) or dt=60) and dt=70)"), flat);
  EXPECT_EQ(Parsed("dt=10 or (dt=20 and dt=30 and (dt=40 or dt=50) or dt=60) and dt=70"),
            "(or (= dt 10) (and (or (and (= dt 20) (= dt 30) (or (= dt 40) (= dt 50))) "
            "(= dt 60)) (= dt 70)))");
}

TEST(FilterParserTest, BetweenAndInExpandLikeHms) {
  EXPECT_EQ(Parsed("(a) in (10, 20) and a != 30"), "(and (or (= a 10) (= a 20)) (!= a 30))");
  EXPECT_EQ(Parsed("(a) in (10, 20) and a not between 10 and 15 and b < 10"),
            "(and (or (= a 10) (= a 20)) (or (< a 10) (> a 15)) (< b 10))");
  EXPECT_EQ(Parsed("a between 1 and 3"), "(and (>= a 1) (<= a 3))");
  EXPECT_EQ(Parsed("(a) not in (1, 2)"), "(and (!= a 1) (!= a 2))");
  EXPECT_EQ(Parsed("a NOT IN ('x')"), "(!= a \"x\")");
  EXPECT_EQ(Parsed("a in (1, 2)"), "(or (= a 1) (= a 2))");  // Key without parentheses.
  EXPECT_EQ(Parsed("(j) in (1990-11-10, 1990-11-11)"),
            "(or (= j date:1990-11-10) (= j date:1990-11-11))");
  EXPECT_EQ(Parsed("(j) IN (DATE'1990-11-10', DATE'1990-11-11')"),
            "(or (= j date:1990-11-10) (= j date:1990-11-11))");
  EXPECT_EQ(Parsed("(dt) IN (2000-01-01 01:00:00, TIMESTAMP '2000-01-01 01:42:00')"),
            "(or (= dt ts:2000-01-01 01:00:00) (= dt ts:2000-01-01 01:42:00))");
  EXPECT_EQ(Parsed("(j BETWEEN '1990-11-10' AND DATE'1990-11-11')"),
            "(and (>= j \"1990-11-10\") (<= j date:1990-11-11))");
}

TEST(FilterParserTest, StructIn) {
  EXPECT_EQ(Parsed("(struct(ds1,ds2)) IN (struct(2000-05-08, 2001-04-08), "
                   "const struct(DATE'2000-05-09', '2001-04-09'))"),
            "(or (and (= ds1 date:2000-05-08) (= ds2 date:2001-04-08)) "
            "(and (= ds1 date:2000-05-09) (= ds2 \"2001-04-09\")))");
  EXPECT_EQ(Parsed("(STRUCT(a, `b`)) NOT IN (STRUCT(1, 2), STRUCT(3, 4))"),
            "(and (or (!= a 1) (!= b 2)) (or (!= a 3) (!= b 4)))");
  EXPECT_EQ(Parsed("(struct(a)) in (struct('x'))"), "(= a \"x\")");
  EXPECT_EQ(ParseError("(struct(a,b)) in (struct(1))"),
            "Error parsing partition filter: a STRUCT has 1 values for 2 keys");
  EXPECT_THAT(ParseError("(struct(a,b)) in ((1, 2))"), HasSubstr("expected STRUCT"));
}

TEST(FilterParserTest, ReversedComparisonsMirrorTheOperator) {
  EXPECT_EQ(Parsed("31 != p3"), "(!= p3 31)");
  EXPECT_EQ(Parsed("\"p23\" = p2"), "(= p2 \"p23\")");
  EXPECT_EQ(Parsed("5 < a and 5 <= b and 5 > c and 5 >= d"),
            "(and (> a 5) (>= b 5) (< c 5) (<= d 5))");
  EXPECT_EQ(Parsed("DATE '2024-01-01' <= ds"), "(>= ds date:2024-01-01)");
  EXPECT_EQ(ParseError("\"p1.*\" like p1"),
            "Error parsing partition filter: Value should be on the RHS for LIKE operator: key "
            "<p1>");
}

TEST(FilterParserTest, OperatorsAndKeywordsAreCaseInsensitive) {
  EXPECT_EQ(Parsed("a == 1 AnD b <> 2 oR c LiKe 'x%' or d BeTwEeN 1 aNd 2"),
            "(or (and (= a 1) (!= b 2)) (like c \"x%\") (and (>= d 1) (<= d 2)))");
  EXPECT_EQ(Parsed("P1 = 'A'"), "(= P1 \"A\")");  // Keys keep their case until resolved.
}

TEST(FilterParserTest, Literals) {
  EXPECT_EQ(Parsed("p = 'single' or p = \"double\""), "(or (= p \"single\") (= p \"double\"))");
  // Backslashes escape the closing quote but stay in the text, as in HMS.
  EXPECT_EQ(Parsed(R"(p = 'it\'s')"), R"((= p "it\'s"))");
  EXPECT_EQ(Parsed(R"(p = "C:\dir")"), R"((= p "C:\dir"))");
  EXPECT_EQ(Parsed(R"(p = 'say "hi"')"), R"((= p "say "hi""))");
  EXPECT_EQ(Parsed("p = 'ab' \"cd\""), "(= p \"abcd\")");  // Adjacent strings concatenate.
  EXPECT_EQ(Parsed("p=-33"), "(= p -33)");
  EXPECT_EQ(Parsed("p = -9223372036854775808"), "(= p -9223372036854775808)");
  EXPECT_THAT(ParseError("p = 9223372036854775808"),
              HasSubstr("integer out of range '9223372036854775808' at position 4"));
  EXPECT_EQ(Parsed("p = 2024-01-01 and q = 2024-01-01 10:11:12"),
            "(and (= p date:2024-01-01) (= q ts:2024-01-01 10:11:12))");
  EXPECT_EQ(Parsed("p = ''"), "(= p \"\")");
}

TEST(FilterParserTest, Keys) {
  EXPECT_EQ(Parsed("`my key` = 1 and `a``b` = 2"), "(and (= my key 1) (= a`b 2))");
  EXPECT_EQ(Parsed("1abc = 2 and _x = 3"), "(and (= 1abc 2) (= _x 3))");
  // DATE, TIMESTAMP, STRUCT and CONST double as key names where no literal can follow.
  EXPECT_EQ(Parsed("date = '2024-01-01' and (timestamp) in (1) and struct = 2 and const = 3"),
            "(and (= date \"2024-01-01\") (= timestamp 1) (= struct 2) (= const 3))");
  EXPECT_THAT(ParseError("and = 1"), HasSubstr("unexpected token 'and' at position 0"));
}

TEST(FilterParserTest, FiltersSparkGenerates) {
  EXPECT_EQ(Parsed("a = 1 and b = \"x\""), "(and (= a 1) (= b \"x\"))");
  EXPECT_EQ(Parsed("(a = 1 or a = 2 or a = 3)"), "(or (= a 1) (= a 2) (= a 3))");
  EXPECT_EQ(Parsed("(a != 1 and a != 2)"), "(and (!= a 1) (!= a 2))");
  EXPECT_EQ(Parsed("a >= 1 and a <= 5"), "(and (>= a 1) (<= a 5))");
  EXPECT_EQ(Parsed("b like \"%x%\" and b like \"x%\" and b like \"%x\""),
            "(and (like b \"%x%\") (like b \"x%\") (like b \"%x\"))");
  EXPECT_EQ(Parsed("b like \".*x.*\" and b like \"x.*\""),
            "(and (like b \".*x.*\") (like b \"x.*\"))");
  EXPECT_EQ(Parsed("((a = 1 and b = \"x\") or (a = 2 and b = \"y\")) and ds = \"2024-01-01\""),
            "(and (or (and (= a 1) (= b \"x\")) (and (= a 2) (= b \"y\"))) "
            "(= ds \"2024-01-01\"))");
  EXPECT_EQ(Parsed("ds = \"2024-01-01\" and hr >= 3 and 3 != hr"),
            "(and (= ds \"2024-01-01\") (>= hr 3) (!= hr 3))");
}

TEST(FilterParserTest, SyntaxErrorsSayWhereAndWhat) {
  EXPECT_EQ(ParseError("p1 = 1 p2 = 2"),
            "Error parsing partition filter: unexpected token 'p2' at position 7, expected AND, "
            "OR or the end of the filter");
  EXPECT_EQ(ParseError("p1 = \"abc"),
            "Error parsing partition filter; lexer error: unterminated string at position 5");
  EXPECT_THAT(ParseError("`p1 = 1"), HasSubstr("lexer error: unterminated quoted key"));
  EXPECT_THAT(ParseError("p1 <=> 1"), HasSubstr("unexpected token '<=>' at position 3"));
  EXPECT_THAT(ParseError("p1 not = 1"), HasSubstr("expected BETWEEN or IN"));
  EXPECT_THAT(ParseError("(p1 = 1"), HasSubstr("unexpected end of filter, expected ')'"));
  // HMS's grammar ignores trailing text; we do not.
  EXPECT_THAT(ParseError("dt BETWEEN 10 AND 20)"), HasSubstr("unexpected token ')'"));
  EXPECT_THAT(ParseError("(p1) in ()"), HasSubstr("unexpected token ')'"));
  EXPECT_THAT(ParseError("p1 = 'x' and"), HasSubstr("unexpected end of filter"));
  EXPECT_THAT(ParseError("p1 between 1 or 2"), HasSubstr("expected AND"));
  EXPECT_THAT(ParseError("p1 = $"), HasSubstr("lexer error: unexpected character '$'"));
  EXPECT_THAT(ParseError("\xc3\xa9 = 1"), HasSubstr("unexpected character '\\xc3' at position 0"));
  EXPECT_THAT(ParseError("p = -x"), HasSubstr("lexer error: unexpected character '-'"));
  EXPECT_EQ(ParseError(""), "Error parsing partition filter: the filter is empty");
  EXPECT_EQ(ParseError(" \t\n"), "Error parsing partition filter: the filter is empty");
}

TEST(FilterParserTest, RejectsDeepNestingWithoutExhaustingTheStack) {
  auto nested = [](int depth) {
    return std::string(depth, '(') + "a = 1" + std::string(depth, ')');
  };
  EXPECT_EQ(Parsed(nested(kMaxFilterNesting)), "(= a 1)");
  EXPECT_THAT(ParseError(nested(kMaxFilterNesting + 1)),
              HasSubstr("parentheses nest deeper than 100 levels"));
  EXPECT_THAT(ParseError(nested(1000000)), HasSubstr("parentheses nest deeper than 100 levels"));
}

TEST(FilterParserTest, LongFlatListsAreFine) {
  std::string filter = "a = 0";
  for (int i = 1; i < 20000; ++i) filter += " or a = " + std::to_string(i);
  absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(filter);
  ASSERT_TRUE(tree.ok()) << tree.status();
  EXPECT_EQ((*tree)->children.size(), 20000u);

  std::string in_list = "(a) in (0";
  for (int i = 1; i <= kMaxFilterValues; ++i) in_list += ", " + std::to_string(i);
  EXPECT_THAT(ParseError(in_list + ")"), HasSubstr("more than 100000 values"));
}

// ---- ResolveFilterKeys ----

const std::vector<Column> kKeys = {
    {"p1", "string", ""},   {"p2", "varchar(10)", ""},  {"p3", "int", ""},
    {"ds", "date", ""},     {"b", "BIGINT", ""},        {"c", "char(3)", ""},
    {"t", "timestamp", ""}, {"d", "decimal(10,2)", ""}, {"bo", "boolean", ""}};

absl::StatusOr<FilterNodePtr> Resolved(std::string_view filter,
                                       const std::vector<Column>& keys = kKeys) {
  absl::StatusOr<FilterNodePtr> tree = ParsePartitionFilter(filter);
  if (!tree.ok()) return tree.status();
  absl::Status status = ResolveFilterKeys(**tree, keys);
  if (!status.ok()) return status;
  return tree;
}

std::string ResolveError(std::string_view filter) {
  absl::StatusOr<FilterNodePtr> tree = Resolved(filter);
  if (tree.ok()) return "OK: " + Dump(**tree);
  EXPECT_EQ(tree.status().code(), absl::StatusCode::kInvalidArgument) << filter;
  return std::string(tree.status().message());
}

constexpr char kTypeError[] = "Filtering is supported only on partition keys of type string";

TEST(ResolveFilterKeysTest, SetsKeyIndexAndLowerCasesKeys) {
  absl::StatusOr<FilterNodePtr> tree = Resolved("P3 = 1 and `Ds` = '2024-01-01' and c = 'x'");
  ASSERT_TRUE(tree.ok()) << tree.status();
  const auto& children = (*tree)->children;
  EXPECT_EQ(children[0]->condition.key, "p3");
  EXPECT_EQ(children[0]->condition.key_index, 2);
  EXPECT_EQ(children[1]->condition.key, "ds");
  EXPECT_EQ(children[1]->condition.key_index, 3);
  EXPECT_EQ(children[1]->condition.value.kind, FilterLiteral::Kind::kDate);
  EXPECT_EQ(children[2]->condition.key_index, 5);
}

TEST(ResolveFilterKeysTest, HmsCases) {
  const std::vector<Column> hms_keys = {
      {"p1", "string", ""}, {"p2", "string", ""}, {"p3", "int", ""}};
  for (const std::string& filter : kHmsFilters) {
    EXPECT_TRUE(Resolved(filter, hms_keys).ok()) << filter;
  }
  EXPECT_EQ(ResolveError("p4 = \"p4\""),
            "Specified key <p4> is not a partitioning key for the table");
  EXPECT_THAT(ResolveError("c1 >= \"p12\""), HasSubstr("<c1> is not a partitioning key"));
  EXPECT_EQ(ResolveError("p3 >= \"p12\""),
            std::string(kTypeError) +
                ", and on integral and date keys with integer and date values: key <p3> of type "
                "int cannot be compared with \"p12\"");
}

TEST(ResolveFilterKeysTest, CoercesValuesToTheKeyType) {
  EXPECT_EQ(ResolveError("p3 = \"31\" and b = '-5'"), "OK: (and (= p3 31) (= b -5))");
  EXPECT_EQ(ResolveError("p1 = 2024-01-01"), "OK: (= p1 \"2024-01-01\")");
  EXPECT_EQ(ResolveError("ds between '2024-01-01' and 2024-01-31"),
            "OK: (and (>= ds date:2024-01-01) (<= ds date:2024-01-31))");
  EXPECT_EQ(
      ResolveError("p3 = '__HIVE_DEFAULT_PARTITION__' or ds != '__HIVE_DEFAULT_PARTITION__'"),
      "OK: (or (= p3 \"__HIVE_DEFAULT_PARTITION__\") (!= ds \"__HIVE_DEFAULT_PARTITION__\"))");
  EXPECT_EQ(ResolveError("p2 like 'a%' and c like 'b.*'"),
            "OK: (and (like p2 \"a%\") (like c \"b.*\"))");
}

TEST(ResolveFilterKeysTest, RejectsUnsupportedTypesAndMismatches) {
  for (const char* filter :
       {"p1 = 5", "p1 = TIMESTAMP '2024-01-01 00:00:00'", "p3 like '3%'", "p3 = 2024-01-01",
        "p3 = '3.5'", "b = '99999999999999999999'", "ds = '2024-1-1'", "ds = 5", "ds like '2024%'",
        "ds = TIMESTAMP '2024-01-01 00:00:00'", "t = 'x'", "t = TIMESTAMP '2024-01-01 00:00:00'",
        "d = 1", "bo = 'true'", "d = '__HIVE_DEFAULT_PARTITION__'"}) {
    EXPECT_THAT(ResolveError(filter), StartsWith(kTypeError)) << filter;
  }
  EXPECT_THAT(ResolveError("p3 like '3%'"), HasSubstr("key <p3> of type int cannot be matched"));
  EXPECT_THAT(ResolveError("t = 'x'"), HasSubstr("key <t> of type timestamp"));
}

TEST(ResolveFilterKeysTest, RejectsDeepHandBuiltTrees) {
  FilterNode root;
  FilterNode* node = &root;
  for (int i = 0; i < 100000; ++i) {
    node->kind = i % 2 == 0 ? FilterNode::Kind::kAnd : FilterNode::Kind::kOr;
    node->children.push_back(std::make_unique<FilterNode>());
    node = node->children.back().get();
  }
  node->condition.key = "p1";
  EXPECT_EQ(ResolveFilterKeys(root, kKeys).code(), absl::StatusCode::kInvalidArgument);
  // Tear down iteratively: the default destructor would recurse 100000 levels.
  while (!root.children.empty()) {
    FilterNodePtr child = std::move(root.children[0]);
    root.children = std::move(child->children);
  }
}

}  // namespace
}  // namespace almanac
