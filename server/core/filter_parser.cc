#include "server/core/filter_parser.h"

#include <cstdint>
#include <deque>
#include <iterator>
#include <string>
#include <utility>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/partition_name.h"

namespace almanac {
namespace {

// What differs between the partition filter and the table filter of get_table_names_by_filter:
// the text errors start with, and whether keys may contain dots (table parameter keys such as
// "hive_filter_field_params__spark.sql.sources.provider" do).
struct Dialect {
  std::string_view error_prefix;
  bool dotted_keys;
};

constexpr Dialect kPartitionDialect = {"Error parsing partition filter", false};
constexpr Dialect kTableDialect = {"Error parsing table filter", true};

// Debian's Abseil has its own string_view type; this converts where Abseil needs one.
absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

absl::Status SyntaxError(const Dialect& dialect, std::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat(Sv(dialect.error_prefix), ": ", Sv(detail)));
}

// ---- Literal checks shared by the parser and the resolver. ----

// True if s[pos...] starts with `shape`, where '9' stands for any digit.
bool MatchesShape(std::string_view s, size_t pos, std::string_view shape) {
  if (pos > s.size() || s.size() - pos < shape.size()) return false;
  for (size_t i = 0; i < shape.size(); ++i) {
    const char c = s[pos + i];
    if (shape[i] == '9' ? !absl::ascii_isdigit(c) : c != shape[i]) return false;
  }
  return true;
}

constexpr std::string_view kDateShape = "9999-99-99";
constexpr std::string_view kTimestampShape = "9999-99-99 99:99:99";

int Digits(std::string_view s, size_t pos, size_t n) {
  int value = 0;
  for (size_t i = pos; i < pos + n; ++i) value = value * 10 + (s[i] - '0');
  return value;
}

bool IsValidDate(std::string_view s) {
  if (s.size() != kDateShape.size() || !MatchesShape(s, 0, kDateShape)) return false;
  const int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2);
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month != 2 || day <= 28 || leap;
}

bool IsValidTimestamp(std::string_view s) {
  return s.size() == kTimestampShape.size() && MatchesShape(s, 0, kTimestampShape) &&
         IsValidDate(s.substr(0, kDateShape.size())) && Digits(s, 11, 2) < 24 &&
         Digits(s, 14, 2) < 60 && Digits(s, 17, 2) < 60;
}

bool IsIntegerText(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// ---- Lexer ----

// Punctuation, operators and keywords are all kSymbol, with upper-case text. Malformed text
// becomes a kError token whose text is the error message.
enum class Tok { kEnd, kError, kSymbol, kString, kInteger, kDate, kTimestamp, kWord, kQuotedWord };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // Symbol, key name, or literal text without its quotes.
  size_t pos = 0;    // Byte offset in the filter.
  size_t len = 0;
};

constexpr std::string_view kKeywords[] = {"AND", "OR", "NOT", "BETWEEN", "IN", "LIKE"};
// Longest first, so that "<=>" is not read as "<=" and ">".
constexpr std::string_view kSymbols[] = {
    "<=>", "==", "<>", "!=", "<=", ">=", "=", "<", ">", "(", ")", ","};

void LexError(Token& t, const Dialect& dialect, std::string_view what, size_t pos) {
  t.kind = Tok::kError;
  t.text =
      absl::StrCat(Sv(dialect.error_prefix), "; lexer error: ", Sv(what), " at position ", pos);
}

bool IsWordChar(char c, const Dialect& dialect) {
  return absl::ascii_isalnum(c) || c == '_' || (dialect.dotted_keys && c == '.');
}

