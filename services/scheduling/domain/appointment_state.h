// The appointment life cycle (FHIR Appointment.status) as pure functions:
//
//   BOOKED --check in--> ARRIVED --complete--> FULFILLED
//   BOOKED --complete (implicit check-in)--> FULFILLED
//   BOOKED or ARRIVED --cancel--> CANCELLED
//   BOOKED --no-show--> NOSHOW
//
// FULFILLED, CANCELLED and NOSHOW are final. ARRIVED -> CANCELLED is allowed
// (the patient came but the treatment cannot be given, e.g. a new
// contraindication); ARRIVED -> NOSHOW is not: FHIR's noshow means the
// patient did not appear, and an arrived patient did. Anything else is
// FAILED_PRECONDITION APPOINTMENT_STATE naming both states.
//
//   DF_RETURN_IF_ERROR(CheckIn(appointment, clock.Now(), tz));
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"

namespace dermaflow::scheduling {

// "BOOKED", "ARRIVED", ... (the enum name without its prefix).
std::string StateName(v1::AppointmentState state);

bool IsTransitionAllowed(v1::AppointmentState from, v1::AppointmentState to);

// BOOKED and ARRIVED appointments hold their practitioner, room and patient.
bool HoldsSlot(v1::AppointmentState state);

// OK when `appointment` may go to `to`; FAILED_PRECONDITION APPOINTMENT_STATE
// (subject appointment/<id>) naming both states otherwise.
absl::Status CheckTransition(const v1::Appointment& appointment, v1::AppointmentState to);

// Each applies one transition to `appointment` (state, times, who) or
// changes nothing and says why not. `now` is when it happens; `tz` the
// clinic's zone; `actor` the caller's subject.
//
// Check-in is allowed from the start of the appointment's local date
// (TOO_EARLY before).
absl::Status CheckIn(v1::Appointment& appointment, absl::Time now, absl::TimeZone tz);
// From BOOKED (checking in implicitly) or ARRIVED, not before start_time
// (TOO_EARLY). `completion` must already be validated.
absl::Status Complete(v1::Appointment& appointment, v1::Completion completion, absl::Time now,
                      absl::string_view actor);
absl::Status Cancel(v1::Appointment& appointment, v1::Cancellation cancellation, absl::Time now,
                    absl::string_view actor);
// Not before start_time (TOO_EARLY).
absl::Status MarkNoShow(v1::Appointment& appointment, absl::Time now);
// Only BOOKED appointments move.
absl::Status CheckReschedulable(const v1::Appointment& appointment);

}  // namespace dermaflow::scheduling
