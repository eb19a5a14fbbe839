#pragma once

// CronSchedule: a Quartz cron expression, as HMS accepts for scheduled queries, and the
// computation of its next fire time.
//
// An expression has six or seven fields separated by blanks: seconds (0-59), minutes (0-59),
// hours (0-23), day of month (1-31), month (1-12 or JAN-DEC), day of week (1-7 or SUN-SAT,
// 1 = Sunday) and an optional year (1970-2099). A field is `*`, or a list (`,`) of values and
// ranges (`a-b`), each optionally stepped (`*/n`, `a/n`, `a-b/n`). Exactly one of day of month
// and day of week is `?` ("no constraint"). Day of month also takes `L` (last day), `L-n`,
// `LW` (last weekday) and `nW` (weekday nearest to day n, within the month); day of week takes
// `nL` (last such weekday of the month) and `n#k` (the k-th such weekday), and `L` alone means
// Saturday. Names are case-insensitive. Times are in UTC.
//
// Thread-safety: immutable after Parse; safe to share.

#include <bitset>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace almanac {

class CronSchedule {
 public:
  // InvalidArgument naming the field that is wrong.
  static absl::StatusOr<CronSchedule> Parse(const std::string& expression);

  // The first fire time strictly after `after` (seconds since the epoch), or nullopt if the
  // schedule never fires again (its years are past, or no date matches before 2100).
  std::optional<int64_t> NextAfter(int64_t after) const;

 private:
  // How the day of month or the day of week constrains a date; kAny for `?`.
  enum class DayRule {
    kAny,
    kSet,
    kLastDay,
    kLastWeekday,
    kNearestWeekday,
    kLastOfWeekday,
    kNthWeekday
  };

  CronSchedule() = default;

  // Whether the date matches the day-of-month and day-of-week rules.
  bool DayMatches(int year, int month, int day) const;
  bool DayOfMonthMatches(int year, int month, int day) const;
  bool DayOfWeekMatches(int year, int month, int day) const;

  std::bitset<60> seconds_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_of_month_;  // Index = day.
  std::bitset<13> months_;         // Index = month.
  std::bitset<8> days_of_week_;    // Index = Quartz day: 1 = Sunday ... 7 = Saturday.
  std::bitset<130> years_;         // Index = year - 1970.
  DayRule dom_rule_ = DayRule::kSet;
  DayRule dow_rule_ = DayRule::kSet;
  int dom_value_ = 0;  // The offset of `L-n`, or the day of `nW`.
  int dow_value_ = 0;  // The weekday of `nL` and `n#k`.
  int dow_nth_ = 0;    // The k of `n#k`.
};

}  // namespace almanac
