#include "services/scheduling/domain/booking_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {
namespace {

using common::PreconditionViolation;

constexpr char kTimeFormat[] = "%Y-%m-%d %H:%M %Z";

template <typename Hours>
std::optional<DailyRange> ToDailyRange(const Hours& hours, const google::type::TimeOfDay& begin,
                                       const google::type::TimeOfDay& end) {
  auto weekday = ToWeekday(hours.day_of_week());
  auto b = ToMinuteOfDay(begin, false);
  auto e = ToMinuteOfDay(end, true);
  if (!weekday || !b || !e || *e <= *b) return std::nullopt;  // validated on write
  return DailyRange{*weekday, *b, *e};
}

}  // namespace

WeeklyHours OpeningHoursOf(const v1::Clinic& clinic) {
  std::vector<DailyRange> ranges;
  for (const auto& h : clinic.opening_hours()) {
    if (auto r = ToDailyRange(h, h.open(), h.close())) ranges.push_back(*r);
  }
  return WeeklyHours(std::move(ranges));
}

std::set<absl::CivilDay> ClosedDaysOf(const v1::Clinic& clinic) {
  std::set<absl::CivilDay> days;
  for (const auto& d : clinic.closed_days()) {
    if (auto day = ToCivilDay(d)) days.insert(*day);
  }
  return days;
}

absl::Duration BufferOf(const v1::Clinic& clinic) { return ToDuration(clinic.buffer()); }

absl::Duration SlotIntervalOf(const v1::Clinic& clinic) {
  return clinic.has_slot_interval() ? ToDuration(clinic.slot_interval()) : absl::Minutes(15);
}

WeeklyHours WorkingHoursAt(const v1::Practitioner& practitioner, const std::string& clinic_id) {
  std::vector<DailyRange> ranges;
  for (const auto& h : practitioner.working_hours()) {
    if (h.clinic_id() != clinic_id) continue;
    if (auto r = ToDailyRange(h, h.start(), h.end())) ranges.push_back(*r);
  }
  return WeeklyHours(std::move(ranges));
}

std::vector<Interval> TimeOffOf(const v1::Practitioner& practitioner) {
  std::vector<Interval> periods;
  for (const auto& t : practitioner.time_off()) {
    periods.push_back({ToTime(t.start_time()), ToTime(t.end_time())});
  }
  return periods;
}

bool WorksAt(const v1::Practitioner& practitioner, const std::string& clinic_id) {
  const auto& ids = practitioner.clinic_ids();
  return std::find(ids.begin(), ids.end(), clinic_id) != ids.end();
}

bool IsQualified(const v1::Practitioner& practitioner, const protocol::v1::Protocol& protocol) {
  const auto& categories = practitioner.qualified_categories();
  return std::find(categories.begin(), categories.end(), protocol.category()) != categories.end();
}

bool RoomSuits(const v1::Room& room, const std::string& clinic_id,
               protocol::v1::ProtocolCategory category) {
  if (room.clinic_id() != clinic_id) return false;
  const auto& categories = room.categories();
  return categories.empty() ||
         std::find(categories.begin(), categories.end(), category) != categories.end();
}

