// What a booking is about: clinic, practitioner, protocol, areas and the
// candidate rooms, loaded for the caller's organization and checked against
// the booking rules that need no calendar (CheckParties). Shared by booking,
// course planning and rescheduling.
//
//   DF_ASSIGN_OR_RETURN(BookingSubject s, LoadBookingSubject(deps, call, {clinic_id, ...}));
//   DF_RETURN_IF_ERROR(CheckSessionRules(s, s.Occupied(start)));
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"
#include "google/protobuf/repeated_field.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/domain/availability.h"
#include "services/scheduling/domain/booking_rules.h"

namespace dermaflow::scheduling {

struct BookingSubject {
  v1::Clinic clinic;
  absl::TimeZone tz;
  v1::Practitioner practitioner;
  protocol::v1::Protocol protocol;
  std::optional<v1::Room> room;       // asked for by the caller
  std::vector<std::string> room_ids;  // candidates in order of preference
  std::vector<protocol::v1::TreatmentArea> areas;

  BookingParties parties() const {
    return {&clinic, &practitioner, &protocol, room ? &*room : nullptr};
  }
  absl::Duration duration() const;
  absl::Duration buffer() const { return BufferOf(clinic); }
  // A session of the protocol's duration from `start`, with the buffer.
  Interval Occupied(absl::Time start) const { return {start, start + duration() + buffer()}; }
};

struct BookingSubjectRequest {
  std::string clinic_id;
  std::string practitioner_id;
  std::string room_id;  // empty: any suitable room
  std::string protocol_id;
  int64_t protocol_version = 0;  // 0: the latest
  const google::protobuf::RepeatedField<int>* areas = nullptr;
};

// Loads and checks the subject; FAILED_PRECONDITION naming every rule
// broken, ROOM_NOT_SUITABLE when the clinic has no room for the protocol.
absl::StatusOr<BookingSubject> LoadBookingSubject(SchedulingDeps& deps, const CallContext& call,
                                                  const BookingSubjectRequest& request);

// The rules a session at `occupied` must meet (opening and working hours,
// closed days, time off): FAILED_PRECONDITION naming each one broken.
absl::Status CheckSessionRules(const BookingSubject& s, const Interval& occupied);

}  // namespace dermaflow::scheduling
