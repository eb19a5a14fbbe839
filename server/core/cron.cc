#include "server/core/cron.h"

#include <array>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/status_macros.h"

namespace almanac {
namespace {

constexpr int kMinYear = 1970;
constexpr int kMaxYear = 2099;
constexpr int64_t kSecondsPerDay = 86400;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

// One field's legal values, and its names (the first name stands for `min`).
struct FieldSpec {
  const char* name;
  int min;
  int max;
  const std::string_view* names = nullptr;
  int name_count = 0;
};

constexpr FieldSpec kSecondSpec = {"seconds", 0, 59};
constexpr FieldSpec kMinuteSpec = {"minutes", 0, 59};
constexpr FieldSpec kHourSpec = {"hours", 0, 23};
constexpr FieldSpec kDayOfMonthSpec = {"day of month", 1, 31};
constexpr FieldSpec kMonthSpec = {"month", 1, 12, kMonthNames.data(), 12};
constexpr FieldSpec kDayOfWeekSpec = {"day of week", 1, 7, kDayNames.data(), 7};
constexpr FieldSpec kYearSpec = {"year", kMinYear, kMaxYear};

absl::Status FieldError(const FieldSpec& spec, absl::string_view text, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid ", spec.name, " field '", text, "' in the cron expression: ", why));
}

absl::StatusOr<int> ParseValue(const FieldSpec& spec, absl::string_view text) {
  int value = 0;
  if (absl::SimpleAtoi(text, &value)) {
    if (value < spec.min || value > spec.max) {
      return FieldError(spec, text, absl::StrCat("values range from ", spec.min, " to ", spec.max));
    }
    return value;
  }
  const std::string upper = absl::AsciiStrToUpper(text);
  for (int i = 0; i < spec.name_count; ++i) {
    if (upper == spec.names[i]) return spec.min + i;
  }
  return FieldError(spec, text, "not a number or a name");
}

// Parses `*`, values, ranges and steps, separated by commas, setting `set(v)` for each value.
template <typename Setter>
absl::Status ParseList(const FieldSpec& spec, absl::string_view text, const Setter& set) {
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    absl::string_view base = item;
    int step = 1;
    bool stepped = false;
    if (const size_t slash = item.find('/'); slash != absl::string_view::npos) {
      base = item.substr(0, slash);
      if (!absl::SimpleAtoi(item.substr(slash + 1), &step) || step < 1) {
        return FieldError(spec, item, "the step after '/' must be a positive number");
      }
      stepped = true;
    }
    int low = spec.min;
    int high = spec.max;
    if (base != "*") {
      const size_t dash = base.find('-');
      ASSIGN_OR_RETURN(low, ParseValue(spec, base.substr(0, dash)));
      if (dash != absl::string_view::npos) {
        ASSIGN_OR_RETURN(high, ParseValue(spec, base.substr(dash + 1)));
        if (high < low) return FieldError(spec, item, "a range must not run backwards");
      } else if (!stepped) {
        high = low;
      }
    }
    for (int v = low; v <= high; v += step) set(v);
  }
  return absl::OkStatus();
}

template <size_t N>
absl::Status ParseInto(const FieldSpec& spec, absl::string_view text, std::bitset<N>& bits,
                       int offset = 0) {
  if (text.empty()) return FieldError(spec, text, "it is empty");
  return ParseList(spec, text, [&](int v) { bits.set(static_cast<size_t>(v - offset)); });
}

// Days since 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int year, int month, int day) {
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int64_t>(era) * 146097 + doe - 719468;
}

struct Civil {
  int year, month, day, hour, minute, second;
};

Civil CivilFromSeconds(int64_t t) {
  int64_t days = t / kSecondsPerDay;
  int64_t rem = t % kSecondsPerDay;
  if (rem < 0) {
    rem += kSecondsPerDay;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year,
          month,
          day,
          static_cast<int>(rem / 3600),
          static_cast<int>(rem % 3600 / 60),
          static_cast<int>(rem % 60)};
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 13> kDays = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month];
}

