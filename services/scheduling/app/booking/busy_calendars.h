// The busy calendars a booking must respect (practitioner, patient, each
// candidate room), read at one moment, and the check of one session
// against them. Used for course planning and validate_only; the booking
// script re-checks atomically, and this check names a conflict as it does.
//
//   DF_ASSIGN_OR_RETURN(BusyCalendars c, LoadBusyCalendars(deps, org, s, patient_id, window));
//   DF_ASSIGN_OR_RETURN(std::string room, FreeRoomFor(c, s, patient_id, 1, start));
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/domain/availability.h"

namespace dermaflow::scheduling {

struct BusyCalendars {
  Calendar practitioner;
  Calendar patient;
  std::map<std::string, Calendar> rooms;  // by room id, every candidate room
};

// The calendars over `window`; `ignore`, an appointment being moved, does
// not block itself.
absl::StatusOr<BusyCalendars> LoadBusyCalendars(SchedulingDeps& deps, const std::string& org,
                                                const BookingSubject& s,
                                                const std::string& patient_id,
                                                const Interval& window,
                                                const AppointmentRecord* ignore = nullptr);

// The first candidate room free for session `session` at `start`, or
// ALREADY_EXISTS SLOT_CONFLICT naming what is busy (as the store would).
absl::StatusOr<std::string> FreeRoomFor(const BusyCalendars& c, const BookingSubject& s,
                                        const std::string& patient_id, int session,
                                        absl::Time start);

}  // namespace dermaflow::scheduling