std::vector<PreconditionViolation> CheckParties(const BookingParties& p) {
  std::vector<PreconditionViolation> v;
  const std::string clinic = absl::StrCat("clinic/", p.clinic->id());
  const std::string practitioner = absl::StrCat("practitioner/", p.practitioner->id());
  if (p.clinic->archived()) v.push_back({"ARCHIVED", clinic, "the clinic is archived"});
  if (p.practitioner->archived()) {
    v.push_back({"ARCHIVED", practitioner, "the practitioner is archived"});
  }
  if (p.protocol->archived()) {
    v.push_back(
        {"ARCHIVED", absl::StrCat("protocol/", p.protocol->id()), "the protocol is archived"});
  }
  if (!WorksAt(*p.practitioner, p.clinic->id())) {
    v.push_back({"PRACTITIONER_NOT_AT_CLINIC", practitioner,
                 absl::StrCat("the practitioner does not work at clinic ", p.clinic->id())});
  }
  if (!IsQualified(*p.practitioner, *p.protocol)) {
    v.push_back({"PRACTITIONER_NOT_QUALIFIED", practitioner,
                 absl::StrCat("the practitioner is not qualified for ",
                              protocol::v1::ProtocolCategory_Name(p.protocol->category()))});
  }
  if (p.protocol->requires_physician() && !p.practitioner->is_physician()) {
    v.push_back({"PHYSICIAN_REQUIRED", practitioner, "the protocol must be given by a physician"});
  }
  if (p.room != nullptr) {
    const std::string room = absl::StrCat("room/", p.room->id());
    if (p.room->archived()) v.push_back({"ARCHIVED", room, "the room is archived"});
    if (!RoomSuits(*p.room, p.clinic->id(), p.protocol->category())) {
      v.push_back(
          {"ROOM_NOT_SUITABLE", room,
           p.room->clinic_id() != p.clinic->id()
               ? absl::StrCat("the room belongs to clinic ", p.room->clinic_id())
               : absl::StrCat("the room is not equipped for ",
                              protocol::v1::ProtocolCategory_Name(p.protocol->category()))});
    }
  }
  return v;
}

std::vector<PreconditionViolation> CheckSessionTime(const BookingParties& p, absl::TimeZone tz,
                                                    const Interval& occupied) {
  std::vector<PreconditionViolation> v;
  const std::string clinic = absl::StrCat("clinic/", p.clinic->id());
  const std::string practitioner = absl::StrCat("practitioner/", p.practitioner->id());
  const std::string when =
      absl::StrCat(absl::FormatTime(kTimeFormat, occupied.start, tz), " to ",
                   absl::FormatTime(kTimeFormat, occupied.end, tz), " (incl. buffer)");
  const absl::CivilDay day = absl::ToCivilDay(occupied.start, tz);
  if (ClosedDaysOf(*p.clinic).count(day) > 0) {
    v.push_back({"CLINIC_CLOSED", clinic,
                 absl::StrCat("the clinic is closed on ", absl::FormatCivilTime(day))});
  } else if (!OpeningHoursOf(*p.clinic).Contains(occupied, tz)) {
    v.push_back({"OUTSIDE_OPENING_HOURS", clinic,
                 absl::StrCat(when, " is not inside the clinic's opening hours")});
  }
  if (!WorkingHoursAt(*p.practitioner, p.clinic->id()).Contains(occupied, tz)) {
    v.push_back({"OUTSIDE_WORKING_HOURS", practitioner,
                 absl::StrCat(when, " is not inside the practitioner's working hours here")});
  }
  if (OverlapsAny(occupied, TimeOffOf(*p.practitioner))) {
    v.push_back({"PRACTITIONER_TIME_OFF", practitioner,
                 absl::StrCat(when, " overlaps the practitioner's time off")});
  }
  return v;
}

absl::Status CheckStartTime(absl::Time start, absl::Time now, const std::string& field) {
  if (!IsWholeMinutes(start)) return common::InvalidArgumentError(field, "must be whole minutes");
  if (start <= now) return common::InvalidArgumentError(field, "must be in the future");
  if (start > now + kMaxBookingHorizon) {
    return common::InvalidArgumentError(field, "must be at most 2 years ahead");
  }
  return absl::OkStatus();
}

absl::Status ToPreconditionStatus(const std::string& message,
                                  const std::vector<PreconditionViolation>& violations) {
  if (violations.empty()) return absl::OkStatus();
  std::vector<std::string> types;
  types.reserve(violations.size());
  for (const auto& v : violations) types.push_back(v.type);
  return common::FailedPreconditionError(absl::StrCat(message, ": ", absl::StrJoin(types, ", ")),
                                         violations);
}

}  // namespace dermaflow::scheduling
