#include "storage/codec.h"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

StorageDescriptor FullStorageDescriptor() {
  StorageDescriptor sd;
  sd.columns = {
      {"id", "bigint", "the key"}, {"name", "string", ""}, {"q\"uote", "map<string,int>", "\n"}};
  sd.location = "file:/warehouse/t";
  sd.input_format = "org.apache.hadoop.mapred.TextInputFormat";
  sd.output_format = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
  sd.compressed = true;
  sd.num_buckets = 8;
  sd.serde.name = "serde";
  sd.serde.serialization_lib = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe";
  sd.serde.parameters = {{"field.delim", ","}, {"serialization.format", "1"}};
  sd.serde.description = "d";
  sd.serde.serializer_class = "s";
  sd.serde.deserializer_class = "ds";
  sd.serde.serde_type = 1;
  sd.bucket_columns = {"id"};
  sd.sort_columns = {{"id", 0}, {"name", 1}};
  sd.parameters = {{"k", "v"}};
  SkewedInfo skewed;
  skewed.column_names = {"name"};
  skewed.column_values = {{"a"}, {"b"}};
  skewed.value_locations = {{{"a"}, "file:/w/t/name=a"}};
  sd.skewed = skewed;
  sd.stored_as_subdirectories = false;
  return sd;
}

TEST(CodecTest, ParamsRoundTrip) {
  const Params params = {{"a", "1"}, {"", ""}, {"k\"\\", "v\x01\xC3\xA9"}};
  absl::StatusOr<Params> back = DecodeParams(EncodeParams(params));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, params);
  EXPECT_EQ(EncodeParams({}), "{}");
}

TEST(CodecTest, StringListRoundTrip) {
  const std::vector<std::string> values = {"2024-01-01", "", "a/b"};
  absl::StatusOr<std::vector<std::string>> back = DecodeStringList(EncodeStringList(values));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, values);
}

TEST(CodecTest, ColumnsRoundTrip) {
  const std::vector<Column> columns = {{"a", "int", "c"}, {"b", "string", ""}};
  absl::StatusOr<std::vector<Column>> back = DecodeColumns(EncodeColumns(columns));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, columns);
}

TEST(CodecTest, StorageDescriptorRoundTrip) {
  const StorageDescriptor sd = FullStorageDescriptor();
  absl::StatusOr<StorageDescriptor> back = DecodeStorageDescriptor(EncodeStorageDescriptor(sd));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, sd);

  const StorageDescriptor empty;
  absl::StatusOr<StorageDescriptor> empty_back =
      DecodeStorageDescriptor(EncodeStorageDescriptor(empty));
  ASSERT_TRUE(empty_back.ok()) << empty_back.status();
  EXPECT_EQ(*empty_back, empty);

  // A null column list and a null SerDe name stay null; an empty name stays empty.
  StorageDescriptor nulls;
  nulls.columns_null = true;
  absl::StatusOr<StorageDescriptor> nulls_back =
      DecodeStorageDescriptor(EncodeStorageDescriptor(nulls));
  ASSERT_TRUE(nulls_back.ok()) << nulls_back.status();
  EXPECT_TRUE(nulls_back->columns_null);
  EXPECT_FALSE(nulls_back->serde.name.has_value());
  nulls.columns_null = false;
  nulls.serde.name = "";
  nulls_back = DecodeStorageDescriptor(EncodeStorageDescriptor(nulls));
  ASSERT_TRUE(nulls_back.ok()) << nulls_back.status();
  EXPECT_FALSE(nulls_back->columns_null);
  EXPECT_EQ(nulls_back->serde.name, "");
}

TEST(CodecTest, EncodingIsDeterministic) {
  EXPECT_EQ(EncodeStorageDescriptor(FullStorageDescriptor()),
            EncodeStorageDescriptor(FullStorageDescriptor()));
  StorageDescriptor other = FullStorageDescriptor();
  other.location = "elsewhere";
  EXPECT_NE(EncodeStorageDescriptor(other), EncodeStorageDescriptor(FullStorageDescriptor()));
}

