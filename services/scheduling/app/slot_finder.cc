#include "services/scheduling/app/slot_finder.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/api/page_size.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/booking_rules.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/resource_validation.h"

namespace dermaflow::scheduling {
namespace {

// One call's work is bounded by its window: at most this long, and never
// beyond the booking horizon (nothing there can be booked).
constexpr absl::Duration kMaxSearchRange = absl::Hours(24 * 31);

}  // namespace

absl::StatusOr<v1::FindAvailableSlotsResponse> SlotFinder::Find(
    const CallContext& call, const v1::FindAvailableSlotsRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("FindAvailableSlots")));
  const std::string& org = call.caller.organization;
  const absl::Time now = deps_.clock.Now();
  common::FieldViolations v;
  if (request.clinic_id().empty()) v.Add("clinic_id", "required");
  if (request.protocol_id().empty()) v.Add("protocol_id", "required");
  const auto& range = request.time_range();
  const absl::Time from = ToTime(range.start_time()), to = ToTime(range.end_time());
  if (!range.has_start_time() || !range.has_end_time() || to <= from) {
    v.Add("time_range", "required, end_time after start_time");
  } else if (to - from > kMaxSearchRange) {
    v.Add("time_range", "at most 31 days");
  } else if (to <= now) {
    v.Add("time_range", "ends in the past");
  } else if (from > now + kMaxBookingHorizon) {
    v.Add("time_range", "starts more than 2 years ahead, where nothing can be booked");
  }
  DF_RETURN_IF_ERROR(v.ToStatus());
  DF_ASSIGN_OR_RETURN(int page_size, common::EffectivePageSize(request.page_size()));
  DF_ASSIGN_OR_RETURN(common::PagePosition cursor_parts,
                      page_tokens_.Decode(call.caller.organization, request));
  std::optional<SlotCandidate> cursor;
  if (!cursor_parts.empty()) {
    int64_t start = 0;
    if (cursor_parts.size() != 3 || !absl::SimpleAtoi(cursor_parts[0], &start)) {
      return common::InvalidArgumentError("page_token", "not a token this API returned");
    }
    cursor = SlotCandidate{absl::FromUnixSeconds(start), {}, cursor_parts[1], cursor_parts[2]};
  }

  DF_ASSIGN_OR_RETURN(v1::Clinic clinic, deps_.resources.GetClinic(org, request.clinic_id()));
  DF_ASSIGN_OR_RETURN(absl::TimeZone tz, ZoneOf(clinic));
  DF_ASSIGN_OR_RETURN(protocol::v1::Protocol protocol,
                      deps_.protocols.GetProtocol(call.origin(), request.protocol_id(), 0));
  if (!request.patient_id().empty()) {
    DF_RETURN_IF_ERROR(
        deps_.patients
            .GetPatient(call.origin(), request.patient_id(), patient::v1::PATIENT_VIEW_BASIC)
            .status());
  }

  // Who and where: the given practitioner/room (which must fit), else every
  // one that fits.
  std::vector<v1::Practitioner> practitioners;
  if (!request.practitioner_id().empty()) {
    DF_ASSIGN_OR_RETURN(v1::Practitioner p,
                        deps_.resources.GetPractitioner(org, request.practitioner_id()));
    practitioners.push_back(std::move(p));
  } else {
    DF_ASSIGN_OR_RETURN(practitioners, deps_.resources.ListPractitioners(org));
  }
  std::vector<v1::Room> rooms;
  if (!request.room_id().empty()) {
    DF_ASSIGN_OR_RETURN(v1::Room r, deps_.resources.GetRoom(org, request.room_id()));
    rooms.push_back(std::move(r));
  } else {
    DF_ASSIGN_OR_RETURN(rooms, deps_.resources.ListRooms(org));
  }
  // What was asked for must fit; otherwise say why (as booking would).
  std::vector<common::PreconditionViolation> violations;
  if (clinic.archived()) {
    violations.push_back(
        {"ARCHIVED", absl::StrCat("clinic/", clinic.id()), "the clinic is archived"});
  }
  if (protocol.archived()) {
    violations.push_back(
        {"ARCHIVED", absl::StrCat("protocol/", protocol.id()), "the protocol is archived"});
  }
  if (!request.room_id().empty()) {
    const v1::Room& room = rooms.front();
    if (room.archived()) {
      violations.push_back({"ARCHIVED", absl::StrCat("room/", room.id()), "the room is archived"});
    } else if (!RoomSuits(room, clinic.id(), protocol.category())) {
      violations.push_back({"ROOM_NOT_SUITABLE", absl::StrCat("room/", room.id()),
                            "the room is of another clinic or not equipped for the protocol"});
    }
  }
  std::vector<const v1::Practitioner*> fitting;
  for (const v1::Practitioner& p : practitioners) {
    std::vector<common::PreconditionViolation> problems =
        CheckParties({&clinic, &p, &protocol, nullptr});
    if (problems.empty()) fitting.push_back(&p);
    if (!request.practitioner_id().empty()) {
      for (auto& problem : problems) {
        if (problem.subject.rfind("practitioner/", 0) == 0)
          violations.push_back(std::move(problem));
      }
    }
  }
  DF_RETURN_IF_ERROR(ToPreconditionStatus("no slots can be offered", violations));
  std::vector<std::string> room_ids = SuitableRoomIds(rooms, clinic.id(), protocol.category());

  SlotSearch search;
  search.time_zone = tz;
  search.opening_hours = OpeningHoursOf(clinic);
  search.closed_days = ClosedDaysOf(clinic);
  search.session_duration = ToDuration(protocol.session_duration());
  search.buffer = BufferOf(clinic);
  search.slot_interval = SlotIntervalOf(clinic);
  search.window = {std::max(from, now), std::min(to, now + kMaxBookingHorizon)};
  const Interval busy_window{search.window.start,
                             search.window.end + search.session_duration + search.buffer};
  std::vector<std::pair<CalendarOwner, std::string>> owners;
  owners.reserve(fitting.size() + room_ids.size() + 1);
  for (const v1::Practitioner* p : fitting)
    owners.push_back({CalendarOwner::kPractitioner, p->id()});
  for (const std::string& r : room_ids) owners.push_back({CalendarOwner::kRoom, r});
  if (!request.patient_id().empty())
    owners.push_back({CalendarOwner::kPatient, request.patient_id()});
  DF_ASSIGN_OR_RETURN(auto busy, deps_.appointments.BusyIntervals(org, owners, busy_window));
  size_t next = 0;
  for (const v1::Practitioner* p : fitting) {
    search.practitioners.push_back({p->id(), WorkingHoursAt(*p, clinic.id()), TimeOffOf(*p),
                                    Calendar(std::move(busy[next++]))});
  }
  for (const std::string& r : room_ids)
    search.rooms.push_back({r, Calendar(std::move(busy[next++]))});
  if (!request.patient_id().empty()) search.patient_busy = Calendar(std::move(busy[next++]));

  std::vector<SlotCandidate> slots =
      FindSlots(search, cursor ? &*cursor : nullptr, static_cast<size_t>(page_size) + 1);
  v1::FindAvailableSlotsResponse response;
  for (size_t i = 0; i < slots.size() && i < static_cast<size_t>(page_size); ++i) {
    v1::Slot* slot = response.add_slots();
    *slot->mutable_start_time() = ToTimestamp(slots[i].start);
    *slot->mutable_end_time() = ToTimestamp(slots[i].end);
    slot->set_practitioner_id(slots[i].practitioner_id);
    slot->set_room_id(slots[i].room_id);
    const absl::CivilSecond local = absl::ToCivilSecond(slots[i].start, tz);
    *slot->mutable_local_start_date() = ToDate(absl::CivilDay(local));
    *slot->mutable_local_start_time() = ToTimeOfDay(local);
  }
  if (slots.size() > static_cast<size_t>(page_size)) {
    const SlotCandidate& last = slots[page_size - 1];
    DF_ASSIGN_OR_RETURN(*response.mutable_next_page_token(),
                        page_tokens_.Encode(call.caller.organization, request,
                                            {absl::StrCat(absl::ToUnixSeconds(last.start)),
                                             last.practitioner_id, last.room_id}));
  }
  return response;
}

}  // namespace dermaflow::scheduling
