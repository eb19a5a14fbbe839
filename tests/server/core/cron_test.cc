#include "server/core/cron.h"

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace almanac {
namespace {

using ::testing::HasSubstr;

int64_t At(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  return absl::ToUnixSeconds(absl::FromCivil(
      absl::CivilSecond(year, month, day, hour, minute, second), absl::UTCTimeZone()));
}

// The next fire time of `expression` after `after`, which must parse.
std::optional<int64_t> Next(const std::string& expression, int64_t after) {
  absl::StatusOr<CronSchedule> cron = CronSchedule::Parse(expression);
  EXPECT_TRUE(cron.ok()) << expression << ": " << cron.status();
  if (!cron.ok()) return std::nullopt;
  return cron->NextAfter(after);
}

TEST(CronTest, EverySecondFiresOnTheNextSecond) {
  EXPECT_EQ(Next("* * * * * ? *", At(2024, 5, 1, 10, 0, 0)), At(2024, 5, 1, 10, 0, 1));
  EXPECT_EQ(Next("* * * * * ?", At(2024, 12, 31, 23, 59, 59)), At(2025, 1, 1, 0, 0, 0));
}

TEST(CronTest, FixedTimeOfDay) {
  EXPECT_EQ(Next("0 30 2 * * ?", At(2024, 5, 1, 1, 0, 0)), At(2024, 5, 1, 2, 30, 0));
  EXPECT_EQ(Next("0 30 2 * * ?", At(2024, 5, 1, 2, 30, 0)), At(2024, 5, 2, 2, 30, 0));
}

TEST(CronTest, DayOfMonthSkipsShortMonths) {
  EXPECT_EQ(Next("0 0 0 31 * ?", At(2024, 4, 1)), At(2024, 5, 31));
  EXPECT_EQ(Next("0 0 0 29 2 ?", At(2023, 3, 1)), At(2024, 2, 29));
  EXPECT_EQ(Next("* * * 22 * ? *", At(2024, 5, 23)), At(2024, 6, 22));
}

TEST(CronTest, ListsRangesAndSteps) {
  EXPECT_EQ(Next("0 */15 * * * ?", At(2024, 5, 1, 10, 16, 0)), At(2024, 5, 1, 10, 30, 0));
  EXPECT_EQ(Next("0 5/20 * * * ?", At(2024, 5, 1, 10, 26, 0)), At(2024, 5, 1, 10, 45, 0));
  EXPECT_EQ(Next("0 0 9-17/4 * * ?", At(2024, 5, 1, 13, 0, 0)), At(2024, 5, 1, 17, 0, 0));
  EXPECT_EQ(Next("0 0 8,12,18 * * ?", At(2024, 5, 1, 12, 0, 0)), At(2024, 5, 1, 18, 0, 0));
  EXPECT_EQ(Next("10-12 0 0 * * ?", At(2024, 5, 1, 0, 0, 11)), At(2024, 5, 1, 0, 0, 12));
}

TEST(CronTest, MonthAndDayNames) {
  // 2024-05-01 is a Wednesday.
  EXPECT_EQ(Next("0 0 0 ? * MON-FRI", At(2024, 5, 3, 12)), At(2024, 5, 6));
  EXPECT_EQ(Next("0 0 0 ? * sun", At(2024, 5, 1)), At(2024, 5, 5));
  EXPECT_EQ(Next("0 0 0 1 JUL,dec ?", At(2024, 7, 2)), At(2024, 12, 1));
  EXPECT_EQ(Next("0 0 0 ? * 1", At(2024, 5, 1)), At(2024, 5, 5));  // 1 = Sunday.
  EXPECT_EQ(Next("0 0 0 ? * 7", At(2024, 5, 1)), At(2024, 5, 4));  // 7 = Saturday.
}

TEST(CronTest, LastDayWeekdaysAndNthWeekday) {
  EXPECT_EQ(Next("0 0 0 L * ?", At(2024, 2, 1)), At(2024, 2, 29));
  EXPECT_EQ(Next("0 0 0 L-2 * ?", At(2024, 4, 1)), At(2024, 4, 28));
  // 2024-06-30 is a Sunday: the last weekday of June is Friday the 28th.
  EXPECT_EQ(Next("0 0 0 LW * ?", At(2024, 6, 1)), At(2024, 6, 28));
  // 2024-06-15 is a Saturday: the nearest weekday is Friday the 14th.
  EXPECT_EQ(Next("0 0 0 15W * ?", At(2024, 6, 1)), At(2024, 6, 14));
  // The third Friday of May 2024 is the 17th; the last Friday the 31st.
  EXPECT_EQ(Next("0 0 0 ? * 6#3", At(2024, 5, 1)), At(2024, 5, 17));
  EXPECT_EQ(Next("0 0 0 ? * 6L", At(2024, 5, 1)), At(2024, 5, 31));
}

TEST(CronTest, YearField) {
  EXPECT_EQ(Next("0 0 0 1 1 ? 2030", At(2024, 5, 1)), At(2030, 1, 1));
  EXPECT_EQ(Next("0 0 0 1 1 ? 2020-2022", At(2024, 5, 1)), std::nullopt);
  EXPECT_EQ(Next("0 0 0 1 1 ? 2099", At(2099, 1, 1)), std::nullopt);
}

TEST(CronTest, NeverMatchingDateEnds) {
  EXPECT_EQ(Next("0 0 0 30 2 ?", At(2024, 1, 1)), std::nullopt);
}

TEST(CronTest, RejectsInvalidExpressions) {
  for (const char* bad : {"asd asd",          "",
                          "* * * * *",        "* * * * * ? * *",
                          "60 * * * * ?",     "* 60 * * * ?",
                          "* * 24 * * ?",     "* * * 0 * ?",
                          "* * * 32 * ?",     "* * * * 13 ?",
                          "* * * ? * 8",      "* * * * * ? 1969",
                          "* * * * * ? 2100", "* * * * * *",
                          "* * * ? * ?",      "*/0 * * * * ?",
                          "5-1 * * * * ?",    "* * * * FOO ?",
                          "* * * ? * 2#6",    "a * * * * ?",
                          "1,,2 * * * * ?",   "* * * L-31 * ?",
                          "* * * ? * -1"}) {
    EXPECT_FALSE(CronSchedule::Parse(bad).ok()) << bad;
  }
}

TEST(CronTest, ErrorNamesTheField) {
  absl::StatusOr<CronSchedule> cron = CronSchedule::Parse("0 0 25 * * ?");
  ASSERT_FALSE(cron.ok());
  EXPECT_EQ(cron.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(cron.status().message(), HasSubstr("hours"));
  EXPECT_THAT(CronSchedule::Parse("* * * * * *").status().message(), HasSubstr("'?'"));
}

}  // namespace
}  // namespace almanac