TEST(CodecTest, TableRoundTrip) {
  Table t;
  t.catalog = "hive";
  t.database = "sales";
  t.name = "orders";
  t.owner = "alice";
  t.owner_type = PrincipalType::kGroup;
  t.create_time = 1700000000;
  t.last_access_time = 1700000001;
  t.retention = 7;
  t.sd = FullStorageDescriptor();
  t.partition_keys = {{"ds", "string", ""}, {"hr", "int", "hour"}};
  t.parameters = {{"EXTERNAL", "TRUE"}, {"metadata_location", "s3://b/m.json"}};
  t.view_original_text = "select 1";
  t.view_expanded_text = "select 1 from x";
  t.table_type = kExternalTable;
  t.temporary = true;
  t.rewrite_enabled = true;
  t.write_id = 42;
  t.id = 9;
  absl::StatusOr<Table> back = DecodeTable(EncodeTable(t));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, t);

  const Table defaults;
  absl::StatusOr<Table> defaults_back = DecodeTable(EncodeTable(defaults));
  ASSERT_TRUE(defaults_back.ok()) << defaults_back.status();
  EXPECT_EQ(*defaults_back, defaults);
}

TEST(CodecTest, ResourceUrisRoundTrip) {
  const std::vector<ResourceUri> uris = {{1, "hdfs:///a.jar"}, {2, "file:/b.txt"}, {3, "c.zip"}};
  absl::StatusOr<std::vector<ResourceUri>> back = DecodeResourceUris(EncodeResourceUris(uris));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, uris);
}

TEST(CodecTest, ColumnStatsRoundTrip) {
  ColumnStatsData s;
  s.kind = ColumnStatsData::Kind::kDecimal;
  s.num_nulls = 3;
  s.num_distinct = 100;
  s.num_trues = 1;
  s.num_falses = 2;
  s.max_col_len = 77;
  s.avg_col_len = 12.25;
  s.low_long = std::numeric_limits<int64_t>::min();
  s.high_long = 5;
  s.low_double = -0.5;
  s.high_double = 1e300;
  s.low_decimal = Decimal{std::string("\x00\xff\x80", 3), -2};
  s.high_decimal = Decimal{"\x7f", 4};
  s.bit_vectors = std::string("HL\x00\x01\xfe", 5);
  s.histogram = "";
  absl::StatusOr<ColumnStatsData> back = DecodeColumnStatsData(EncodeColumnStatsData(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, s);

  for (auto kind : {ColumnStatsData::Kind::kBoolean, ColumnStatsData::Kind::kLong,
                    ColumnStatsData::Kind::kDouble, ColumnStatsData::Kind::kString,
                    ColumnStatsData::Kind::kBinary, ColumnStatsData::Kind::kDate,
                    ColumnStatsData::Kind::kTimestamp}) {
    ColumnStatsData k;
    k.kind = kind;
    absl::StatusOr<ColumnStatsData> kb = DecodeColumnStatsData(EncodeColumnStatsData(k));
    ASSERT_TRUE(kb.ok()) << kb.status();
    EXPECT_EQ(*kb, k);
  }
}

TEST(CodecTest, NonFiniteAverageSurvives) {
  ColumnStatsData s;
  s.avg_col_len = std::numeric_limits<double>::quiet_NaN();
  s.low_double = -std::numeric_limits<double>::infinity();
  absl::StatusOr<ColumnStatsData> back = DecodeColumnStatsData(EncodeColumnStatsData(s));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_TRUE(std::isnan(back->avg_col_len));
  EXPECT_EQ(*back->low_double, -std::numeric_limits<double>::infinity());
}

TEST(CodecTest, MissingMembersTakeDefaults) {
  absl::StatusOr<Table> t = DecodeTable(R"({"name":"t"})");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->name, "t");
  EXPECT_EQ(t->write_id, -1);
  EXPECT_EQ(t->sd.num_buckets, -1);
}

TEST(CodecTest, CorruptDocumentsAreDataLoss) {
  EXPECT_EQ(DecodeParams("{\"a\":").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeParams("{\"a\":1}").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeParams("[]").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStringList("[1]").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeColumns("[\"x\"]").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeTable("{\"create_time\":99999999999}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeTable("{\"sd\":{\"compressed\":\"yes\"}}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeStorageDescriptor("{\"sort_columns\":{}}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeResourceUris("{}").status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeColumnStatsData("{\"kind\":\"weird\"}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeColumnStatsData("{\"kind\":\"long\",\"bit_vectors\":\"!!\"}").status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeColumnStatsData("{}").status().code(), absl::StatusCode::kDataLoss);
}

TEST(CodecTest, TruncatedDocumentsNeverCrash) {
  const std::string text = EncodeTable(Table{});
  for (size_t n = 0; n < text.size(); ++n) {
    EXPECT_FALSE(DecodeTable(text.substr(0, n)).ok()) << n;
  }
}

TEST(CodecTest, Fnv1aMatchesReferenceVectors) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ULL);
}

}  // namespace
}  // namespace almanac