// '...' and "..." (a backslash escapes the next character), or `...` (`` is one backquote).
void LexQuoted(std::string_view s, size_t& pos, Token& t, const Dialect& dialect) {
  const char quote = s[pos];
  const size_t start = pos++;
  t.kind = quote == '`' ? Tok::kQuotedWord : Tok::kString;
  while (pos < s.size()) {
    char c = s[pos++];
    if (c == quote) {
      if (quote != '`' || pos == s.size() || s[pos] != '`') return;
      ++pos;
    } else if (c == '\\' && quote != '`' && pos < s.size()) {
      t.text += c;
      c = s[pos++];
    }
    t.text += c;
  }
  LexError(t, dialect, quote == '`' ? "unterminated quoted key" : "unterminated string", start);
}

// Reads the token starting at `pos` (not whitespace, not the end) and moves `pos` past it.
void LexToken(std::string_view s, size_t& pos, Token& t, const Dialect& dialect) {
  const char c = s[pos];
  if (c == '\'' || c == '"' || c == '`') return LexQuoted(s, pos, t, dialect);
  for (auto [shape, kind] :
       {std::pair{kTimestampShape, Tok::kTimestamp}, std::pair{kDateShape, Tok::kDate}}) {
    if (!MatchesShape(s, pos, shape)) continue;
    t.kind = kind;
    t.text = std::string(s.substr(pos, shape.size()));
    pos += shape.size();
    return;
  }
  const size_t start = pos;
  if (IsWordChar(c, dialect) ||
      (c == '-' && pos + 1 < s.size() && absl::ascii_isdigit(s[pos + 1]))) {
    for (++pos; pos < s.size() && IsWordChar(s[pos], dialect);) ++pos;
    t.text = std::string(s.substr(start, pos - start));
    const std::string upper = absl::AsciiStrToUpper(t.text);
    if (IsIntegerText(t.text)) {
      t.kind = Tok::kInteger;
    } else if (c == '-') {
      LexError(t, dialect, "unexpected character '-'", start);
    } else {
      const bool keyword = absl::c_linear_search(kKeywords, upper);
      t.kind = keyword ? Tok::kSymbol : Tok::kWord;
      if (keyword) t.text = upper;
    }
    return;
  }
  for (std::string_view symbol : kSymbols) {
    if (s.compare(pos, symbol.size(), symbol) != 0) continue;
    t.kind = Tok::kSymbol;
    t.text = std::string(symbol);
    pos += symbol.size();
    return;
  }
  LexError(t, dialect,
           absl::StrCat("unexpected character '", absl::CHexEscape(std::string(1, c)), "'"), pos);
}

// The token at `pos`, which moves past it; kEnd at the end, kError for malformed text.
Token NextToken(std::string_view s, size_t& pos, const Dialect& dialect) {
  while (pos < s.size() && absl::ascii_isspace(s[pos])) ++pos;
  Token token;
  token.pos = pos;
  if (pos < s.size()) LexToken(s, pos, token, dialect);
  token.len = pos - token.pos;
  return token;
}

// ---- Tree building ----

FilterNodePtr MakeCondition(std::string key, FilterOp op, FilterLiteral value) {
  auto node = std::make_unique<FilterNode>();
  node->condition.key = std::move(key);
  node->condition.op = op;
  node->condition.value = std::move(value);
  return node;
}

// AND / OR of `children`, splicing in children of the same kind; one child is returned as is.
FilterNodePtr MakeJunction(FilterNode::Kind kind, std::vector<FilterNodePtr> children) {
  if (children.size() == 1) return std::move(children[0]);
  auto node = std::make_unique<FilterNode>();
  node->kind = kind;
  for (FilterNodePtr& child : children) {
    if (child->kind != kind) {
      node->children.push_back(std::move(child));
    } else {
      absl::c_move(child->children, std::back_inserter(node->children));
    }
  }
  return node;
}

// `value op key` means `key Mirror(op) value`.
FilterOp Mirror(FilterOp op) {
  static constexpr FilterOp kMirror[] = {FilterOp::kEq,  FilterOp::kNe, FilterOp::kGt,
                                         FilterOp::kGe,  FilterOp::kLt, FilterOp::kLe,
                                         FilterOp::kLike};
  return kMirror[static_cast<int>(op)];
}

