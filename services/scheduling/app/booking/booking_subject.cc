#include "services/scheduling/app/booking/booking_subject.h"

#include <utility>

#include "common/status/macros.h"
#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {

absl::Duration BookingSubject::duration() const { return ToDuration(protocol.session_duration()); }

absl::StatusOr<BookingSubject> LoadBookingSubject(SchedulingDeps& deps, const CallContext& call,
                                                  const BookingSubjectRequest& r) {
  const std::string& org = call.caller.organization;
  BookingSubject s;
  DF_ASSIGN_OR_RETURN(BookingResources read, deps.resources.GetBookingResources(
                                                 org, r.clinic_id, r.practitioner_id, r.room_id));
  s.clinic = std::move(read.clinic);
  s.practitioner = std::move(read.practitioner);
  s.room = std::move(read.room);
  DF_ASSIGN_OR_RETURN(s.tz, ZoneOf(s.clinic));
  DF_ASSIGN_OR_RETURN(s.protocol,
                      deps.protocols.GetProtocol(call.origin(), r.protocol_id, r.protocol_version));
  DF_ASSIGN_OR_RETURN(s.areas, ResolveAreas(*r.areas, s.protocol, "areas"));
  DF_RETURN_IF_ERROR(
      ToPreconditionStatus("the booking rules are not met", CheckParties(s.parties())));
  if (s.room) {
    s.room_ids = {s.room->id()};
  } else {
    DF_ASSIGN_OR_RETURN(std::vector<v1::Room> rooms, deps.resources.ListRooms(org));
    s.room_ids = SuitableRoomIds(rooms, s.clinic.id(), s.protocol.category());
    if (s.room_ids.empty()) return NoSuitableRoomError(s.clinic.id());
  }
  return s;
}

absl::Status CheckSessionRules(const BookingSubject& s, const Interval& occupied) {
  return ToPreconditionStatus("the booking rules are not met",
                              CheckSessionTime(s.parties(), s.tz, occupied));
}

}  // namespace dermaflow::scheduling
