#include "server/core/stats_merge.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "absl/strings/match.h"
#include "storage/json.h"

namespace almanac {
namespace {

template <typename T>
void MergeLow(std::optional<T>& into, const std::optional<T>& other) {
  if (other && (!into || *other < *into)) into = other;
}

template <typename T>
void MergeHigh(std::optional<T>& into, const std::optional<T>& other) {
  if (other && (!into || *other > *into)) into = other;
}

// The value of a Hive decimal (big-endian two's complement, scaled), as a double.
double DecimalValue(const Decimal& d) {
  double value = 0;
  bool negative = !d.unscaled.empty() && (static_cast<unsigned char>(d.unscaled[0]) & 0x80);
  for (unsigned char byte : d.unscaled) {
    value = value * 256 + (negative ? static_cast<unsigned char>(~byte) : byte);
  }
  if (negative) value = -(value + 1);
  return value / std::pow(10.0, d.scale);
}

void MergeDecimals(ColumnStatsData& into, const ColumnStatsData& other) {
  if (other.low_decimal &&
      (!into.low_decimal || DecimalValue(*other.low_decimal) < DecimalValue(*into.low_decimal))) {
    into.low_decimal = other.low_decimal;
  }
  if (other.high_decimal && (!into.high_decimal || DecimalValue(*other.high_decimal) >
                                                       DecimalValue(*into.high_decimal))) {
    into.high_decimal = other.high_decimal;
  }
}

}  // namespace

void MergeColumnStats(ColumnStatsData& into, const ColumnStatsData& other) {
  if (into.kind != other.kind) return;
  into.num_nulls += other.num_nulls;
  into.num_distinct = std::max(into.num_distinct, other.num_distinct);
  into.num_trues += other.num_trues;
  into.num_falses += other.num_falses;
  into.max_col_len = std::max(into.max_col_len, other.max_col_len);
  into.avg_col_len = std::max(into.avg_col_len, other.avg_col_len);
  MergeLow(into.low_long, other.low_long);
  MergeHigh(into.high_long, other.high_long);
  MergeLow(into.low_double, other.low_double);
  MergeHigh(into.high_double, other.high_double);
  MergeDecimals(into, other);
  // Bit vectors and histograms of different partitions cannot be combined without their
  // sketches' algorithms; the aggregate carries none.
  into.bit_vectors.reset();
  into.histogram.reset();
}

namespace {

struct StatsAccurate {
  bool basic = false;
  std::map<std::string, bool> columns;
};

StatsAccurate ParseStatsAccurate(const Params& params) {
  StatsAccurate out;
  auto it = params.find(kColumnStatsAccurateKey);
  if (it == params.end()) return out;
  absl::StatusOr<json::Value> doc = json::Parse(it->second);
  if (!doc.ok() || doc->type() != json::Value::Type::kObject) {
    out.basic = absl::EqualsIgnoreCase(it->second, "true");
    return out;
  }
  if (const json::Value* basic = doc->Find("BASIC_STATS")) out.basic = HiveJsonTrue(basic);
  if (const json::Value* cols = doc->Find("COLUMN_STATS");
      cols != nullptr && cols->type() == json::Value::Type::kObject) {
    for (size_t i = 0; i < cols->keys().size(); ++i) {
      out.columns[cols->keys()[i]] = HiveJsonTrue(&cols->items()[i]);
    }
  }
  return out;
}

// Writes `state` as Hive's Jackson writer does: BASIC_STATS only when true, COLUMN_STATS only
// when not empty, columns in name order and every boolean as a string.
std::string WriteStatsAccurate(const StatsAccurate& state) {
  json::Writer w;
  w.BeginObject();
  if (state.basic) {
    w.Key("BASIC_STATS");
    w.String("true");
  }
  if (!state.columns.empty()) {
    w.Key("COLUMN_STATS");
    w.BeginObject();
    for (const auto& [column, accurate] : state.columns) {
      w.Key(column);
      w.String(accurate ? "true" : "false");
    }
    w.EndObject();
  }
  w.EndObject();
  return w.Release();
}

}  // namespace

void RecordColumnsWithStats(Params& params, const std::vector<std::string>& columns) {
  StatsAccurate state = ParseStatsAccurate(params);
  for (const std::string& column : columns) state.columns.try_emplace(column, true);
  params[kColumnStatsAccurateKey] = WriteStatsAccurate(state);
}

bool HiveJsonTrue(const json::Value* value) {
  if (value == nullptr) return false;
  if (value->type() == json::Value::Type::kBool) return value->bool_value();
  return value->type() == json::Value::Type::kString &&
         absl::EqualsIgnoreCase(value->string_value(), "true");
}

void SetBasicStatsState(Params& params, bool accurate) {
  if (!accurate) {
    params.erase(kColumnStatsAccurateKey);
    return;
  }
  StatsAccurate state = ParseStatsAccurate(params);
  state.basic = true;
  params[kColumnStatsAccurateKey] = WriteStatsAccurate(state);
}

std::vector<std::string> ColumnsWithStats(const Params& params) {
  std::vector<std::string> out;
  for (const auto& [column, accurate] : ParseStatsAccurate(params).columns) {
    if (accurate) out.push_back(column);
  }
  return out;
}

}  // namespace almanac
