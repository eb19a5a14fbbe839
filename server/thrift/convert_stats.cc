// Column-statistics conversions (the ColumnStatisticsData union and its members).

#include <algorithm>

#include "server/thrift/convert.h"

namespace almanac::thrift_server {
namespace {

using Kind = ColumnStatsData::Kind;

template <typename T>
void CopyCommon(const T& in, ColumnStatsData& out) {
  out.num_nulls = in.numNulls;
  if (in.__isset.bitVectors) out.bit_vectors = in.bitVectors;
}

Decimal ToDomain(const hive::Decimal& in) { return Decimal{in.unscaled, in.scale}; }

hive::Decimal ToWire(const Decimal& in) {
  hive::Decimal out;
  out.__set_unscaled(in.unscaled);
  out.__set_scale(in.scale);
  return out;
}

ColumnStatsData ToDomain(const hive::ColumnStatisticsData& in) {
  ColumnStatsData out;
  if (in.__isset.booleanStats) {
    out.kind = Kind::kBoolean;
    CopyCommon(in.booleanStats, out);
    out.num_trues = in.booleanStats.numTrues;
    out.num_falses = in.booleanStats.numFalses;
  } else if (in.__isset.longStats) {
    const auto& s = in.longStats;
    out.kind = Kind::kLong;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    if (s.__isset.lowValue) out.low_long = s.lowValue;
    if (s.__isset.highValue) out.high_long = s.highValue;
    if (s.__isset.histogram) out.histogram = s.histogram;
  } else if (in.__isset.doubleStats) {
    const auto& s = in.doubleStats;
    out.kind = Kind::kDouble;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    if (s.__isset.lowValue) out.low_double = s.lowValue;
    if (s.__isset.highValue) out.high_double = s.highValue;
    if (s.__isset.histogram) out.histogram = s.histogram;
  } else if (in.__isset.stringStats) {
    const auto& s = in.stringStats;
    out.kind = Kind::kString;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    out.max_col_len = s.maxColLen;
    out.avg_col_len = s.avgColLen;
  } else if (in.__isset.binaryStats) {
    const auto& s = in.binaryStats;
    out.kind = Kind::kBinary;
    CopyCommon(s, out);
    out.max_col_len = s.maxColLen;
    out.avg_col_len = s.avgColLen;
  } else if (in.__isset.decimalStats) {
    const auto& s = in.decimalStats;
    out.kind = Kind::kDecimal;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    if (s.__isset.lowValue) out.low_decimal = ToDomain(s.lowValue);
    if (s.__isset.highValue) out.high_decimal = ToDomain(s.highValue);
    if (s.__isset.histogram) out.histogram = s.histogram;
  } else if (in.__isset.dateStats) {
    const auto& s = in.dateStats;
    out.kind = Kind::kDate;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    if (s.__isset.lowValue) out.low_long = s.lowValue.daysSinceEpoch;
    if (s.__isset.highValue) out.high_long = s.highValue.daysSinceEpoch;
    if (s.__isset.histogram) out.histogram = s.histogram;
  } else if (in.__isset.timestampStats) {
    const auto& s = in.timestampStats;
    out.kind = Kind::kTimestamp;
    CopyCommon(s, out);
    out.num_distinct = s.numDVs;
    if (s.__isset.lowValue) out.low_long = s.lowValue.secondsSinceEpoch;
    if (s.__isset.highValue) out.high_long = s.highValue.secondsSinceEpoch;
    if (s.__isset.histogram) out.histogram = s.histogram;
  }
  return out;
}

template <typename T>
void WriteCommon(const ColumnStatsData& in, T& out) {
  out.__set_numNulls(in.num_nulls);
  if (in.bit_vectors) out.__set_bitVectors(*in.bit_vectors);
}

template <typename T>
void WriteHistogram(const ColumnStatsData& in, T& out) {
  if (in.histogram) out.__set_histogram(*in.histogram);
}

hive::ColumnStatisticsData ToWire(const ColumnStatsData& in) {
  hive::ColumnStatisticsData out;
  switch (in.kind) {
    case Kind::kBoolean: {
      hive::BooleanColumnStatsData s;
      WriteCommon(in, s);
      s.__set_numTrues(in.num_trues);
      s.__set_numFalses(in.num_falses);
      out.__set_booleanStats(s);
      break;
    }
    case Kind::kLong: {
      hive::LongColumnStatsData s;
      WriteCommon(in, s);
      WriteHistogram(in, s);
      s.__set_numDVs(in.num_distinct);
      if (in.low_long) s.__set_lowValue(*in.low_long);
      if (in.high_long) s.__set_highValue(*in.high_long);
      out.__set_longStats(s);
      break;
    }
    case Kind::kDouble: {
      hive::DoubleColumnStatsData s;
      WriteCommon(in, s);
      WriteHistogram(in, s);
      s.__set_numDVs(in.num_distinct);
      if (in.low_double) s.__set_lowValue(*in.low_double);
      if (in.high_double) s.__set_highValue(*in.high_double);
      out.__set_doubleStats(s);
      break;
    }
    case Kind::kString: {
      hive::StringColumnStatsData s;
      WriteCommon(in, s);
      s.__set_numDVs(in.num_distinct);
      s.__set_maxColLen(in.max_col_len);
      s.__set_avgColLen(in.avg_col_len);
      out.__set_stringStats(s);
      break;
    }
    case Kind::kBinary: {
      hive::BinaryColumnStatsData s;
      WriteCommon(in, s);
      s.__set_maxColLen(in.max_col_len);
      s.__set_avgColLen(in.avg_col_len);
      out.__set_binaryStats(s);
      break;
    }
    case Kind::kDecimal: {
      hive::DecimalColumnStatsData s;
      WriteCommon(in, s);
      WriteHistogram(in, s);
      s.__set_numDVs(in.num_distinct);
      if (in.low_decimal) s.__set_lowValue(ToWire(*in.low_decimal));
      if (in.high_decimal) s.__set_highValue(ToWire(*in.high_decimal));
      out.__set_decimalStats(s);
      break;
    }
    case Kind::kDate: {
      hive::DateColumnStatsData s;
      WriteCommon(in, s);
      WriteHistogram(in, s);
      s.__set_numDVs(in.num_distinct);
      hive::Date d;
      if (in.low_long) {
        d.__set_daysSinceEpoch(*in.low_long);
        s.__set_lowValue(d);
      }
      if (in.high_long) {
        d.__set_daysSinceEpoch(*in.high_long);
        s.__set_highValue(d);
      }
      out.__set_dateStats(s);
      break;
    }
    case Kind::kTimestamp: {
      hive::TimestampColumnStatsData s;
      WriteCommon(in, s);
      WriteHistogram(in, s);
      s.__set_numDVs(in.num_distinct);
      hive::Timestamp t;
      if (in.low_long) {
        t.__set_secondsSinceEpoch(*in.low_long);
        s.__set_lowValue(t);
      }
      if (in.high_long) {
        t.__set_secondsSinceEpoch(*in.high_long);
        s.__set_highValue(t);
      }
      out.__set_timestampStats(s);
      break;
    }
  }
  return out;
}

}  // namespace

ColumnStatsObj ToDomain(const hive::ColumnStatisticsObj& in) {
  return ColumnStatsObj{in.colName, in.colType, ToDomain(in.statsData), 0};
}

hive::ColumnStatisticsObj ToWire(const ColumnStatsObj& in) {
  hive::ColumnStatisticsObj out;
  out.__set_colName(in.column);
  out.__set_colType(in.type);
  out.__set_statsData(ToWire(in.data));
  return out;
}

std::vector<hive::ColumnStatisticsObj> ToWire(const std::vector<ColumnStatsObj>& in) {
  std::vector<hive::ColumnStatisticsObj> out;
  out.reserve(in.size());
  for (const ColumnStatsObj& obj : in) out.push_back(ToWire(obj));
  return out;
}

ColumnStatistics ToDomain(const hive::ColumnStatistics& in) {
  ColumnStatistics out;
  out.table_level = in.statsDesc.isTblLevel;
  if (in.statsDesc.__isset.catName && !in.statsDesc.catName.empty()) {
    out.catalog = in.statsDesc.catName;
  }
  out.database = in.statsDesc.dbName;
  out.table = in.statsDesc.tableName;
  out.partition_name = in.statsDesc.partName;
  if (in.statsDesc.__isset.lastAnalyzed) out.last_analyzed = in.statsDesc.lastAnalyzed;
  if (in.__isset.engine && !in.engine.empty()) out.engine = in.engine;
  for (const hive::ColumnStatisticsObj& obj : in.statsObj) out.columns.push_back(ToDomain(obj));
  return out;
}

hive::ColumnStatistics WireStats(const std::string& cat, const std::string& db,
                                 const std::string& table, const std::string& part_name,
                                 const std::vector<ColumnStatsObj>& objs) {
  hive::ColumnStatistics out;
  hive::ColumnStatisticsDesc desc;
  desc.__set_isTblLevel(part_name.empty());
  desc.__set_dbName(db);
  desc.__set_tableName(table);
  if (!part_name.empty()) desc.__set_partName(part_name);
  desc.__set_catName(cat);
  int64_t last_analyzed = 0;
  for (const ColumnStatsObj& obj : objs) last_analyzed = std::max(last_analyzed, obj.last_analyzed);
  if (last_analyzed != 0) desc.__set_lastAnalyzed(last_analyzed);
  out.__set_statsDesc(desc);
  out.__set_statsObj(ToWire(objs));
  return out;
}

}  // namespace almanac::thrift_server
