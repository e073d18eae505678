// RescheduleAppointment: moves a BOOKED appointment to another start (and
// optionally practitioner or room) if its etag is the one the caller read,
// under the same rules and conflict checks as a booking; the store moves
// its calendar entries and appends `appointment.rescheduled` in one step.
// The current room is kept when it is still free and suitable.
//
//   DF_ASSIGN_OR_RETURN(v1::Appointment moved, MoveAppointment(deps, call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Appointment> MoveAppointment(SchedulingDeps& deps, const CallContext& call,
                                                const v1::RescheduleAppointmentRequest& request);

}  // namespace dermaflow::scheduling