// Quartz's day of week: 1 = Sunday ... 7 = Saturday.
int QuartzWeekday(int year, int month, int day) {
  const int64_t days = DaysFromCivil(year, month, day);
  return static_cast<int>(((days + 4) % 7 + 7) % 7) + 1;  // 1970-01-01 was a Thursday.
}

// The weekday nearest to `target` within the month (Quartz's `W`).
int NearestWeekday(int year, int month, int target) {
  const int last = DaysInMonth(year, month);
  if (target > last) target = last;
  const int weekday = QuartzWeekday(year, month, target);
  if (weekday == 7) return target == 1 ? target + 2 : target - 1;     // Saturday.
  if (weekday == 1) return target == last ? target - 2 : target + 1;  // Sunday.
  return target;
}

Civil StartOfNextMonth(const Civil& c) {
  return c.month == 12 ? Civil{c.year + 1, 1, 1, 0, 0, 0} : Civil{c.year, c.month + 1, 1, 0, 0, 0};
}

Civil StartOfNextDay(const Civil& c) {
  return c.day >= DaysInMonth(c.year, c.month) ? StartOfNextMonth(c)
                                               : Civil{c.year, c.month, c.day + 1, 0, 0, 0};
}

}  // namespace

absl::StatusOr<CronSchedule> CronSchedule::Parse(const std::string& expression) {
  std::vector<absl::string_view> fields =
      absl::StrSplit(expression, absl::ByAnyChar(" \t\n\r"), absl::SkipEmpty());
  if (fields.size() != 6 && fields.size() != 7) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a cron expression has 6 or 7 fields (seconds, minutes, hours, day of month, month, "
        "day of week, optional year); this one has ",
        fields.size()));
  }
  CronSchedule s;
  RETURN_IF_ERROR(ParseInto(kSecondSpec, fields[0], s.seconds_));
  RETURN_IF_ERROR(ParseInto(kMinuteSpec, fields[1], s.minutes_));
  RETURN_IF_ERROR(ParseInto(kHourSpec, fields[2], s.hours_));
  RETURN_IF_ERROR(ParseInto(kMonthSpec, fields[4], s.months_));
  if (fields.size() == 7) {
    RETURN_IF_ERROR(ParseInto(kYearSpec, fields[6], s.years_, kMinYear));
  } else {
    s.years_.set();
  }

  const std::string dom = absl::AsciiStrToUpper(fields[3]);
  if (dom == "?") {
    s.dom_rule_ = DayRule::kAny;
  } else if (dom == "LW") {
    s.dom_rule_ = DayRule::kLastWeekday;
  } else if (dom == "L" || dom.starts_with("L-")) {
    s.dom_rule_ = DayRule::kLastDay;
    if (dom.size() > 2 && (!absl::SimpleAtoi(dom.substr(2), &s.dom_value_) || s.dom_value_ < 0 ||
                           s.dom_value_ > 30)) {
      return FieldError(kDayOfMonthSpec, fields[3], "the offset of 'L-n' ranges from 0 to 30");
    }
  } else if (dom.size() > 1 && dom.back() == 'W') {
    s.dom_rule_ = DayRule::kNearestWeekday;
    ASSIGN_OR_RETURN(s.dom_value_, ParseValue(kDayOfMonthSpec, dom.substr(0, dom.size() - 1)));
  } else {
    RETURN_IF_ERROR(ParseInto(kDayOfMonthSpec, dom, s.days_of_month_));
  }

  const std::string dow = absl::AsciiStrToUpper(fields[5]);
  if (dow == "?") {
    s.dow_rule_ = DayRule::kAny;
  } else if (dow == "L") {
    s.days_of_week_.set(7);
  } else if (dow.size() > 1 && dow.back() == 'L') {
    s.dow_rule_ = DayRule::kLastOfWeekday;
    ASSIGN_OR_RETURN(s.dow_value_, ParseValue(kDayOfWeekSpec, dow.substr(0, dow.size() - 1)));
  } else if (const size_t hash = dow.find('#'); hash != std::string::npos) {
    s.dow_rule_ = DayRule::kNthWeekday;
    ASSIGN_OR_RETURN(s.dow_value_, ParseValue(kDayOfWeekSpec, dow.substr(0, hash)));
    if (!absl::SimpleAtoi(dow.substr(hash + 1), &s.dow_nth_) || s.dow_nth_ < 1 || s.dow_nth_ > 5) {
      return FieldError(kDayOfWeekSpec, fields[5], "the k of 'n#k' ranges from 1 to 5");
    }
  } else {
    RETURN_IF_ERROR(ParseInto(kDayOfWeekSpec, dow, s.days_of_week_));
  }

  if ((s.dom_rule_ == DayRule::kAny) == (s.dow_rule_ == DayRule::kAny)) {
    return absl::InvalidArgumentError(
        "exactly one of the day-of-month and day-of-week fields of a cron expression must be "
        "'?'");
  }
  return s;
}

