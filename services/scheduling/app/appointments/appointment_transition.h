// One change of one appointment, committed: read it, apply the change
// (given the clinic's zone), complete its course when it was the course's
// last session, and commit it with the event of its new state
// (appointment.arrived/fulfilled/cancelled/noshow, course.completed) and of
// its new confirmation state (appointment.confirmed, ...) only if nothing
// changed meanwhile; a lost race is re-read and re-applied. A change that
// leaves the appointment as it was writes nothing.
//
//   return TransitionAppointment(deps, call, id, etag, [&](v1::Appointment& a, absl::TimeZone tz) {
//     return CheckIn(a, deps.clock.Now(), tz);
//   });
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

using ApplyChange = std::function<absl::Status(v1::Appointment&, absl::TimeZone)>;

// `etag` empty: not checked (ABORTED ETAG_MISMATCH when set and stale).
// Returns the appointment as changed, redacted for the caller.
absl::StatusOr<v1::Appointment> TransitionAppointment(SchedulingDeps& deps, const CallContext& call,
                                                      const std::string& id,
                                                      const std::string& etag,
                                                      const ApplyChange& apply);

}  // namespace dermaflow::scheduling
