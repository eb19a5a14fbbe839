#include "storage/json.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"

namespace almanac::json {

Value Value::Bool(bool b) {
  Value v;
  v.type_ = Type::kBool;
  v.bool_ = b;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.type_ = Type::kInt;
  v.int_ = i;
  return v;
}

Value Value::Double(double d) {
  Value v;
  v.type_ = Type::kDouble;
  v.double_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.type_ = Type::kString;
  v.string_ = std::move(s);
  return v;
}

Value Value::Array() {
  Value v;
  v.type_ = Type::kArray;
  return v;
}

Value Value::Object() {
  Value v;
  v.type_ = Type::kObject;
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (size_t i = 0; i < keys_.size(); ++i) {
    if (keys_[i] == key) return &items_[i];
  }
  return nullptr;
}

void Value::Add(std::string key, Value v) {
  keys_.push_back(std::move(key));
  items_.push_back(std::move(v));
}

// ---------------------------------------------------------------------------------------------
// Writer

void AppendQuoted(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (u < 0x20) {
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void Writer::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

void Writer::BeginObject() {
  BeforeValue();
  out_.push_back('{');
  first_.push_back(true);
}

void Writer::EndObject() {
  out_.push_back('}');
  first_.pop_back();
}

void Writer::BeginArray() {
  BeforeValue();
  out_.push_back('[');
  first_.push_back(true);
}

void Writer::EndArray() {
  out_.push_back(']');
  first_.pop_back();
}

void Writer::Key(std::string_view key) {
  BeforeValue();
  AppendQuoted(key, &out_);
  out_.push_back(':');
  after_key_ = true;
}

void Writer::String(std::string_view s) {
  BeforeValue();
  AppendQuoted(s, &out_);
}

void Writer::Int(int64_t i) {
  BeforeValue();
  absl::StrAppend(&out_, i);
}

void Writer::Double(double d) {
  if (std::isnan(d)) return String("NaN");
  if (std::isinf(d)) return String(d > 0 ? "Infinity" : "-Infinity");
  BeforeValue();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d);
  out_.append(buf, end);
}

void Writer::Bool(bool b) {
  BeforeValue();
  out_.append(b ? "true" : "false");
}

void Writer::Null() {
  BeforeValue();
  out_.append("null");
}

}  // namespace almanac::json
