#include "storage/json.h"

#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"

namespace almanac::json {
namespace {

TEST(JsonWriterTest, WritesNestedDocumentCompactly) {
  Writer w;
  w.BeginObject();
  w.Key("a");
  w.Int(1);
  w.Key("b");
  w.BeginArray();
  w.Bool(true);
  w.Null();
  w.String("x");
  w.BeginObject();
  w.EndObject();
  w.EndArray();
  w.Key("c");
  w.BeginArray();
  w.EndArray();
  w.EndObject();
  EXPECT_EQ(w.text(), R"({"a":1,"b":[true,null,"x",{}],"c":[]})");
}

TEST(JsonWriterTest, EscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  AppendQuoted(std::string("a\"b\\c\n\t\x01\x1f\x7f", 10), &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\x7f\"");
}

TEST(JsonWriterTest, PassesUtf8Through) {
  std::string out;
  AppendQuoted("h\xC3\xA9llo \xE2\x82\xAC", &out);
  EXPECT_EQ(out, "\"h\xC3\xA9llo \xE2\x82\xAC\"");
}

TEST(JsonRoundTripTest, ArbitraryBytesSurvive) {
  std::string bytes;
  for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  Writer w;
  w.String(bytes);
  absl::StatusOr<Value> v = Parse(w.text());
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->string_value(), bytes);
}

TEST(JsonRoundTripTest, IntegersKeepFullRange) {
  for (int64_t i : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::max(),
                    std::numeric_limits<int64_t>::min()}) {
    Writer w;
    w.Int(i);
    absl::StatusOr<Value> v = Parse(w.text());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_EQ(v->type(), Value::Type::kInt);
    EXPECT_EQ(v->int_value(), i);
  }
}

TEST(JsonRoundTripTest, DoublesRoundTripExactly) {
  for (double d : {0.1, -2.5e-300, 1e300, 3.141592653589793, 123456789.0}) {
    Writer w;
    w.Double(d);
    absl::StatusOr<Value> v = Parse(w.text());
    ASSERT_TRUE(v.ok()) << v.status();
    ASSERT_TRUE(v->is_number());
    const double back =
        v->type() == Value::Type::kInt ? static_cast<double>(v->int_value()) : v->double_value();
    EXPECT_EQ(back, d) << w.text();
  }
}

TEST(JsonWriterTest, NonFiniteDoublesBecomeStrings) {
  Writer w;
  w.BeginArray();
  w.Double(std::numeric_limits<double>::quiet_NaN());
  w.Double(std::numeric_limits<double>::infinity());
  w.Double(-std::numeric_limits<double>::infinity());
  w.EndArray();
  EXPECT_EQ(w.text(), R"(["NaN","Infinity","-Infinity"])");
}

TEST(JsonParserTest, ParsesObjectsInOrderWithWhitespace) {
  absl::StatusOr<Value> v =
      Parse(" { \"b\" : [1, 2.5, \"s\"] ,\n\"a\":{\"x\":null}, \"t\":false } ");
  ASSERT_TRUE(v.ok()) << v.status();
  ASSERT_EQ(v->type(), Value::Type::kObject);
  ASSERT_EQ(v->keys().size(), 3u);
  EXPECT_EQ(v->keys()[0], "b");
  const Value* b = v->Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items().size(), 3u);
  EXPECT_EQ(b->items()[0].int_value(), 1);
  EXPECT_EQ(b->items()[1].double_value(), 2.5);
  EXPECT_EQ(b->items()[2].string_value(), "s");
  EXPECT_TRUE(v->Find("a")->Find("x")->is_null());
  EXPECT_FALSE(v->Find("t")->bool_value());
  EXPECT_EQ(v->Find("missing"), nullptr);
}

TEST(JsonParserTest, DecodesUnicodeEscapesToUtf8) {
  absl::StatusOr<Value> v = Parse(R"("\u00e9\u20ac\ud83d\ude00\/\b\f\r")");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->string_value(), "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80/\b\f\r");
}

TEST(JsonParserTest, LargeIntegersBecomeDoubles) {
  absl::StatusOr<Value> v = Parse("123456789012345678901234");
  ASSERT_TRUE(v.ok()) << v.status();
  EXPECT_EQ(v->type(), Value::Type::kDouble);
}

TEST(JsonParserTest, CorruptTextIsDataLoss) {
  for (const char* text :
       {"",      "{",        "[1,",       "[1 2]",       "{\"a\" 1}",   "{\"a\":}",
        "\"abc", "\"\\x\"",  "\"\\u12\"", "\"\\ud800\"", "\"\\udc00\"", "tru",
        "nul",   "1 2",      "{} x",      "+1",          "-",           "1e",
        "{1:2}", "\"a\nb\"", "[,]",       "{,}",         "01x"}) {
    absl::StatusOr<Value> v = Parse(text);
    EXPECT_EQ(v.status().code(), absl::StatusCode::kDataLoss) << "input: " << text;
  }
}

TEST(JsonParserTest, DeepNestingIsRefusedNotACrash) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(Parse(deep).status().code(), absl::StatusCode::kDataLoss);
  const std::string ok = std::string(100, '[') + std::string(100, ']');
  EXPECT_TRUE(Parse(ok).ok());
}

}  // namespace
}  // namespace almanac::json
