// Encoding of column statistics (declared in storage/codec.h).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "storage/codec.h"
#include "storage/codec_internal.h"

namespace almanac {
namespace {

using codec_internal::DecodeDocument;
using codec_internal::Decoder;
using codec_internal::WriteIntField;

using Kind = ColumnStatsData::Kind;

constexpr std::array<std::pair<Kind, const char*>, 8> kKindNames = {{
    {Kind::kBoolean, "boolean"},
    {Kind::kLong, "long"},
    {Kind::kDouble, "double"},
    {Kind::kString, "string"},
    {Kind::kBinary, "binary"},
    {Kind::kDecimal, "decimal"},
    {Kind::kDate, "date"},
    {Kind::kTimestamp, "timestamp"},
}};

const char* KindName(Kind kind) {
  for (const auto& [k, name] : kKindNames) {
    if (k == kind) return name;
  }
  return "long";
}

std::optional<Kind> KindFromName(std::string_view name) {
  for (const auto& [k, n] : kKindNames) {
    if (name == n) return k;
  }
  return std::nullopt;
}

void WriteOptionalInt(std::string_view key, const std::optional<int64_t>& v, json::Writer& w) {
  if (!v.has_value()) return;
  WriteIntField(key, *v, w);
}

void WriteOptionalDouble(std::string_view key, const std::optional<double>& v, json::Writer& w) {
  if (!v.has_value()) return;
  w.Key(key);
  w.Double(*v);
}

void WriteOptionalBytes(std::string_view key, const std::optional<std::string>& v,
                        json::Writer& w) {
  if (!v.has_value()) return;
  w.Key(key);
  w.String(absl::Base64Escape(*v));
}

void WriteOptionalDecimal(std::string_view key, const std::optional<Decimal>& v, json::Writer& w) {
  if (!v.has_value()) return;
  w.Key(key);
  w.BeginObject();
  w.Key("unscaled");
  w.String(absl::Base64Escape(v->unscaled));
  WriteIntField("scale", v->scale, w);
  w.EndObject();
}

bool Present(const json::Value* v) { return v != nullptr && !v->is_null(); }

std::optional<int64_t> ReadOptionalInt(const json::Value& obj, std::string_view key, Decoder& d) {
  const json::Value* v = obj.Find(key);
  if (!Present(v)) return std::nullopt;
  return d.Int(v, key);
}

std::optional<double> ReadOptionalDouble(const json::Value& obj, std::string_view key, Decoder& d) {
  const json::Value* v = obj.Find(key);
  if (!Present(v)) return std::nullopt;
  return d.Double(v, key);
}

std::optional<std::string> ReadOptionalBytes(const json::Value& obj, std::string_view key,
                                             Decoder& d) {
  const json::Value* v = obj.Find(key);
  if (!Present(v)) return std::nullopt;
  return d.Bytes(v, key);
}

std::optional<Decimal> ReadOptionalDecimal(const json::Value& obj, std::string_view key,
                                           Decoder& d) {
  const json::Value* v = obj.Find(key);
  if (!Present(v)) return std::nullopt;
  const json::Value& dec = d.Object(v, key);
  Decimal out;
  out.unscaled = d.Bytes(dec.Find("unscaled"), "decimal unscaled value");
  const int32_t scale = d.Int32(dec.Find("scale"), "decimal scale");
  if (scale < INT16_MIN || scale > INT16_MAX) d.Fail("decimal scale", "a 16-bit integer");
  out.scale = static_cast<int16_t>(scale);
  return out;
}

ColumnStatsData ReadStats(const json::Value& v, Decoder& d) {
  const json::Value& obj = d.Object(&v, "column statistics");
  ColumnStatsData s;
  const std::string kind = d.Str(obj.Find("kind"), "statistics kind");
  if (std::optional<Kind> k = KindFromName(kind)) {
    s.kind = *k;
  } else {
    d.Fail("statistics kind", "a known kind");
  }
  s.num_nulls = d.Int(obj.Find("num_nulls"), "num_nulls");
  s.num_distinct = d.Int(obj.Find("num_distinct"), "num_distinct");
  s.num_trues = d.Int(obj.Find("num_trues"), "num_trues");
  s.num_falses = d.Int(obj.Find("num_falses"), "num_falses");
  s.max_col_len = d.Int(obj.Find("max_col_len"), "max_col_len");
  s.avg_col_len = d.Double(obj.Find("avg_col_len"), "avg_col_len");
  s.low_long = ReadOptionalInt(obj, "low_long", d);
  s.high_long = ReadOptionalInt(obj, "high_long", d);
  s.low_double = ReadOptionalDouble(obj, "low_double", d);
  s.high_double = ReadOptionalDouble(obj, "high_double", d);
  s.low_decimal = ReadOptionalDecimal(obj, "low_decimal", d);
  s.high_decimal = ReadOptionalDecimal(obj, "high_decimal", d);
  s.bit_vectors = ReadOptionalBytes(obj, "bit_vectors", d);
  s.histogram = ReadOptionalBytes(obj, "histogram", d);
  return s;
}

}  // namespace

std::string EncodeColumnStatsData(const ColumnStatsData& s) {
  json::Writer w;
  w.BeginObject();
  w.Key("kind");
  w.String(KindName(s.kind));
  WriteIntField("num_nulls", s.num_nulls, w);
  WriteIntField("num_distinct", s.num_distinct, w);
  WriteIntField("num_trues", s.num_trues, w);
  WriteIntField("num_falses", s.num_falses, w);
  WriteIntField("max_col_len", s.max_col_len, w);
  w.Key("avg_col_len");
  w.Double(s.avg_col_len);
  WriteOptionalInt("low_long", s.low_long, w);
  WriteOptionalInt("high_long", s.high_long, w);
  WriteOptionalDouble("low_double", s.low_double, w);
  WriteOptionalDouble("high_double", s.high_double, w);
  WriteOptionalDecimal("low_decimal", s.low_decimal, w);
  WriteOptionalDecimal("high_decimal", s.high_decimal, w);
  WriteOptionalBytes("bit_vectors", s.bit_vectors, w);
  WriteOptionalBytes("histogram", s.histogram, w);
  w.EndObject();
  return w.Release();
}

absl::StatusOr<ColumnStatsData> DecodeColumnStatsData(std::string_view text) {
  return DecodeDocument<ColumnStatsData>(text, ReadStats);
}

}  // namespace almanac