// `keys[i] = values[i]` joined by `kind`, or when negated `keys[i] != values[i]` joined by the
// other kind. A single key stands for every value.
FilterNodePtr Expand(const std::vector<std::string>& keys, std::vector<FilterLiteral> values,
                     bool negated, FilterNode::Kind kind) {
  std::vector<FilterNodePtr> children;
  for (size_t i = 0; i < values.size(); ++i) {
    children.push_back(MakeCondition(keys[keys.size() == 1 ? 0 : i],
                                     negated ? FilterOp::kNe : FilterOp::kEq,
                                     std::move(values[i])));
  }
  const bool is_and = (kind == FilterNode::Kind::kAnd) != negated;
  return MakeJunction(is_and ? FilterNode::Kind::kAnd : FilterNode::Kind::kOr, std::move(children));
}

// ---- Parser: recursive descent over the tokens. ----

using Kind = FilterNode::Kind;

class Parser {
 public:
  Parser(std::string_view text, const Dialect& dialect) : text_(text), dialect_(dialect) {}

  absl::StatusOr<FilterNodePtr> Parse() {
    ASSIGN_OR_RETURN(FilterNodePtr root, ParseJunction(Kind::kOr, 0));
    if (!At(Tok::kEnd)) return Unexpected("AND, OR or the end of the filter");
    return root;
  }

 private:
  // Tokens are read on demand, so memory stays small however long the filter is.
  const Token& Peek(size_t ahead = 0) {
    while (lookahead_.size() <= ahead) lookahead_.push_back(NextToken(text_, pos_, dialect_));
    return lookahead_[ahead];
  }
  Token Take() {
    Token token = Peek();
    lookahead_.pop_front();
    return token;
  }
  bool At(Tok kind, size_t ahead = 0) { return Peek(ahead).kind == kind; }
  bool At(std::string_view symbol, size_t ahead = 0) {
    return At(Tok::kSymbol, ahead) && Peek(ahead).text == symbol;
  }
  bool Accept(std::string_view symbol) { return At(symbol) && (Take(), true); }
  bool AtWord(std::string_view upper, size_t ahead = 0) {
    return At(Tok::kWord, ahead) && absl::EqualsIgnoreCase(Peek(ahead).text, Sv(upper));
  }
  // DATE 'x' and TIMESTAMP 'x' are literals; elsewhere those words are keys.
  bool AtTypedLiteral() { return (AtWord("DATE") || AtWord("TIMESTAMP")) && At(Tok::kString, 1); }
  bool AtKey(size_t ahead = 0) {
    return (At(Tok::kWord, ahead) && !(ahead == 0 && AtTypedLiteral())) ||
           At(Tok::kQuotedWord, ahead);
  }
  bool AtLiteral() {
    return At(Tok::kString) || At(Tok::kInteger) || At(Tok::kDate) || At(Tok::kTimestamp) ||
           AtTypedLiteral();
  }

  absl::Status Error(std::string_view detail) const { return SyntaxError(dialect_, detail); }

  absl::Status Unexpected(std::string_view expected) {
    const Token& t = Peek();
    if (t.kind == Tok::kError) return absl::InvalidArgumentError(t.text);
    if (t.kind == Tok::kEnd) {
      return Error(absl::StrCat("unexpected end of filter, expected ", Sv(expected)));
    }
    return Error(absl::StrCat("unexpected token '", Sv(text_.substr(t.pos, t.len)),
                              "' at position ", t.pos, ", expected ", Sv(expected)));
  }
  absl::Status Expect(std::string_view symbol, std::string_view expected) {
    return Accept(symbol) ? absl::OkStatus() : Unexpected(expected);
  }

