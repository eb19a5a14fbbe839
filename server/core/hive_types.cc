#include "server/core/hive_types.h"

#include <algorithm>
#include <cstdint>
#include <initializer_list>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "server/core/names.h"

namespace almanac {
namespace {

constexpr absl::string_view kFromDeserializer = "<derived from deserializer>";
constexpr size_t kMaxShownChars = 64;
// Larger numbers are clamped: every bound is far below it.
constexpr int64_t kNumberCap = 1'000'000'000;

bool IsWordChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

bool IsControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// A struct field name without backquotes runs up to the next ':', ',' or '>', as Hive's type
// parser reads it since HIVE-29749 (Spark and Iceberg send names such as "y.z" or "a-b" so).
// Tabs and other whitespace may surround it; other control characters end it.
bool IsBareNameChar(char c) {
  return c != ':' && c != ',' && c != '>' && (!IsControl(c) || absl::ascii_isspace(c));
}

// Primitive types that take no parameters.
bool IsPlainPrimitive(absl::string_view name) {
  static const auto* const kNames =
      new absl::flat_hash_set<absl::string_view>{"tinyint",
                                                 "smallint",
                                                 "int",
                                                 "integer",
                                                 "bigint",
                                                 "float",
                                                 "boolean",
                                                 "string",
                                                 "binary",
                                                 "date",
                                                 "datetime",
                                                 "void",
                                                 "interval_year_month",
                                                 "interval_day_time"};
  return kNames->contains(name);
}

class TypeChecker {
 public:
  explicit TypeChecker(absl::string_view text) : text_(text) {}

  absl::Status Check() {
    RETURN_IF_ERROR(Type(0));
    SkipSpace();
    if (pos_ < text_.size()) return Unexpected("the end of the type");
    return absl::OkStatus();
  }

 private:
  absl::Status Type(int depth) {
    if (depth >= kMaxTypeDepth) {
      return Error(absl::StrCat("the type nests more than ", kMaxTypeDepth, " levels deep"));
    }
    SkipSpace();
    const size_t start = pos_;
    const std::string name = absl::AsciiStrToLower(Word());
    if (name.empty()) return Unexpected("a type");
    if (name == "array") {
      RETURN_IF_ERROR(Expect('<'));
      RETURN_IF_ERROR(Type(depth + 1));
      return Expect('>');
    }
    if (name == "map") {
      RETURN_IF_ERROR(Expect('<'));
      RETURN_IF_ERROR(Type(depth + 1));
      RETURN_IF_ERROR(Expect(','));
      RETURN_IF_ERROR(Type(depth + 1));
      return Expect('>');
    }
    if (name == "struct") return Struct(depth);
    if (name == "uniontype") return Union(depth);
    return Primitive(name, start);
  }

  absl::Status Struct(int depth) {
    RETURN_IF_ERROR(Expect('<'));
    if (Consume('>')) return absl::OkStatus();
    while (true) {
      RETURN_IF_ERROR(FieldName());
      RETURN_IF_ERROR(Expect(':'));
      RETURN_IF_ERROR(Type(depth + 1));
      if (!Consume(',')) return Expect('>');
    }
  }

  absl::Status Union(int depth) {
    RETURN_IF_ERROR(Expect('<'));
    while (true) {
      RETURN_IF_ERROR(Type(depth + 1));
      if (!Consume(',')) return Expect('>');
    }
  }

  absl::Status Primitive(const std::string& name, size_t start) {
    if (IsPlainPrimitive(name)) return absl::OkStatus();
    if (name == "double") {
      OptionalWords({"precision"});
      return absl::OkStatus();
    }
    if (name == "timestamp") {
      if (OptionalWords({"with", "local", "time", "zone"}) ||
          OptionalWords({"with", "time", "zone"})) {
        return absl::OkStatus();
      }
      if (NextWordIs("with")) return Unexpected("'local time zone' or 'time zone'");
      return absl::OkStatus();
    }
    if (name == "decimal") return DecimalParams();
    if (name == "char") return LengthParam("char", 255);
    if (name == "varchar") return LengthParam("varchar", 65535);
    pos_ = start;
    return Error(absl::StrCat("unknown type '", Printable(name, kMaxShownChars), "'"));
  }