bool CronSchedule::DayOfMonthMatches(int year, int month, int day) const {
  const int last = DaysInMonth(year, month);
  switch (dom_rule_) {
    case DayRule::kAny:
      return true;
    case DayRule::kLastDay:
      return day == last - dom_value_;
    case DayRule::kLastWeekday:
      return day == NearestWeekday(year, month, last);
    case DayRule::kNearestWeekday:
      return day == NearestWeekday(year, month, dom_value_);
    default:
      return days_of_month_.test(static_cast<size_t>(day));
  }
}

bool CronSchedule::DayOfWeekMatches(int year, int month, int day) const {
  const int weekday = QuartzWeekday(year, month, day);
  switch (dow_rule_) {
    case DayRule::kAny:
      return true;
    case DayRule::kLastOfWeekday:
      return weekday == dow_value_ && day + 7 > DaysInMonth(year, month);
    case DayRule::kNthWeekday:
      return weekday == dow_value_ && (day - 1) / 7 + 1 == dow_nth_;
    default:
      return days_of_week_.test(static_cast<size_t>(weekday));
  }
}

bool CronSchedule::DayMatches(int year, int month, int day) const {
  return DayOfMonthMatches(year, month, day) && DayOfWeekMatches(year, month, day);
}

std::optional<int64_t> CronSchedule::NextAfter(int64_t after) const {
  if (after < -1) after = -1;
  Civil c = CivilFromSeconds(after + 1);
  // Each pass either returns or moves `c` to the start of a later second, minute, hour, day,
  // month or year, so the loop ends within the years a schedule may name.
  while (c.year <= kMaxYear) {
    if (!years_.test(static_cast<size_t>(c.year - kMinYear))) {
      c = {c.year + 1, 1, 1, 0, 0, 0};
      continue;
    }
    if (!months_.test(static_cast<size_t>(c.month))) {
      c = StartOfNextMonth(c);
      continue;
    }
    if (!DayMatches(c.year, c.month, c.day)) {
      c = StartOfNextDay(c);
      continue;
    }
    const int64_t day_start = DaysFromCivil(c.year, c.month, c.day) * kSecondsPerDay;
    for (int h = c.hour; h < 24; ++h) {
      if (!hours_.test(static_cast<size_t>(h))) continue;
      for (int m = h == c.hour ? c.minute : 0; m < 60; ++m) {
        if (!minutes_.test(static_cast<size_t>(m))) continue;
        for (int s = h == c.hour && m == c.minute ? c.second : 0; s < 60; ++s) {
          if (seconds_.test(static_cast<size_t>(s))) return day_start + h * 3600 + m * 60 + s;
        }
      }
    }
    c = StartOfNextDay(c);
  }
  return std::nullopt;
}

}  // namespace almanac
