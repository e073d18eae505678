#include "services/scheduling/domain/resource_validation.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "common/api/utf8.h"
#include "common/time/time_zone_name.h"
#include "services/scheduling/domain/confirmation_rules.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

using common::FieldViolations;

std::string Path(absl::string_view prefix, absl::string_view field) {
  return absl::StrCat(prefix, ".", field);
}

std::string Indexed(absl::string_view prefix, absl::string_view field, int i) {
  return absl::StrCat(prefix, ".", field, "[", i, "]");
}

void RequireName(const std::string& name, const std::string& path, FieldViolations& v) {
  if (!common::Utf8LengthBetween(name, 1, 100)) v.Add(path, "required, 1-100 characters");
}

// A weekday range; `index` is its position in the request, for the field path.
struct Range {
  int index;
  absl::Weekday weekday;
  int begin;
  int end;
};

// Ranges on the same weekday must not overlap; each offender is named.
void RejectOverlaps(std::vector<Range> ranges, absl::string_view prefix, absl::string_view field,
                    absl::string_view what, FieldViolations& v) {
  std::sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) {
    return std::tie(a.weekday, a.begin) < std::tie(b.weekday, b.begin);
  });
  for (size_t i = 1; i < ranges.size(); ++i) {
    if (ranges[i].weekday == ranges[i - 1].weekday && ranges[i].begin < ranges[i - 1].end) {
      v.Add(Indexed(prefix, field, ranges[i].index),
            absl::StrCat("overlaps ", what, "[", ranges[i - 1].index, "] on the same weekday"));
    }
  }
}

// Adds violations for one weekly range and returns it when valid.
template <typename Hours>
std::optional<Range> CheckRange(const Hours& h, const google::type::TimeOfDay& begin,
                                const google::type::TimeOfDay& end, absl::string_view begin_name,
                                absl::string_view end_name, const std::string& path, int index,
                                FieldViolations& v) {
  auto weekday = ToWeekday(h.day_of_week());
  auto b = ToMinuteOfDay(begin, false);
  auto e = ToMinuteOfDay(end, true);
  if (!weekday) v.Add(absl::StrCat(path, ".day_of_week"), "required, a weekday");
  if (!b) v.Add(absl::StrCat(path, ".", begin_name), "required, whole minutes 00:00-23:59");
  if (!e) v.Add(absl::StrCat(path, ".", end_name), "required, whole minutes, at most 24:00");
  if (b && e && *e <= *b) {
    v.Add(absl::StrCat(path, ".", end_name), absl::StrCat("must be after ", begin_name));
    return std::nullopt;
  }
  if (!weekday || !b || !e) return std::nullopt;
  return Range{index, *weekday, *b, *e};
}

void ValidateCategories(const google::protobuf::RepeatedField<int>& categories,
                        absl::string_view prefix, absl::string_view field, FieldViolations& v) {
  for (int i = 0; i < categories.size(); ++i) {
    if (categories[i] == protocol::v1::PROTOCOL_CATEGORY_UNSPECIFIED ||
        !protocol::v1::ProtocolCategory_IsValid(categories[i])) {
      v.Add(Indexed(prefix, field, i), "must be a known category");
    }
  }
}

void ValidateWholeMinutes(const google::protobuf::Duration& d, absl::Duration min,
                          absl::Duration max, const std::string& path, FieldViolations& v) {
  const absl::Duration value = ToDuration(d);
  if (!IsWholeMinutes(value) || value < min || value > max) {
    v.Add(path, absl::StrCat("whole minutes, ", absl::FormatDuration(min), " to ",
                             absl::FormatDuration(max)));
  }
}

}  // namespace

bool IsE164(absl::string_view phone) {
  if (phone.size() < 3 || phone.size() > 16 || phone[0] != '+' || phone[1] < '1' ||
      phone[1] > '9') {
    return false;
  }
  return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsPlausibleEmail(absl::string_view email) {
  const size_t at = email.find('@');
  if (email.size() > 254 || at == absl::string_view::npos || at == 0 ||
      email.find('@', at + 1) != absl::string_view::npos) {
    return false;
  }
  const absl::string_view domain = email.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == absl::string_view::npos || dot == 0 || domain.back() == '.') return false;
  return std::none_of(email.begin(), email.end(),
                      [](char c) { return absl::ascii_isspace(static_cast<unsigned char>(c)); });
}

