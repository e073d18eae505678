#include "services/scheduling/app/confirmations/confirmation_answers.h"

#include <string>

#include "common/status/macros.h"
#include "services/scheduling/app/appointments/appointment_requests.h"
#include "services/scheduling/app/appointments/appointment_transition.h"
#include "services/scheduling/app/confirmations/confirmation_metrics.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/confirmation_rules.h"

namespace dermaflow::scheduling {
namespace {

v1::ConfirmationChannel ToProto(ConfirmationChannel via) {
  switch (via) {
    case ConfirmationChannel::kStaff:
      return v1::CONFIRMATION_CHANNEL_STAFF;
    case ConfirmationChannel::kLink:
      return v1::CONFIRMATION_CHANNEL_LINK;
    case ConfirmationChannel::kSms:
      return v1::CONFIRMATION_CHANNEL_SMS;
  }
  return v1::CONFIRMATION_CHANNEL_UNSPECIFIED;
}

absl::StatusOr<v1::Appointment> Answer(const SchedulingDeps& deps, const CallContext& call,
                                       const std::string& id, const std::string& etag,
                                       v1::ConfirmationState answer, ConfirmationChannel via) {
  DF_RETURN_IF_ERROR(RequireId(id));
  DF_RETURN_IF_ERROR(ValidateAnswer(answer, "answer"));
  SchedulingDeps d = deps;
  bool changed = false;
  absl::StatusOr<v1::Appointment> result = TransitionAppointment(
      d, call, id, etag, [&](v1::Appointment& a, absl::TimeZone) -> absl::Status {
        const absl::Time now = d.clock.Now();
        DF_ASSIGN_OR_RETURN(changed,
                            ApplyAnswer(a, answer, ToProto(via), call.caller.subject, now));
        if (!changed || answer != v1::CONFIRMATION_STATE_DECLINED) return absl::OkStatus();
        v1::Cancellation cancellation;
        cancellation.set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
        cancellation.set_note("declined the confirmation request");
        return Cancel(a, std::move(cancellation), now, call.caller.subject);
      });
  if (result.ok() && changed && d.confirmation_metrics != nullptr) {
    d.confirmation_metrics->Record(answer, ToProto(via));
  }
  return result;
}

}  // namespace

absl::StatusOr<v1::Appointment> AnswerConfirmation(const SchedulingDeps& deps,
                                                   const CallContext& call,
                                                   std::string_view appointment_id,
                                                   v1::ConfirmationState answer,
                                                   ConfirmationChannel via) {
  return Answer(deps, call, std::string(appointment_id), "", answer, via);
}

absl::StatusOr<v1::Appointment> ConfirmAppointment(const SchedulingDeps& deps,
                                                   const CallContext& call,
                                                   const v1::ConfirmAppointmentRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("ConfirmAppointment")));
  return Answer(deps, call, request.id(), request.etag(), request.answer(),
                ConfirmationChannel::kStaff);
}

}  // namespace dermaflow::scheduling
