// Hive's column type grammar: what it accepts, what it refuses, and hostile input.

#include "server/core/hive_types.h"

#include <ostream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;

class ValidTypeTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ValidTypeTest, Accepted) {
  absl::Status status = ValidateHiveType(GetParam());
  EXPECT_TRUE(status.ok()) << GetParam() << ": " << status;
}

INSTANTIATE_TEST_SUITE_P(
    HiveTypes, ValidTypeTest,
    ::testing::Values(
        "tinyint", "smallint", "int", "integer", "bigint", "float", "double", "double precision",
        "boolean", "string", "binary", "date", "datetime", "timestamp",
        "timestamp with local time zone", "timestamp with time zone", "interval_year_month",
        "interval_day_time", "void", "decimal", "decimal(38)", "decimal(10,2)", "decimal(38,38)",
        "decimal(1,0)", "char(1)", "char(255)", "varchar(1)", "varchar(65535)", "INT", "String",
        "DECIMAL(10, 2)", "Array<String>", "array<string>", "array<array<int>>", "map<string,int>",
        "map<string, array<struct<a:int>>>", "struct<a:int,b:array<string>>",
        "struct<a:int, b:string>", "struct<>", "struct<`a b`:int>", "struct<`a``b`:int>",
        "struct<`x:y,z`:int>", "struct<a.b:int>", "struct<$a:int>", "struct<my field:int>",
        "struct<int:int>", "struct<y.z:int,a-b:string>", "struct<gpa_!@#%^&*():int>",
        "struct<a<b:int>", "struct<\ta\t:int>", "struct<\xc3\xa9t\xc3\xa9:int>", "uniontype<int>",
        "uniontype<int,string,array<double>>", "  int  ", "map < string , int >",
        "<derived from deserializer>",
        // What Spark, Trino and Iceberg send.
        "struct<id:bigint,tags:map<string,string>,points:array<struct<x:double,y:double>>>",
        "array<struct<element:string>>"));

struct InvalidType {
  const char* type;
  const char* message;

  friend void PrintTo(const InvalidType& t, std::ostream* os) { *os << '"' << t.type << '"'; }
};

class InvalidTypeTest : public ::testing::TestWithParam<InvalidType> {};

TEST_P(InvalidTypeTest, Refused) {
  absl::Status status = ValidateHiveType(GetParam().type);
  EXPECT_TRUE(absl::IsInvalidArgument(status)) << GetParam().type << ": " << status;
  EXPECT_THAT(status.message(), HasSubstr(GetParam().message)) << GetParam().type;
}

INSTANTIATE_TEST_SUITE_P(
    HiveTypes, InvalidTypeTest,
    ::testing::Values(
        InvalidType{"notatype", "unknown type 'notatype' at position 0"},
        InvalidType{"", "the type is empty"}, InvalidType{"   ", "the type is empty"},
        InvalidType{"array<", "a type expected but the type ends"},
        InvalidType{"array<int", "'>' expected but the type ends"},
        InvalidType{"array<int>>", "the end of the type expected but '>' found"},
        InvalidType{"array", "'<' expected"}, InvalidType{"array<>", "a type expected"},
        InvalidType{"map<string>", "',' expected"},
        InvalidType{"map<string,int,int>", "'>' expected"},
        InvalidType{"struct<a int>", "':' expected"}, InvalidType{"struct<a:>", "a type expected"},
        InvalidType{"struct<:int>", "a field name expected"},
        InvalidType{"struct<a:int,>", "a field name expected"},
        InvalidType{"struct<``:int>", "a field name is empty"},
        InvalidType{"struct<`a:int>", "a backquoted field name is not closed"},
        InvalidType{"struct<`a\x01`:int>", "control character"},
        InvalidType{"struct<a\x01:int>", "':' expected but '\\x01' found"},
        InvalidType{"uniontype<>", "a type expected"},
        InvalidType{"array<notatype>", "unknown type 'notatype' at position 6"},
        InvalidType{"int,string", "the end of the type expected"},
        InvalidType{"int(10)", "the end of the type expected"}, InvalidType{"intx", "unknown type"},
        InvalidType{"decimal(0)", "decimal precision 0 is outside Hive's range [1, 38]"},
        InvalidType{"decimal(39,2)", "decimal precision 39"},
        InvalidType{"decimal(99999999999999999999)", "decimal precision 1000000000"},
        InvalidType{"decimal(10,11)", "decimal scale 11 is greater than its precision 10"},
        InvalidType{"decimal(10,)", "a number expected"},
        InvalidType{"decimal(10,2", "')' expected"}, InvalidType{"decimal(-1)", "a number"},
        InvalidType{"char", "char needs a length"},
        InvalidType{"varchar", "varchar needs a length"},
        InvalidType{"char(0)", "char length 0 is outside Hive's range [1, 255]"},
        InvalidType{"char(256)", "char length 256"},
        InvalidType{"varchar(65536)", "varchar length 65536 is outside Hive's range [1, 65535]"},
        InvalidType{"timestamp with", "'local time zone' or 'time zone' expected"},
        InvalidType{"double precise", "the end of the type expected"},
        InvalidType{"<derived from deserializer> ", "a type expected"}));

TEST(HiveTypeTest, NulInsideATypeIsRefused) {
  const std::string type("array<int\0>", 11);
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateHiveType(type)));
}

std::string Nested(int depth) {
  std::string type;
  for (int i = 0; i < depth; ++i) type += "array<";
  type += "int";
  for (int i = 0; i < depth; ++i) type += ">";
  return type;
}

TEST(HiveTypeTest, NestingUpToTheBoundIsAccepted) {
  EXPECT_TRUE(ValidateHiveType(Nested(kMaxTypeDepth - 1)).ok());
}

TEST(HiveTypeTest, DeeperNestingIsRefused) {
  absl::Status status = ValidateHiveType(Nested(kMaxTypeDepth));
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_THAT(status.message(), HasSubstr("nests more than 64 levels deep"));
}

TEST(HiveTypeTest, HostileNestingDoesNotExhaustTheStack) {
  // A million unclosed levels: refused at the bound, not by a crash.
  std::string type;
  for (int i = 0; i < 1'000'000; ++i) type += "struct<a:";
  EXPECT_THAT(ValidateHiveType(type).message(), HasSubstr("nests more than"));
}

TEST(HiveTypeTest, HugeFlatStructIsCheckedInOnePass) {
  std::string type = "struct<";
  for (int i = 0; i < 200'000; ++i) type += "f" + std::to_string(i) + ":int,";
  type.back() = '>';
  EXPECT_TRUE(ValidateHiveType(type).ok());
  type.back() = ',';
  EXPECT_TRUE(absl::IsInvalidArgument(ValidateHiveType(type)));
}

TEST(HiveTypeTest, HugeWordIsReportedShortly) {
  const std::string type(1'000'000, 'x');
  absl::Status status = ValidateHiveType(type);
  EXPECT_TRUE(absl::IsInvalidArgument(status));
  EXPECT_LT(status.message().size(), 200u);
}

TEST(HiveTypeTest, LongFieldNamesAndSpacesAreLinear) {
  std::string type =
      "struct<" + std::string(1'000'000, ' ') + "a" + std::string(1'000'000, ' ') + ":int>";
  EXPECT_TRUE(ValidateHiveType(type).ok());
}

}  // namespace
}  // namespace almanac