bool IsPatientAppUrl(absl::string_view url) {
  absl::string_view rest = url;
  if (!absl::ConsumePrefix(&rest, "https://") &&
      !(absl::ConsumePrefix(&rest, "http://") &&
        (absl::StartsWith(rest, "localhost") || absl::StartsWith(rest, "127.0.0.1")))) {
    return false;
  }
  const absl::string_view host = rest.substr(0, rest.find_first_of("/?:"));
  if (host.empty()) return false;
  return std::all_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '#' && c != '"' && c != '<' && c != '>' && c != '\\';
  });
}

void ValidateClinic(const v1::Clinic& clinic, absl::string_view prefix, FieldViolations& v) {
  RequireName(clinic.display_name(), Path(prefix, "display_name"), v);
  absl::TimeZone tz;
  if (!common::LoadIanaTimeZone(clinic.time_zone(), &tz)) {
    v.Add(Path(prefix, "time_zone"), "required, an IANA time zone such as Europe/Berlin");
  }
  if (clinic.has_address()) {
    const v1::Address& a = clinic.address();
    const std::string address = Path(prefix, "address");
    if (a.lines_size() < 1 || a.lines_size() > 3) {
      v.Add(Path(address, "lines"), "1-3 lines");
    }
    for (int i = 0; i < a.lines_size(); ++i) {
      if (!common::Utf8LengthBetween(a.lines(i), 1, 100))
        v.Add(Indexed(address, "lines", i), "1-100 characters");
    }
    if (common::Utf8Length(a.postal_code()) > 20)
      v.Add(Path(address, "postal_code"), "at most 20 characters");
    if (common::Utf8Length(a.city()) > 100) v.Add(Path(address, "city"), "at most 100 characters");
    const std::string& cc = a.country_code();
    if (!cc.empty() &&
        (cc.size() != 2 || !absl::ascii_isupper(cc[0]) || !absl::ascii_isupper(cc[1]))) {
      v.Add(Path(address, "country_code"), "ISO 3166-1 alpha-2 in upper case, e.g. DE");
    }
  }
  if (!clinic.contact_phone().empty() && !IsE164(clinic.contact_phone())) {
    v.Add(Path(prefix, "contact_phone"), "E.164, e.g. +49301234567");
  }
  if (!clinic.contact_email().empty() && !IsPlausibleEmail(clinic.contact_email())) {
    v.Add(Path(prefix, "contact_email"), "not an e-mail address");
  }
  if (!clinic.patient_app_url().empty() &&
      (clinic.patient_app_url().size() > 200 || !IsPatientAppUrl(clinic.patient_app_url()))) {
    v.Add(Path(prefix, "patient_app_url"),
          "an https URL without fragment, at most 200 characters, e.g. https://app.example.de/a");
  }
  std::vector<Range> ranges;
  for (int i = 0; i < clinic.opening_hours_size(); ++i) {
    const auto& h = clinic.opening_hours(i);
    if (auto r = CheckRange(h, h.open(), h.close(), "open", "close",
                            Indexed(prefix, "opening_hours", i), i, v)) {
      ranges.push_back(*r);
    }
  }
  RejectOverlaps(std::move(ranges), prefix, "opening_hours", "opening_hours", v);
  if (clinic.closed_days_size() > 500) v.Add(Path(prefix, "closed_days"), "at most 500 entries");
  for (int i = 0; i < clinic.closed_days_size(); ++i) {
    if (!ToCivilDay(clinic.closed_days(i)))
      v.Add(Indexed(prefix, "closed_days", i), "not a valid date");
  }
  if (clinic.has_buffer()) {
    ValidateWholeMinutes(clinic.buffer(), absl::ZeroDuration(), absl::Minutes(60),
                         Path(prefix, "buffer"), v);
  }
  if (clinic.has_slot_interval()) {
    ValidateWholeMinutes(clinic.slot_interval(), absl::Minutes(5), absl::Minutes(60),
                         Path(prefix, "slot_interval"), v);
  }
  if (clinic.has_confirmation_policy()) {
    ValidateConfirmationPolicy(clinic.confirmation_policy(), Path(prefix, "confirmation_policy"),
                               v);
  }
  // 0 means the service's default (docs/scheduling.md, "Waitlist").
  const v1::WaitlistPolicy& waitlist = clinic.waitlist_policy();
  if (waitlist.offers_per_slot() < 0 || waitlist.offers_per_slot() > 10) {
    v.Add(Path(prefix, "waitlist_policy.offers_per_slot"), "0 (the default) or 1-10");
  }
  if (waitlist.hold_minutes() != 0 &&
      (waitlist.hold_minutes() < 5 || waitlist.hold_minutes() > 1440)) {
    v.Add(Path(prefix, "waitlist_policy.hold_minutes"), "0 (the default) or 5-1440 minutes");
  }
}

