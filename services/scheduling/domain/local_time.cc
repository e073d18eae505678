#include "services/scheduling/domain/local_time.h"

#include <cstdint>

namespace dermaflow::scheduling {

std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date) {
  if (date.year() < 1 || date.year() > 9999 || date.month() < 1 || date.month() > 12 ||
      date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalizes 30 February to 2 March; a changed field means invalid.
  if (day.month() != date.month() || day.day() != date.day()) return std::nullopt;
  return day;
}

std::optional<int> ToMinuteOfDay(const google::type::TimeOfDay& time, bool allow_midnight_end) {
  if (time.seconds() != 0 || time.nanos() != 0 || time.minutes() < 0 || time.minutes() > 59 ||
      time.hours() < 0) {
    return std::nullopt;
  }
  if (time.hours() == 24) {
    if (allow_midnight_end && time.minutes() == 0) return 1440;
    return std::nullopt;
  }
  if (time.hours() > 23) return std::nullopt;
  return time.hours() * 60 + time.minutes();
}

google::type::TimeOfDay ToTimeOfDay(absl::CivilSecond local) {
  google::type::TimeOfDay time;
  time.set_hours(local.hour());
  time.set_minutes(local.minute());
  return time;
}

std::optional<absl::Weekday> ToWeekday(google::type::DayOfWeek day) {
  switch (day) {
    case google::type::MONDAY:
      return absl::Weekday::monday;
    case google::type::TUESDAY:
      return absl::Weekday::tuesday;
    case google::type::WEDNESDAY:
      return absl::Weekday::wednesday;
    case google::type::THURSDAY:
      return absl::Weekday::thursday;
    case google::type::FRIDAY:
      return absl::Weekday::friday;
    case google::type::SATURDAY:
      return absl::Weekday::saturday;
    case google::type::SUNDAY:
      return absl::Weekday::sunday;
    default:
      return std::nullopt;
  }
}

bool IsWholeMinutes(absl::Duration d) { return d % absl::Minutes(1) == absl::ZeroDuration(); }

bool IsWholeMinutes(absl::Time t) { return IsWholeMinutes(t - absl::UnixEpoch()); }

absl::Time LocalMinuteToTime(absl::CivilDay day, int minute_of_day, absl::TimeZone tz) {
  return absl::FromCivil(absl::CivilSecond(day) + int64_t{minute_of_day} * 60, tz);
}

}  // namespace dermaflow::scheduling
