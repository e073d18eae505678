// The booking rules of SchedulingService (see the service comment in
// scheduling_service.proto) that need no calendar: who may give a protocol
// where, and whether a session lies inside opening and working hours, off
// closed days and time off. Each returns every violated rule as a
// PreconditionViolation, so the caller reports them all at once. Pure.
//
//   BookingParties parties{&clinic, &practitioner, &protocol, room};
//   std::vector<common::PreconditionViolation> v = CheckParties(parties);
//   Append(v, CheckSessionTime(parties, tz, session, buffer));
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/status/errors.h"
#include "dermaflow/protocol/v1/protocol.pb.h"
#include "dermaflow/scheduling/v1/clinic.pb.h"
#include "services/scheduling/domain/availability.h"

namespace dermaflow::scheduling {

// Hard limits on start times (INVALID_ARGUMENT beyond them).
inline constexpr absl::Duration kMaxBookingHorizon = absl::Hours(24 * 731);

struct BookingParties {
  const v1::Clinic* clinic;
  const v1::Practitioner* practitioner;
  const protocol::v1::Protocol* protocol;
  const v1::Room* room = nullptr;  // null: the server picks one
};

// The clinic's opening hours, closed days and grid, in its own zone.
WeeklyHours OpeningHoursOf(const v1::Clinic& clinic);
std::set<absl::CivilDay> ClosedDaysOf(const v1::Clinic& clinic);
absl::Duration BufferOf(const v1::Clinic& clinic);
absl::Duration SlotIntervalOf(const v1::Clinic& clinic);
// The practitioner's working hours at `clinic_id` only.
WeeklyHours WorkingHoursAt(const v1::Practitioner& practitioner, const std::string& clinic_id);
std::vector<Interval> TimeOffOf(const v1::Practitioner& practitioner);

bool WorksAt(const v1::Practitioner& practitioner, const std::string& clinic_id);
bool IsQualified(const v1::Practitioner& practitioner, const protocol::v1::Protocol& protocol);
// The room belongs to the clinic and is equipped for the category (empty
// categories: any).
bool RoomSuits(const v1::Room& room, const std::string& clinic_id,
               protocol::v1::ProtocolCategory category);

// ARCHIVED, PRACTITIONER_NOT_AT_CLINIC, PRACTITIONER_NOT_QUALIFIED,
// PHYSICIAN_REQUIRED, ROOM_NOT_SUITABLE.
std::vector<common::PreconditionViolation> CheckParties(const BookingParties& parties);

// CLINIC_CLOSED, OUTSIDE_OPENING_HOURS, OUTSIDE_WORKING_HOURS,
// PRACTITIONER_TIME_OFF for `occupied` = session start to end + buffer.
std::vector<common::PreconditionViolation> CheckSessionTime(const BookingParties& parties,
                                                            absl::TimeZone tz,
                                                            const Interval& occupied);

// INVALID_ARGUMENT naming `field` unless `start` is whole minutes, after
// `now` and at most kMaxBookingHorizon ahead.
absl::Status CheckStartTime(absl::Time start, absl::Time now, const std::string& field);

// FAILED_PRECONDITION carrying `violations`; OK when there are none.
absl::Status ToPreconditionStatus(const std::string& message,
                                  const std::vector<common::PreconditionViolation>& violations);

}  // namespace dermaflow::scheduling
