// BookAppointment as a sequence of steps: check the request, answer a replay
// of a known request_id, load the course a replacement session joins, load
// and check the subject, screen the patient, then let the store book it
// (retried when the course moved on meanwhile). validate_only stops before
// the store and checks the calendars instead.
//
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, BookOneAppointment(deps, call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Appointment> BookOneAppointment(SchedulingDeps& deps, const CallContext& call,
                                                   const v1::BookAppointmentRequest& request);

}  // namespace dermaflow::scheduling
