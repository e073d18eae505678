#include "tools/dermactl/parse.h"

#include <algorithm>
#include <random>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "tools/dermactl/cli.h"
#include "tools/dermactl/format.h"

namespace dermaflow::dermactl {
namespace {

absl::Status Bad(const std::string& option, const std::string& text, const std::string& want) {
  return UsageError(absl::StrCat(Flag(option), "='", text, "': expected ", want));
}

// "mon" -> MONDAY; "mon-fri" and "mon+wed" expand; "daily" is every day.
absl::StatusOr<std::vector<google::type::DayOfWeek>> ParseDays(const std::string& text,
                                                               const std::string& option) {
  static constexpr const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  auto index = [&](const std::string& name) -> int {
    for (int i = 0; i < 7; ++i) {
      if (absl::StartsWith(absl::AsciiStrToLower(name), kNames[i])) return i;
    }
    return -1;
  };
  std::vector<google::type::DayOfWeek> days;
  auto add = [&](int i) { days.push_back(static_cast<google::type::DayOfWeek>(i + 1)); };
  if (absl::AsciiStrToLower(text) == "daily") {
    for (int i = 0; i < 7; ++i) add(i);
    return days;
  }
  for (absl::string_view part : absl::StrSplit(text, '+')) {
    std::vector<std::string> range = absl::StrSplit(part, '-');
    int from = index(range[0]);
    int to = range.size() == 2 ? index(range[1]) : from;
    if (range.size() > 2 || from < 0 || to < 0 || to < from) {
      return Bad(option, text, "days like mon-fri, sat, mon+wed or daily");
    }
    for (int i = from; i <= to; ++i) add(i);
  }
  return days;
}

}  // namespace

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* type,
                                   const std::string& text, const std::string& option) {
  std::string want = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  for (char& c : want) {
    if (c == '-') c = '_';
  }
  std::vector<std::string> labels;
  for (int i = 0; i < type->value_count(); ++i) {
    const auto* v = type->value(i);
    if (v->number() == 0) continue;
    std::string label = EnumLabel(type, v->number());
    if (want == label || want == absl::AsciiStrToLower(v->name())) return v->number();
    labels.push_back(label);
  }
  return Bad(option, text, "one of " + absl::StrJoin(labels, ", "));
}

absl::StatusOr<absl::CivilDay> ParseDay(const std::string& text, const std::string& option) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(text, &day)) return Bad(option, text, "a date like 2026-11-24");
  return day;
}

absl::StatusOr<absl::Time> ParseStart(const std::string& text, const absl::TimeZone& zone,
                                      const std::string& option) {
  std::string t = std::string(absl::StripAsciiWhitespace(text));
  if (absl::StartsWith(t, "now")) {
    absl::Duration ahead = absl::ZeroDuration();
    if (t.size() > 3) {
      if (t[3] != '+') return Bad(option, text, "now+DURATION, e.g. now+2m");
      absl::StatusOr<absl::Duration> d = ParseDuration(t.substr(4), option);
      if (!d.ok()) return d.status();
      ahead = *d;
    }
    // Bookings take whole minutes in the future: round up.
    absl::Time at = absl::Now() + ahead;
    absl::Time floor = absl::FromUnixSeconds(absl::ToUnixSeconds(at) / 60 * 60);
    return floor < at ? floor + absl::Minutes(1) : floor;
  }
  absl::Time instant;
  std::string error;
  if (absl::ParseTime(absl::RFC3339_full, t, &instant, &error)) return instant;
  std::replace(t.begin(), t.end(), ' ', 'T');
  absl::CivilMinute minute;
  if (absl::ParseCivilTime(t, &minute)) {
    return absl::FromCivil(minute, zone);
  }
  return Bad(option, text,
             absl::StrCat("a local time like '2026-11-24 10:00' (zone ", zone.name(),
                          "), an RFC 3339 instant or now+15m"));
}

absl::StatusOr<absl::Duration> ParseDuration(const std::string& text, const std::string& option) {
  std::string t = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  absl::Duration d;
  if (absl::EndsWith(t, "d")) {
    int64_t days = 0;
    if (absl::SimpleAtoi(t.substr(0, t.size() - 1), &days) && days >= 0)
      return absl::Hours(24 * days);
  } else if (absl::ParseDuration(t, &d) && d >= absl::ZeroDuration()) {
    return d;
  }
  return Bad(option, text, "a duration like 30m, 48h or 7d");
}

google::protobuf::Duration ToDuration(absl::Duration d) {
  google::protobuf::Duration out;
  out.set_seconds(absl::ToInt64Seconds(d));
  return out;
}

absl::StatusOr<google::type::TimeOfDay> ParseTimeOfDay(const std::string& text,
                                                       const std::string& option) {
  std::vector<std::string> parts = absl::StrSplit(absl::StripAsciiWhitespace(text), ':');
  int h = -1, m = -1;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return Bad(option, text, "a time of day like 09:00");
  }
  google::type::TimeOfDay out;
  out.set_hours(h);
  out.set_minutes(m);
  return out;
}

absl::StatusOr<bool> ParseYesNo(const std::string& text, const std::string& option) {
  std::string t = absl::AsciiStrToLower(text);
  if (t == "yes" || t == "y" || t == "true" || t == "1") return true;
  if (t == "no" || t == "n" || t == "false" || t == "0") return false;
  return Bad(option, text, "yes or no");
}

absl::StatusOr<std::vector<HoursRange>> ParseHours(const std::string& text,
                                                   const std::string& option) {
  std::vector<HoursRange> out;
  for (absl::string_view raw :
       absl::StrSplit(text, absl::ByAnyChar(";,"), absl::SkipWhitespace())) {
    std::vector<std::string> words =
        absl::StrSplit(absl::StripAsciiWhitespace(raw), ' ', absl::SkipEmpty());
    std::string clinic;
    if (!words.empty() && absl::StartsWith(words[0], "@")) {
      clinic = words[0].substr(1);
      words.erase(words.begin());
    }
    std::vector<std::string> times =
        words.size() == 2 ? absl::StrSplit(words[1], '-') : std::vector<std::string>{};
    if (times.size() != 2) {
      return Bad(option, std::string(raw), "entries like 'mon-fri 09:00-19:00'");
    }
    absl::StatusOr<std::vector<google::type::DayOfWeek>> days = ParseDays(words[0], option);
    if (!days.ok()) return days.status();
    absl::StatusOr<google::type::TimeOfDay> open = ParseTimeOfDay(times[0], option);
    if (!open.ok()) return open.status();
    absl::StatusOr<google::type::TimeOfDay> close = ParseTimeOfDay(times[1], option);
    if (!close.ok()) return close.status();
    for (google::type::DayOfWeek day : *days) out.push_back({clinic, day, *open, *close});
  }
  if (out.empty()) return Bad(option, text, "entries like 'mon-fri 09:00-19:00'");
  return out;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    absl::string_view item = absl::StripAsciiWhitespace(part);
    if (!item.empty()) out.emplace_back(item);
  }
  return out;
}

std::string NewRequestId() {
  std::random_device device;
  std::mt19937_64 rng((static_cast<uint64_t>(device()) << 32) ^ device());
  uint64_t hi = rng(), lo = rng();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

}  // namespace dermaflow::dermactl