  absl::Status DecimalParams() {
    if (!Consume('(')) return absl::OkStatus();
    int64_t precision = 0;
    int64_t scale = 0;
    RETURN_IF_ERROR(Number(&precision));
    if (Consume(',')) RETURN_IF_ERROR(Number(&scale));
    RETURN_IF_ERROR(Expect(')'));
    if (precision < 1 || precision > 38) {
      return Error(
          absl::StrCat("decimal precision ", precision, " is outside Hive's range [1, 38]"));
    }
    if (scale > precision) {
      return Error(
          absl::StrCat("decimal scale ", scale, " is greater than its precision ", precision));
    }
    return absl::OkStatus();
  }

  absl::Status LengthParam(absl::string_view name, int64_t max) {
    if (!Consume('(')) return Error(absl::StrCat(name, " needs a length, e.g. ", name, "(10)"));
    int64_t length = 0;
    RETURN_IF_ERROR(Number(&length));
    RETURN_IF_ERROR(Expect(')'));
    if (length < 1 || length > max) {
      return Error(
          absl::StrCat(name, " length ", length, " is outside Hive's range [1, ", max, "]"));
    }
    return absl::OkStatus();
  }

  absl::Status Number(int64_t* value) {
    SkipSpace();
    const size_t start = pos_;
    *value = 0;
    while (pos_ < text_.size() && absl::ascii_isdigit(text_[pos_])) {
      *value = std::min(kNumberCap, *value * 10 + (text_[pos_] - '0'));
      ++pos_;
    }
    if (pos_ == start) return Unexpected("a number");
    return absl::OkStatus();
  }

  absl::Status FieldName() {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == '`') return QuotedFieldName();
    const size_t start = pos_;
    size_t end = pos_;
    while (pos_ < text_.size() && IsBareNameChar(text_[pos_])) {
      if (!absl::ascii_isspace(text_[pos_])) end = pos_ + 1;
      ++pos_;
    }
    pos_ = end;
    if (end == start) return Unexpected("a field name");
    return absl::OkStatus();
  }

  absl::Status QuotedFieldName() {
    const size_t start = pos_++;
    size_t length = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '`') {
        if (pos_ < text_.size() && text_[pos_] == '`') {
          ++pos_;
        } else {
          if (length > 0) return absl::OkStatus();
          pos_ = start;
          return Error("a field name is empty");
        }
      } else if (IsControl(c)) {
        --pos_;
        return Error("a field name contains a control character");
      }
      ++length;
    }
    pos_ = start;
    return Error("a backquoted field name is not closed");
  }

  // Consumes `words` if they all follow, separated by whitespace; otherwise consumes nothing.
  bool OptionalWords(std::initializer_list<absl::string_view> words) {
    const size_t start = pos_;
    for (absl::string_view word : words) {
      SkipSpace();
      if (!absl::EqualsIgnoreCase(Word(), word)) {
        pos_ = start;
        return false;
      }
    }
    return true;
  }

  bool NextWordIs(absl::string_view word) {
    const size_t start = pos_;
    SkipSpace();
    const bool match = absl::EqualsIgnoreCase(Word(), word);
    pos_ = start;
    return match;
  }

  absl::string_view Word() {
    const size_t start = pos_;
    while (pos_ < text_.size() && IsWordChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }

  void SkipSpace() {
    while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }

  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  absl::Status Expect(char c) {
    if (Consume(c)) return absl::OkStatus();
    return Unexpected(absl::StrCat("'", absl::string_view(&c, 1), "'"));
  }

  absl::Status Unexpected(absl::string_view wanted) const {
    if (pos_ >= text_.size()) return Error(absl::StrCat(wanted, " expected but the type ends"));
    return Error(
        absl::StrCat(wanted, " expected but '", Printable(text_.substr(pos_, 1)), "' found"));
  }

  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(absl::StrCat(what, " at position ", pos_));
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

absl::Status ValidateHiveType(absl::string_view type) {
  if (type == kFromDeserializer) return absl::OkStatus();
  if (absl::StripAsciiWhitespace(type).empty()) {
    return absl::InvalidArgumentError("the type is empty");
  }
  return TypeChecker(type).Check();
}

}  // namespace almanac