  // or := and (OR and)*;  and := term (AND term)*.
  absl::StatusOr<FilterNodePtr> ParseJunction(Kind kind, int depth) {
    std::vector<FilterNodePtr> children;
    do {
      ASSIGN_OR_RETURN(FilterNodePtr child,
                       kind == Kind::kOr ? ParseJunction(Kind::kAnd, depth) : ParseTerm(depth));
      children.push_back(std::move(child));
    } while (Accept(kind == Kind::kOr ? "OR" : "AND"));
    return MakeJunction(kind, std::move(children));
  }

  absl::StatusOr<FilterNodePtr> ParseTerm(int depth) {
    if (!At("(")) return ParseCondition();
    if (AtWord("STRUCT", 1) && At("(", 2)) return ParseStructIn();
    if (AtKey(1) && At(")", 2) && (At("NOT", 3) || At("IN", 3))) {  // (key) [NOT] IN (...)
      Take();
      std::string key = Take().text;
      Take();
      return ParseKeyPredicate(std::move(key));
    }
    if (depth >= kMaxFilterNesting) {
      return Error(absl::StrCat("parentheses nest deeper than ", kMaxFilterNesting,
                                " levels at position ", Peek().pos));
    }
    Take();
    ASSIGN_OR_RETURN(FilterNodePtr node, ParseJunction(Kind::kOr, depth + 1));
    RETURN_IF_ERROR(Expect(")", "')'"));
    return node;
  }

  absl::StatusOr<FilterNodePtr> ParseCondition() {
    if (!AtLiteral()) {
      ASSIGN_OR_RETURN(std::string key, ParseKey());
      return ParseKeyPredicate(std::move(key));
    }
    ASSIGN_OR_RETURN(FilterLiteral value, ParseLiteral());  // value op key
    ASSIGN_OR_RETURN(FilterOp op, ParseOp());
    ASSIGN_OR_RETURN(std::string key, ParseKey());
    if (op == FilterOp::kLike) {
      return Error(absl::StrCat("Value should be on the RHS for LIKE operator: key <", key, ">"));
    }
    return MakeCondition(std::move(key), Mirror(op), std::move(value));
  }

  // What follows a key: op value, [NOT] BETWEEN low AND high, or [NOT] IN (values).
  absl::StatusOr<FilterNodePtr> ParseKeyPredicate(std::string key) {
    const bool negated = Accept("NOT");
    if (Accept("IN")) {
      ASSIGN_OR_RETURN(std::vector<FilterLiteral> values, ParseList(&Parser::ParseLiteral));
      return Expand({key}, std::move(values), negated, Kind::kOr);
    }
    if (Accept("BETWEEN")) {
      std::vector<FilterNodePtr> children;
      ASSIGN_OR_RETURN(FilterLiteral low, ParseLiteral());
      RETURN_IF_ERROR(Expect("AND", "AND"));
      ASSIGN_OR_RETURN(FilterLiteral high, ParseLiteral());
      children.push_back(MakeCondition(key, negated ? FilterOp::kLt : FilterOp::kGe, low));
      children.push_back(MakeCondition(key, negated ? FilterOp::kGt : FilterOp::kLe, high));
      return MakeJunction(negated ? Kind::kOr : Kind::kAnd, std::move(children));
    }
    if (negated) return Unexpected("BETWEEN or IN");
    ASSIGN_OR_RETURN(FilterOp op, ParseOp());
    ASSIGN_OR_RETURN(FilterLiteral value, ParseLiteral());
    return MakeCondition(std::move(key), op, std::move(value));
  }

  // (STRUCT(k1, ...)) [NOT] IN ([CONST] STRUCT(v1, ...), ...).
  absl::StatusOr<FilterNodePtr> ParseStructIn() {
    Take();  // (
    Take();  // STRUCT
    ASSIGN_OR_RETURN(std::vector<std::string> keys, ParseList(&Parser::ParseKey));
    RETURN_IF_ERROR(Expect(")", "')'"));
    const bool negated = Accept("NOT");
    RETURN_IF_ERROR(Expect("IN", negated ? "IN" : "NOT or IN"));
    ASSIGN_OR_RETURN(auto tuples, ParseList(&Parser::ParseStructValues));
    std::vector<FilterNodePtr> children;
    for (std::vector<FilterLiteral>& values : tuples) {
      if (values.size() != keys.size()) {
        return Error(
            absl::StrCat("a STRUCT has ", values.size(), " values for ", keys.size(), " keys"));
      }
      children.push_back(Expand(keys, std::move(values), negated, Kind::kAnd));
    }
    return MakeJunction(negated ? Kind::kAnd : Kind::kOr, std::move(children));
  }

