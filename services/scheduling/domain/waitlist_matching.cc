#include "services/scheduling/domain/waitlist_matching.h"

#include <algorithm>
#include <cstdint>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

constexpr int kMaxWindows = 14;

int MinuteOf(absl::CivilSecond local) { return local.hour() * 60 + local.minute(); }

// Whether [start, end) (local, same day) lies inside a window of `entry`.
bool InsideWindows(const v1::WaitlistEntry& entry, absl::CivilSecond start, absl::CivilSecond end) {
  if (entry.time_windows().empty()) return true;
  const absl::CivilDay day(start);
  if (absl::CivilDay(end) != day && !(absl::CivilDay(end) == day + 1 && MinuteOf(end) == 0)) {
    return false;  // a session over midnight fits no window
  }
  const int from = MinuteOf(start);
  const int to = absl::CivilDay(end) == day ? MinuteOf(end) : 1440;
  for (const v1::WaitlistTimeWindow& w : entry.time_windows()) {
    if (std::optional<absl::Weekday> wd = ToWeekday(w.day_of_week());
        wd && *wd != absl::GetWeekday(day)) {
      continue;
    }
    const std::optional<int> ws = ToMinuteOfDay(w.start(), false);
    const std::optional<int> we = ToMinuteOfDay(w.end(), true);
    if (ws && we && *ws <= from && to <= *we) return true;
  }
  return false;
}

std::optional<int> ParseHhMm(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || parts[0].size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) || h < 0 || h > 23 ||
      m < 0 || m > 59) {
    return std::nullopt;
  }
  return h * 60 + m;
}

}  // namespace

std::string SlotIdFor(const std::string& appointment_id, absl::Time start) {
  return absl::StrCat("sl_", appointment_id, "_", absl::ToUnixSeconds(start));
}

absl::Time ExpiryOf(const v1::WaitlistEntry& entry, absl::TimeZone tz) {
  if (entry.has_expire_time()) return ToTime(entry.expire_time());
  std::optional<absl::CivilDay> last = ToCivilDay(entry.latest_date());
  if (!last) return absl::InfinitePast();
  return absl::FromCivil(*last + 1, tz);
}

Fit FitOf(const v1::WaitlistEntry& entry, const FreedSlot& slot, absl::Duration duration,
          absl::TimeZone tz, absl::Time now) {
  if (entry.clinic_id() != slot.clinic_id || entry.protocol_id() != slot.protocol_id) {
    return Fit::kNone;
  }
  if (!entry.practitioner_id().empty() && entry.practitioner_id() != slot.practitioner_id) {
    return Fit::kNone;
  }
  if (now >= ExpiryOf(entry, tz) || slot.start <= now) return Fit::kNone;
  const absl::CivilSecond start = absl::ToCivilSecond(slot.start, tz);
  const absl::CivilSecond end = absl::ToCivilSecond(slot.start + duration, tz);
  const std::optional<absl::CivilDay> earliest = ToCivilDay(entry.earliest_date());
  const std::optional<absl::CivilDay> latest = ToCivilDay(entry.latest_date());
  const absl::CivilDay day(start);
  if (!earliest || !latest || day < *earliest || day > *latest) return Fit::kNone;
  if (!InsideWindows(entry, start, end)) return Fit::kNone;
  return entry.practitioner_id().empty() ? Fit::kAnyPractitioner : Fit::kExactPractitioner;
}

std::vector<RankedEntry> RankEntries(const std::vector<v1::WaitlistEntry>& entries,
                                     const FreedSlot& slot, absl::Duration duration,
                                     absl::TimeZone tz, absl::Time now) {
  std::vector<RankedEntry> ranked;
  for (const v1::WaitlistEntry& e : entries) {
    if (e.state() != v1::WAITLIST_ENTRY_STATE_WAITING) continue;
    const Fit fit = FitOf(e, slot, duration, tz, now);
    if (fit != Fit::kNone) ranked.push_back({&e, fit});
  }
  auto key = [](const RankedEntry& r) {
    const auto& t = r.entry->create_time();
    // Earliest first; then exact practitioner (higher Fit) first; then id.
    return std::make_tuple(t.seconds(), t.nanos(), -static_cast<int>(r.fit), r.entry->id());
  };
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const RankedEntry& a, const RankedEntry& b) { return key(a) < key(b); });
  return ranked;
}

