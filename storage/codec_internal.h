#pragma once

// Helpers shared by the codec's source files (codec.cc, stats_codec.cc). Not part of the
// storage API: include storage/codec.h instead.

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "storage/absl_compat.h"
#include "storage/json.h"
#include "storage/model.h"

namespace almanac::codec_internal {

// ---------------------------------------------------------------------------------------------
// Decoding helpers. A Decoder records the first type mismatch and hands back defaults, so the
// decode functions read straight through and check the status once at the end.

class Decoder {
 public:
  const absl::Status& status() const { return status_; }

  // Records that `what` is not `expected` (the first such error wins).
  void Fail(std::string_view what, std::string_view expected) {
    if (status_.ok()) {
      status_ = absl::DataLossError(
          absl::StrCat("corrupt stored document: ", AsAbsl(what), " is not ", AsAbsl(expected)));
    }
  }

  const json::Value& Object(const json::Value* v, std::string_view what) {
    static const json::Value* const kEmpty = new json::Value(json::Value::Object());
    if (v == nullptr || v->is_null()) return *kEmpty;
    if (v->type() != json::Value::Type::kObject) {
      Fail(what, "an object");
      return *kEmpty;
    }
    return *v;
  }

  const std::vector<json::Value>& Array(const json::Value* v, std::string_view what) {
    static const std::vector<json::Value>* const kEmpty = new std::vector<json::Value>();
    if (v == nullptr || v->is_null()) return *kEmpty;
    if (v->type() != json::Value::Type::kArray) {
      Fail(what, "an array");
      return *kEmpty;
    }
    return v->items();
  }

  std::string Str(const json::Value* v, std::string_view what) {
    if (v == nullptr || v->is_null()) return "";
    if (v->type() != json::Value::Type::kString) {
      Fail(what, "a string");
      return "";
    }
    return v->string_value();
  }

  int64_t Int(const json::Value* v, std::string_view what, int64_t def = 0) {
    if (v == nullptr || v->is_null()) return def;
    if (v->type() != json::Value::Type::kInt) {
      Fail(what, "an integer");
      return def;
    }
    return v->int_value();
  }

  int32_t Int32(const json::Value* v, std::string_view what, int32_t def = 0) {
    const int64_t i = Int(v, what, def);
    if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
      Fail(what, "a 32-bit integer");
      return def;
    }
    return static_cast<int32_t>(i);
  }

  bool Bool(const json::Value* v, std::string_view what, bool def = false) {
    if (v == nullptr || v->is_null()) return def;
    if (v->type() != json::Value::Type::kBool) {
      Fail(what, "a boolean");
      return def;
    }
    return v->bool_value();
  }

  double Double(const json::Value* v, std::string_view what) {
    if (v == nullptr || v->is_null()) return 0;
    if (v->type() == json::Value::Type::kInt) return static_cast<double>(v->int_value());
    if (v->type() == json::Value::Type::kDouble) return v->double_value();
    if (v->type() == json::Value::Type::kString) {
      const std::string& s = v->string_value();
      if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
      if (s == "Infinity") return std::numeric_limits<double>::infinity();
      if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
    }
    Fail(what, "a number");
    return 0;
  }

  std::string Bytes(const json::Value* v, std::string_view what) {
    std::string out;
    if (!absl::Base64Unescape(Str(v, what), &out)) Fail(what, "base64 text");
    return out;
  }

  Params ToParams(const json::Value* v, std::string_view what) {
    Params out;
    const json::Value& obj = Object(v, what);
    for (size_t i = 0; i < obj.keys().size(); ++i) {
      out[obj.keys()[i]] = Str(&obj.items()[i], what);
    }
    return out;
  }

  std::vector<std::string> ToStrings(const json::Value* v, std::string_view what) {
    std::vector<std::string> out;
    for (const json::Value& item : Array(v, what)) out.push_back(Str(&item, what));
    return out;
  }

  std::vector<Column> ToColumns(const json::Value* v) {
    std::vector<Column> out;
    for (const json::Value& item : Array(v, "columns")) {
      const json::Value& obj = Object(&item, "column");
      out.push_back(Column{Str(obj.Find("name"), "column name"), Str(obj.Find("type"), "type"),
                           Str(obj.Find("comment"), "comment")});
    }
    return out;
  }

 private:
  absl::Status status_;
};

// Parses `text` and applies `decode` to the root, turning any error into DataLoss.
template <typename T, typename F>
absl::StatusOr<T> DecodeDocument(std::string_view text, F decode) {
  absl::StatusOr<json::Value> root = json::Parse(text);
  if (!root.ok()) return root.status();
  Decoder d;
  T out = decode(*root, d);
  if (!d.status().ok()) return d.status();
  return out;
}

void WriteParams(const Params& params, json::Writer& w);
void WriteStrings(const std::vector<std::string>& values, json::Writer& w);
void WriteColumns(const std::vector<Column>& columns, json::Writer& w);
void WriteStringField(std::string_view key, std::string_view value, json::Writer& w);
void WriteIntField(std::string_view key, int64_t value, json::Writer& w);

}  // namespace almanac::codec_internal
