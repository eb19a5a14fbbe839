// Fuzzes the store's JSON reader and writer (storage/json.h) and the document codecs built on
// them (storage/codec.h, stats included). The first input byte picks what the rest is decoded
// as. Findings besides crashes: a document that decodes but whose re-encoding does not decode
// to the same value, and an encoding that is not stable (encode(decode(encode(x))) differs from
// encode(x)).

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "storage/codec.h"
#include "storage/json.h"

namespace almanac::fuzz {
namespace {

[[noreturn]] void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "%.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

void Write(const json::Value& v, json::Writer& w) {
  switch (v.type()) {
    case json::Value::Type::kNull:
      return w.Null();
    case json::Value::Type::kBool:
      return w.Bool(v.bool_value());
    case json::Value::Type::kInt:
      return w.Int(v.int_value());
    case json::Value::Type::kDouble:
      return w.Double(v.double_value());
    case json::Value::Type::kString:
      return w.String(v.string_value());
    case json::Value::Type::kArray:
      w.BeginArray();
      for (const json::Value& item : v.items()) Write(item, w);
      return w.EndArray();
    case json::Value::Type::kObject:
      w.BeginObject();
      for (size_t i = 0; i < v.keys().size(); ++i) {
        w.Key(v.keys()[i]);
        Write(v.items()[i], w);
      }
      return w.EndObject();
  }
}

// Equality after a write and a read: the writer prints integral doubles without a fraction
// (they read back as integers) and non-finite ones as the strings "NaN", "Infinity" and
// "-Infinity" (json.h).
bool SameAfterRoundTrip(const json::Value& a, const json::Value& b) {
  using Type = json::Value::Type;
  if (a.type() == Type::kDouble && !std::isfinite(a.double_value())) {
    const char* text = std::isnan(a.double_value()) ? "NaN"
                       : a.double_value() > 0       ? "Infinity"
                                                    : "-Infinity";
    return b.type() == Type::kString && b.string_value() == text;
  }
  if (a.is_number() && b.is_number()) {
    const double x = a.type() == Type::kInt ? static_cast<double>(a.int_value()) : a.double_value();
    const double y = b.type() == Type::kInt ? static_cast<double>(b.int_value()) : b.double_value();
    if (a.type() == Type::kInt && b.type() == Type::kInt) return a.int_value() == b.int_value();
    return x == y;
  }
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case Type::kNull:
      return true;
    case Type::kBool:
      return a.bool_value() == b.bool_value();
    case Type::kString:
      return a.string_value() == b.string_value();
    case Type::kArray:
    case Type::kObject:
      if (a.keys() != b.keys() || a.items().size() != b.items().size()) return false;
      for (size_t i = 0; i < a.items().size(); ++i) {
        if (!SameAfterRoundTrip(a.items()[i], b.items()[i])) return false;
      }
      return true;
    default:
      return false;
  }
}

void Json(std::string_view text) {
  absl::StatusOr<json::Value> value = json::Parse(text);
  if (!value.ok()) return;
  json::Writer writer;
  Write(*value, writer);
  absl::StatusOr<json::Value> again = json::Parse(writer.text());
  if (!again.ok()) Fail("written JSON does not parse: " + again.status().ToString(), writer.text());
  if (!SameAfterRoundTrip(*value, *again))
    Fail("JSON changes in a write and a read", writer.text());
}

// decode(text) -> encode -> decode -> encode: both encodings and both values must agree (values
// only when no NaN, which is unequal to itself, was written).
template <typename T, typename Decode, typename Encode>
void Document(std::string_view text, Decode decode, Encode encode) {
  absl::StatusOr<T> first = decode(text);
  if (!first.ok()) return;
  const std::string encoded = encode(*first);
  absl::StatusOr<T> second = decode(encoded);
  if (!second.ok())
    Fail("an encoded document does not decode: " + second.status().ToString(), encoded);
  const std::string again = encode(*second);
  if (again != encoded) Fail("encoding is not stable", encoded + "\n" + again);
  if (encoded.find("\"NaN\"") == std::string::npos && !(*first == *second)) {
    Fail("a document decodes to another value after a round trip", encoded);
  }
}

}  // namespace
}  // namespace almanac::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace almanac;
  using namespace almanac::fuzz;
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0:
      Json(text);
      break;
    case 1:
      Document<Params>(text, DecodeParams, EncodeParams);
      break;
    case 2:
      Document<std::vector<std::string>>(text, DecodeStringList, EncodeStringList);
      break;
    case 3:
      Document<std::vector<Column>>(text, DecodeColumns, EncodeColumns);
      break;
    case 4:
      Document<StorageDescriptor>(text, DecodeStorageDescriptor, EncodeStorageDescriptor);
      break;
    case 5:
      Document<Table>(text, DecodeTable, EncodeTable);
      break;
    case 6:
      Document<std::vector<ResourceUri>>(text, DecodeResourceUris, EncodeResourceUris);
      break;
    case 7:
      Document<ColumnStatsData>(text, DecodeColumnStatsData, EncodeColumnStatsData);
      break;
  }
  return 0;
}