  absl::StatusOr<std::vector<FilterLiteral>> ParseStructValues() {
    if (AtWord("CONST")) Take();
    if (!AtWord("STRUCT")) return Unexpected("STRUCT");
    Take();
    return ParseList(&Parser::ParseLiteral);
  }

  // '(' item (',' item)* ')'
  template <typename T>
  absl::StatusOr<std::vector<T>> ParseList(absl::StatusOr<T> (Parser::*parse_item)()) {
    RETURN_IF_ERROR(Expect("(", "'('"));
    std::vector<T> items;
    do {
      ASSIGN_OR_RETURN(T item, (this->*parse_item)());
      items.push_back(std::move(item));
    } while (Accept(","));
    RETURN_IF_ERROR(Expect(")", "',' or ')'"));
    return items;
  }

  absl::StatusOr<std::string> ParseKey() {
    if (!AtKey()) return Unexpected("a partition key");
    return Take().text;
  }

  absl::StatusOr<FilterOp> ParseOp() {
    static constexpr std::pair<std::string_view, FilterOp> kOps[] = {
        {"=", FilterOp::kEq},  {"==", FilterOp::kEq}, {"<>", FilterOp::kNe},
        {"!=", FilterOp::kNe}, {"<", FilterOp::kLt},  {"<=", FilterOp::kLe},
        {">", FilterOp::kGt},  {">=", FilterOp::kGe}, {"LIKE", FilterOp::kLike}};
    for (const auto& [symbol, op] : kOps) {
      if (Accept(symbol)) return op;
    }
    return Unexpected("a comparison operator");
  }

  absl::StatusOr<FilterLiteral> ParseLiteral() {
    using LKind = FilterLiteral::Kind;
    if (!AtLiteral()) return Unexpected("a value");
    if (++values_ > kMaxFilterValues) {
      return Error(absl::StrCat("more than ", kMaxFilterValues, " values"));
    }
    FilterLiteral value;
    if (At(Tok::kString)) {  // Adjacent strings are concatenated.
      while (At(Tok::kString)) value.text += Take().text;
      return value;
    }
    const bool date = AtWord("DATE") || At(Tok::kDate);
    if (AtTypedLiteral()) Take();
    value.kind = At(Tok::kInteger) ? LKind::kInteger : date ? LKind::kDate : LKind::kTimestamp;
    const Token& token = Take();
    value.text = token.text;
    const bool ok = value.kind == LKind::kInteger ? absl::SimpleAtoi(value.text, &value.integer)
                    : date                        ? IsValidDate(value.text)
                                                  : IsValidTimestamp(value.text);
    if (ok) return value;
    const char* what = value.kind == LKind::kInteger ? "integer out of range"
                       : date                        ? "invalid date"
                                                     : "invalid timestamp";
    return Error(absl::StrCat(what, " '", value.text, "' at position ", token.pos));
  }

  std::string_view text_;
  const Dialect& dialect_;
  size_t pos_ = 0;               // Where the lexer continues.
  std::deque<Token> lookahead_;  // Read but not yet taken.
  int values_ = 0;
};

// ---- Resolution against the table's partition keys. ----

enum class KeyClass { kString, kIntegral, kDate, kOther };

