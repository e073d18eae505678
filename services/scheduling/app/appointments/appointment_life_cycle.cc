#include "services/scheduling/app/appointments/appointment_life_cycle.h"

#include "common/api/utf8.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/appointments/appointment_requests.h"
#include "services/scheduling/app/appointments/appointment_transition.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Appointment> AppointmentLifeCycle::UpdateAppointment(
    const CallContext& call, const v1::UpdateAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("UpdateAppointment")));
  const v1::Appointment& update = request.appointment();
  common::FieldViolations v;
  if (update.id().empty()) v.Add("appointment.id", "required");
  if (update.etag().empty()) v.Add("appointment.etag", "required: send the etag last read");
  if (request.update_mask().paths_size() != 1 || request.update_mask().paths(0) != "notes") {
    v.Add("update_mask", "must be exactly \"notes\"");
  }
  if (common::Utf8Length(update.notes()) > 2000)
    v.Add("appointment.notes", "at most 2000 characters");
  DF_RETURN_IF_ERROR(v.ToStatus());
  const absl::Time now = deps_.clock.Now();
  return TransitionAppointment(deps_, call, update.id(), update.etag(),
                               [&](v1::Appointment& a, absl::TimeZone) {
                                 a.set_notes(update.notes());
                                 *a.mutable_update_time() = ToTimestamp(now);
                                 return absl::OkStatus();
                               });
}

absl::StatusOr<v1::Appointment> AppointmentLifeCycle::CancelAppointment(
    const CallContext& call, const v1::CancelAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CancelAppointment")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  if (request.etag().empty()) return common::InvalidArgumentError("etag", "required");
  DF_RETURN_IF_ERROR(ValidateCancellation(request.cancellation()));
  return TransitionAppointment(
      deps_, call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone) {
        return Cancel(a, request.cancellation(), deps_.clock.Now(), call.caller.subject);
      });
}

absl::StatusOr<v1::Appointment> AppointmentLifeCycle::CheckInAppointment(
    const CallContext& call, const v1::CheckInAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CheckInAppointment")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  return TransitionAppointment(
      deps_, call, request.id(), request.etag(),
      [&](v1::Appointment& a, absl::TimeZone tz) { return CheckIn(a, deps_.clock.Now(), tz); });
}

absl::StatusOr<v1::Appointment> AppointmentLifeCycle::CompleteAppointment(
    const CallContext& call, const v1::CompleteAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("CompleteAppointment")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  const std::string& org = call.caller.organization;
  return TransitionAppointment(
      deps_, call, request.id(), request.etag(), [&](v1::Appointment& a, absl::TimeZone) {
        DF_ASSIGN_OR_RETURN(
            protocol::v1::Protocol protocol,
            deps_.protocols.GetProtocol(call.origin(), a.protocol_id(), a.protocol_version()));
        DF_RETURN_IF_ERROR(ValidateCompletion(request.completion(), protocol));
        const std::string& by = request.completion().practitioner_id();
        if (!by.empty() && absl::IsNotFound(deps_.resources.GetPractitioner(org, by).status())) {
          return common::InvalidArgumentError("completion.practitioner_id", "unknown practitioner");
        }
        return Complete(a, request.completion(), deps_.clock.Now(), call.caller.subject);
      });
}

absl::StatusOr<v1::Appointment> AppointmentLifeCycle::MarkNoShow(
    const CallContext& call, const v1::MarkNoShowRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("MarkNoShow")));
  DF_RETURN_IF_ERROR(RequireId(request.id()));
  return TransitionAppointment(deps_, call, request.id(), request.etag(),
                               [&](v1::Appointment& a, absl::TimeZone) {
                                 return scheduling::MarkNoShow(a, deps_.clock.Now());
                               });
}

}  // namespace dermaflow::scheduling