v1::WaitlistEntryState EffectiveState(const v1::WaitlistEntry& entry, absl::Time now) {
  const bool open = entry.state() == v1::WAITLIST_ENTRY_STATE_WAITING ||
                    entry.state() == v1::WAITLIST_ENTRY_STATE_OFFERED;
  if (open && entry.has_expire_time() && now >= ToTime(entry.expire_time())) {
    return v1::WAITLIST_ENTRY_STATE_EXPIRED;
  }
  return entry.state();
}

absl::StatusOr<QuietWindow> ParseQuietWindow(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, '-');
  std::optional<int> start = parts.size() == 2 ? ParseHhMm(parts[0]) : std::nullopt;
  std::optional<int> end = parts.size() == 2 ? ParseHhMm(parts[1]) : std::nullopt;
  if (!start || !end) {
    return absl::InvalidArgumentError(
        absl::StrCat("quiet hours must read HH:MM-HH:MM, e.g. 21:00-08:00, not '", text, "'"));
  }
  return QuietWindow{*start, *end};
}

bool InQuietHours(const QuietWindow& w, absl::Time now, absl::TimeZone tz) {
  if (w.start_minute == w.end_minute) return false;
  const int m = MinuteOf(absl::ToCivilSecond(now, tz));
  if (w.start_minute < w.end_minute) return w.start_minute <= m && m < w.end_minute;
  return m >= w.start_minute || m < w.end_minute;  // spans midnight
}

absl::Status ValidateNewEntry(const v1::WaitlistEntry& e, absl::TimeZone tz, absl::Time now) {
  if (e.patient_id().empty()) return common::InvalidArgumentError("entry.patient_id", "required");
  if (e.protocol_id().empty()) return common::InvalidArgumentError("entry.protocol_id", "required");
  if (e.clinic_id().empty()) return common::InvalidArgumentError("entry.clinic_id", "required");
  const std::optional<absl::CivilDay> earliest = ToCivilDay(e.earliest_date());
  if (!earliest) {
    return common::InvalidArgumentError("entry.earliest_date", "required, a complete valid date");
  }
  const std::optional<absl::CivilDay> latest = ToCivilDay(e.latest_date());
  if (!latest) {
    return common::InvalidArgumentError("entry.latest_date", "required, a complete valid date");
  }
  const absl::CivilDay today = absl::ToCivilDay(now, tz);
  if (*latest < *earliest) {
    return common::InvalidArgumentError("entry.latest_date", "before earliest_date");
  }
  if (*latest < today) return common::InvalidArgumentError("entry.latest_date", "in the past");
  if (*latest - today > int64_t{2} * 366) {
    return common::InvalidArgumentError("entry.latest_date", "more than 2 years ahead");
  }
  if (e.time_windows_size() > kMaxWindows) {
    return common::InvalidArgumentError("entry.time_windows",
                                        absl::StrCat("at most ", kMaxWindows, " windows"));
  }
  for (int i = 0; i < e.time_windows_size(); ++i) {
    const v1::WaitlistTimeWindow& w = e.time_windows(i);
    const std::string field = absl::StrCat("entry.time_windows[", i, "]");
    if (w.day_of_week() != google::type::DAY_OF_WEEK_UNSPECIFIED && !ToWeekday(w.day_of_week())) {
      return common::InvalidArgumentError(field + ".day_of_week", "unknown weekday");
    }
    const std::optional<int> start = ToMinuteOfDay(w.start(), false);
    if (!start) return common::InvalidArgumentError(field + ".start", "whole minutes, 00:00-23:59");
    const std::optional<int> end = ToMinuteOfDay(w.end(), true);
    if (!end) return common::InvalidArgumentError(field + ".end", "whole minutes, 00:01-24:00");
    if (*end <= *start) return common::InvalidArgumentError(field + ".end", "not after start");
  }
  if (e.has_expire_time() && ToTime(e.expire_time()) <= now) {
    return common::InvalidArgumentError("entry.expire_time", "in the past");
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