KeyClass ClassifyKeyType(std::string_view type) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(Sv(type)));
  const std::string base(absl::StripAsciiWhitespace(t.substr(0, t.find('('))));
  if (t == "string" || base == "varchar" || base == "char") return KeyClass::kString;
  for (const char* integral : {"tinyint", "smallint", "int", "integer", "bigint"}) {
    if (t == integral) return KeyClass::kIntegral;
  }
  return t == "date" ? KeyClass::kDate : KeyClass::kOther;
}

// Converts the condition's literal to the key's type; false if the pair is not supported.
bool CoerceLiteral(KeyClass key_class, FilterCondition& c) {
  using Kind = FilterLiteral::Kind;
  FilterLiteral& v = c.value;
  if (key_class == KeyClass::kString) {
    if (v.kind == Kind::kDate) v.kind = Kind::kString;
    return v.kind == Kind::kString;
  }
  if (key_class == KeyClass::kOther || c.op == FilterOp::kLike) return false;
  if (v.kind == Kind::kString && v.text == kDefaultPartitionName) return true;
  if (key_class == KeyClass::kIntegral) {
    if (v.kind == Kind::kString && IsIntegerText(v.text) && absl::SimpleAtoi(v.text, &v.integer)) {
      v.kind = Kind::kInteger;
    }
    return v.kind == Kind::kInteger;
  }
  if (v.kind == Kind::kString && IsValidDate(v.text)) v.kind = Kind::kDate;
  return v.kind == Kind::kDate;
}

std::string DescribeLiteral(const FilterLiteral& v) {
  using LKind = FilterLiteral::Kind;
  if (v.kind == LKind::kString) return absl::StrCat("\"", v.text, "\"");
  if (v.kind == LKind::kInteger) return v.text;
  return absl::StrCat(v.kind == LKind::kDate ? "DATE '" : "TIMESTAMP '", v.text, "'");
}

absl::Status ResolveCondition(FilterCondition& c, const std::vector<Column>& keys) {
  size_t index = 0;
  while (index < keys.size() && !absl::EqualsIgnoreCase(keys[index].name, c.key)) ++index;
  if (index == keys.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Specified key <", c.key, "> is not a partitioning key for the table"));
  }
  const Column& key = keys[index];
  c.key = absl::AsciiStrToLower(c.key);
  c.key_index = static_cast<int>(index);
  if (CoerceLiteral(ClassifyKeyType(key.type), c)) return absl::OkStatus();
  const std::string what =
      c.op == FilterOp::kLike ? "cannot be matched with LIKE against " : "cannot be compared with ";
  return absl::InvalidArgumentError(absl::StrCat(
      "Filtering is supported only on partition keys of type string, and on integral and date "
      "keys with integer and date values: key <",
      c.key, "> of type ", key.type, " ", what, DescribeLiteral(c.value)));
}

absl::Status ResolveNode(FilterNode& node, const std::vector<Column>& keys, int depth) {
  if (depth > 2 * kMaxFilterNesting) {
    return absl::InvalidArgumentError("The partition filter nests too deeply");
  }
  if (node.kind == FilterNode::Kind::kCondition) return ResolveCondition(node.condition, keys);
  for (FilterNodePtr& child : node.children) {
    if (child == nullptr) return absl::InvalidArgumentError("The partition filter has a null node");
    RETURN_IF_ERROR(ResolveNode(*child, keys, depth + 1));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FilterNodePtr> ParsePartitionFilter(std::string_view text) {
  if (absl::StripAsciiWhitespace(Sv(text)).empty()) {
    return SyntaxError(kPartitionDialect, "the filter is empty");
  }
  return Parser(text, kPartitionDialect).Parse();
}

absl::StatusOr<FilterNodePtr> ParseTableFilter(std::string_view text) {
  if (absl::StripAsciiWhitespace(Sv(text)).empty()) {
    return SyntaxError(kTableDialect, "the filter is empty");
  }
  return Parser(text, kTableDialect).Parse();
}

absl::Status ResolveFilterKeys(FilterNode& root, const std::vector<Column>& partition_keys) {
  return ResolveNode(root, partition_keys, 0);
}

}  // namespace almanac
