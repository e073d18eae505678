// The field checks of the three booking requests (BookAppointment,
// PlanCourse, RescheduleAppointment): required fields, lengths, the
// request_id, and a start time that is not in the past. All field
// violations of a request are reported at once (INVALID_ARGUMENT).
//
//   DF_RETURN_IF_ERROR(ValidateBookRequest(request, deps.clock.Now()));
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"

namespace dermaflow::scheduling {

absl::Status ValidateBookRequest(const v1::BookAppointmentRequest& request, absl::Time now);
absl::Status ValidatePlanRequest(const v1::PlanCourseRequest& request, absl::Time now);
absl::Status ValidateRescheduleRequest(const v1::RescheduleAppointmentRequest& request,
                                       absl::Time now);

}  // namespace dermaflow::scheduling
