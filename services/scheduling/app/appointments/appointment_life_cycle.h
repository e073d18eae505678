// The appointment life cycle after booking: check-in, completion,
// cancellation, no-show and staff notes. Each checks the caller's role and
// the request, then changes the appointment through the pure state
// functions (appointment_state.h) in TransitionAppointment.
//
//   AppointmentLifeCycle life_cycle(deps);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, life_cycle.CheckInAppointment(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

class AppointmentLifeCycle {
 public:
  explicit AppointmentLifeCycle(SchedulingDeps deps) : deps_(deps) {}

  absl::StatusOr<v1::Appointment> UpdateAppointment(const CallContext& call,
                                                    const v1::UpdateAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> CancelAppointment(const CallContext& call,
                                                    const v1::CancelAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> CheckInAppointment(const CallContext& call,
                                                     const v1::CheckInAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> CompleteAppointment(
      const CallContext& call, const v1::CompleteAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> MarkNoShow(const CallContext& call,
                                             const v1::MarkNoShowRequest& request);

 private:
  SchedulingDeps deps_;
};

}  // namespace dermaflow::scheduling
