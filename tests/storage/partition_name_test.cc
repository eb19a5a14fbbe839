#include "storage/partition_name.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<Column> Keys(std::vector<std::string> names) {
  std::vector<Column> keys;
  for (std::string& n : names) keys.push_back(Column{std::move(n), "string", ""});
  return keys;
}

TEST(EscapePathNameTest, EscapesHiveSpecialCharacters) {
  EXPECT_EQ(EscapePathName("a/b:c=d"), "a%2Fb%3Ac%3Dd");
  EXPECT_EQ(EscapePathName("\"#%'*/:=?\\{[]^"), "%22%23%25%27%2A%2F%3A%3D%3F%5C%7B%5B%5D%5E");
  EXPECT_EQ(EscapePathName(std::string("\x01\n\x1f\x7f", 4)), "%01%0A%1F%7F");
  EXPECT_EQ(EscapePathName(std::string(1, '\0')), "%00");
}

TEST(EscapePathNameTest, KeepsOtherCharacters) {
  EXPECT_EQ(EscapePathName("a b"), "a b");  // Space is not escaped.
  EXPECT_EQ(EscapePathName("2024-01-01 10.5,x}|~!@$&()+;<>`"), "2024-01-01 10.5,x}|~!@$&()+;<>`");
  EXPECT_EQ(EscapePathName("caf\xC3\xA9"), "caf\xC3\xA9");  // UTF-8 bytes pass through.
}

TEST(EscapePathNameTest, EmptyBecomesDefaultPartition) {
  EXPECT_EQ(EscapePathName(""), "__HIVE_DEFAULT_PARTITION__");
}

TEST(UnescapePathNameTest, ReversesEscaping) {
  const std::string raw = "a/b:c=d %x \"#'*?\\{[]^\x01";
  EXPECT_EQ(UnescapePathName(EscapePathName(raw)), raw);
}

TEST(UnescapePathNameTest, MatchesHiveOnOddInput) {
  EXPECT_EQ(UnescapePathName("100%"), "100%");
  EXPECT_EQ(UnescapePathName("%2"), "%2");
  EXPECT_EQ(UnescapePathName("%zz%41"), "%zzA");
  EXPECT_EQ(UnescapePathName("%3a"), ":");         // Lower-case hex is accepted.
  EXPECT_EQ(UnescapePathName("%E9"), "\xC3\xA9");  // Java appends U+00E9.
}

TEST(MakePartitionNameTest, JoinsEscapedKeysAndValues) {
  EXPECT_EQ(MakePartitionName(Keys({"ds", "hr"}), {"2024-01-01", "10"}), "ds=2024-01-01/hr=10");
  EXPECT_EQ(MakePartitionName(Keys({"Country"}), {"a/b:c=d"}), "country=a%2Fb%3Ac%3Dd");
  EXPECT_EQ(MakePartitionName(Keys({"k"}), {""}), "k=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(MakePartitionName(Keys({"k"}), {"new york"}), "k=new york");
}

TEST(ParsePartitionNameTest, SplitsAndUnescapes) {
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> parsed =
      ParsePartitionName("ds=2024-01-01/country=a%2Fb%3Ac%3Dd");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed, ElementsAre(Pair("ds", "2024-01-01"), Pair("country", "a/b:c=d")));
}

TEST(ParsePartitionNameTest, RoundTripsMakePartitionName) {
  const std::vector<std::string> values = {"x=y", "50%", "a b"};
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> parsed =
      ParsePartitionName(MakePartitionName(Keys({"a", "b", "c"}), values));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed, ElementsAre(Pair("a", "x=y"), Pair("b", "50%"), Pair("c", "a b")));
}

TEST(ParsePartitionNameTest, RejectsMalformedNames) {
  for (const char* name : {"", "ds", "=v", "k=", "a=1//b=2", "a=1/b", "a=b=c"}) {
    EXPECT_EQ(ParsePartitionName(name).status().code(), absl::StatusCode::kInvalidArgument) << name;
  }
}

}  // namespace
}  // namespace almanac
