#pragma once

// A small JSON reader and writer for the catalog's stored documents (parameters, storage
// descriptors, table bodies, statistics). Only what the store needs: objects, arrays, strings,
// 64-bit integers, doubles, booleans and null.
//
// Strings are byte strings: the writer escapes '"', '\\' and control characters below 0x20 and
// passes every other byte through (UTF-8 included), so any std::string round-trips. The reader
// decodes \uXXXX escapes (with surrogate pairs) to UTF-8.
//
// Thread-safety: values and writers are plain objects; use one per thread.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace almanac::json {

// A parsed JSON document. Objects keep their members in document order.
class Value {
 public:
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Value() = default;
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Double(double d);
  static Value String(std::string s);
  static Value Array();
  static Value Object();

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_number() const { return type_ == Type::kInt || type_ == Type::kDouble; }

  // Accessors; each is only meaningful for the matching type().
  bool bool_value() const { return bool_; }
  int64_t int_value() const { return int_; }
  double double_value() const { return double_; }
  const std::string& string_value() const { return string_; }

  // Array elements, or the member values of an object.
  const std::vector<Value>& items() const { return items_; }
  // Member names of an object, parallel to items().
  const std::vector<std::string>& keys() const { return keys_; }

  // The member `key` of an object, or nullptr if absent (or if this is not an object).
  const Value* Find(std::string_view key) const;

  // Builders used by the parser.
  void Append(Value v) { items_.push_back(std::move(v)); }
  void Add(std::string key, Value v);

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double double_ = 0;
  std::string string_;
  std::vector<Value> items_;
  std::vector<std::string> keys_;
};

// Parses one JSON document. Malformed text (including trailing garbage or nesting deeper than
// 128 levels) returns DataLoss: stored documents are only ever written by Writer.
absl::StatusOr<Value> Parse(std::string_view text);

// Builds a compact JSON document. Commas are inserted automatically; the caller balances
// Begin/End calls and calls Key() before each object member.
class Writer {
 public:
  void BeginObject();
  void EndObject();
  void BeginArray();
  void EndArray();
  void Key(std::string_view key);

  void String(std::string_view s);
  void Int(int64_t i);
  // Non-finite values are written as the strings "NaN", "Infinity" and "-Infinity".
  void Double(double d);
  void Bool(bool b);
  void Null();

  const std::string& text() const { return out_; }
  std::string Release() { return std::move(out_); }

 private:
  void BeforeValue();

  std::string out_;
  std::vector<bool> first_;  // One entry per open container: no element written yet.
  bool after_key_ = false;
};

// Appends `s` to `out` as a quoted, escaped JSON string.
void AppendQuoted(std::string_view s, std::string* out);

}  // namespace almanac::json
