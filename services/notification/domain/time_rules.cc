#include "services/notification/domain/time_rules.h"

#include <mutex>
#include <unordered_map>

namespace dermaflow::notification {

int64_t ToMillis(absl::Time t) { return absl::ToUnixMillis(t); }
absl::Time FromMillis(int64_t ms) { return absl::FromUnixMillis(ms); }

int32_t ToYyyymmdd(const google::type::Date& date) {
  if (date.year() <= 0 || date.month() < 1 || date.month() > 12 || date.day() < 1) return 0;
  const absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalizes 31 February to 3 March; such a date is invalid.
  if (day.month() != date.month() || day.day() != date.day()) return 0;
  return date.year() * 10000 + date.month() * 100 + date.day();
}

absl::CivilDay FromYyyymmdd(int32_t yyyymmdd) {
  return absl::CivilDay(yyyymmdd / 10000, (yyyymmdd / 100) % 100, yyyymmdd % 100);
}

absl::TimeZone ZoneOrUtc(const std::string& name) {
  // LoadTimeZone parses tzdata on first use of a name; zones are few and
  // looked up per reminder, so remember them.
  static std::mutex mu;
  static auto* zones = new std::unordered_map<std::string, absl::TimeZone>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = zones->find(name);
  if (it != zones->end()) return it->second;
  absl::TimeZone tz = absl::UTCTimeZone();
  if (!name.empty() && !absl::LoadTimeZone(name, &tz)) tz = absl::UTCTimeZone();
  zones->emplace(name, tz);
  return tz;
}

bool IsWholeDays(absl::Duration d) {
  return d > absl::ZeroDuration() && d % absl::Hours(24) == absl::ZeroDuration();
}

namespace {

absl::Time MoveBy(absl::Time base, absl::Duration offset, absl::TimeZone tz, int sign) {
  if (!IsWholeDays(offset)) return sign > 0 ? base + offset : base - offset;
  const int64_t days = absl::IDivDuration(offset, absl::Hours(24), &offset);
  const absl::CivilSecond local = absl::ToCivilSecond(base, tz);
  const absl::CivilDay day = absl::CivilDay(local) + sign * days;
  const absl::CivilSecond moved(day.year(), day.month(), day.day(), local.hour(), local.minute(),
                                local.second());
  return absl::FromCivil(moved, tz) + (base - absl::FromUnixSeconds(absl::ToUnixSeconds(base)));
}

}  // namespace

absl::Time AddOffset(absl::Time base, absl::Duration offset, absl::TimeZone tz) {
  return MoveBy(base, offset, tz, +1);
}

absl::Time SubtractOffset(absl::Time base, absl::Duration offset, absl::TimeZone tz) {
  return MoveBy(base, offset, tz, -1);
}

}  // namespace dermaflow::notification