void ValidatePractitioner(const v1::Practitioner& p, absl::string_view prefix,
                          const std::set<std::string>& clinics, FieldViolations& v) {
  RequireName(p.display_name(), Path(prefix, "display_name"), v);
  if (p.clinic_ids().empty()) v.Add(Path(prefix, "clinic_ids"), "required: at least one clinic");
  std::set<std::string> seen;
  for (int i = 0; i < p.clinic_ids_size(); ++i) {
    if (clinics.count(p.clinic_ids(i)) == 0) {
      v.Add(Indexed(prefix, "clinic_ids", i), "unknown clinic");
    } else if (!seen.insert(p.clinic_ids(i)).second) {
      v.Add(Indexed(prefix, "clinic_ids", i), "listed twice");
    }
  }
  std::vector<Range> ranges;
  for (int i = 0; i < p.working_hours_size(); ++i) {
    const auto& h = p.working_hours(i);
    const std::string path = Indexed(prefix, "working_hours", i);
    if (seen.count(h.clinic_id()) == 0) {
      v.Add(absl::StrCat(path, ".clinic_id"), "must be one of clinic_ids");
    }
    if (auto r = CheckRange(h, h.start(), h.end(), "start", "end", path, i, v))
      ranges.push_back(*r);
  }
  // Even at different clinics: a person is in one place at a time.
  RejectOverlaps(std::move(ranges), prefix, "working_hours", "working_hours", v);
  ValidateCategories(p.qualified_categories(), prefix, "qualified_categories", v);
  if (common::Utf8Length(p.subject()) > 256)
    v.Add(Path(prefix, "subject"), "at most 256 characters");
  if (p.time_off_size() > 200) v.Add(Path(prefix, "time_off"), "at most 200 entries");
  for (int i = 0; i < p.time_off_size(); ++i) {
    const auto& t = p.time_off(i);
    const std::string path = Indexed(prefix, "time_off", i);
    if (!t.has_start_time()) v.Add(absl::StrCat(path, ".start_time"), "required");
    if (!t.has_end_time() || ToTime(t.end_time()) <= ToTime(t.start_time())) {
      v.Add(absl::StrCat(path, ".end_time"), "required, after start_time");
    }
    if (common::Utf8Length(t.note()) > 200)
      v.Add(absl::StrCat(path, ".note"), "at most 200 characters");
  }
}

void ValidateRoom(const v1::Room& room, absl::string_view prefix,
                  const std::set<std::string>& clinics, FieldViolations& v) {
  if (clinics.count(room.clinic_id()) == 0) {
    v.Add(Path(prefix, "clinic_id"), room.clinic_id().empty() ? "required" : "unknown clinic");
  }
  RequireName(room.display_name(), Path(prefix, "display_name"), v);
  ValidateCategories(room.categories(), prefix, "categories", v);
}

}  // namespace dermaflow::scheduling
