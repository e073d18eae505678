#include "services/scheduling/app/patient_actions/patient_actions.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/proto_time.h"
#include "services/scheduling/app/appointments/appointment_transition.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

// Who did it, as the appointment and its events record it.
std::string ActorOf(const common::ActionClaims& claims, ConfirmationChannel via) {
  return absl::StrCat(via == ConfirmationChannel::kSms ? "patient:sms/" : "patient:link/",
                      claims.token_id);
}

absl::Status AlreadyUsed() {
  return common::WithErrorInfo(
      absl::FailedPreconditionError("this link was used already; nothing was changed"),
      "ACTION_ALREADY_USED", kErrorDomain);
}

}  // namespace

absl::StatusOr<v1::PatientAction> ActionOf(const common::ActionClaims& claims) {
  v1::PatientAction action = v1::PATIENT_ACTION_UNSPECIFIED;
  if (!v1::PatientAction_Parse(claims.action, &action) ||
      action == v1::PATIENT_ACTION_UNSPECIFIED) {
    return common::WithErrorInfo(
        absl::UnauthenticatedError("action_token names an action this service does not know"),
        common::kActionTokenInvalid, kErrorDomain);
  }
  return action;
}

absl::StatusOr<v1::PatientAppointmentView> PatientActions::ViewOf(const std::string& org,
                                                                  const v1::Appointment& a) {
  v1::PatientAppointmentView view;
  view.set_appointment_id(a.id());
  view.set_time_zone(a.time_zone());
  view.set_protocol_id(a.protocol_id());
  view.set_protocol_category(a.protocol_category());
  *view.mutable_start_time() = a.start_time();
  *view.mutable_end_time() = a.end_time();
  *view.mutable_local_start_date() = a.local_start_date();
  *view.mutable_local_start_time() = a.local_start_time();
  view.set_state(a.state());
  view.set_confirmation_state(a.confirmation().state());
  // Names are for display only: a clinic or practitioner archived or
  // renamed since still shows what it is called now.
  if (absl::StatusOr<v1::Clinic> clinic = deps_.resources.GetClinic(org, a.clinic_id());
      clinic.ok()) {
    view.set_clinic_display_name(clinic->display_name());
    view.set_clinic_contact_phone(clinic->contact_phone());
  }
  if (absl::StatusOr<v1::Practitioner> p =
          deps_.resources.GetPractitioner(org, a.practitioner_id());
      p.ok()) {
    view.set_practitioner_display_name(p->display_name());
  }
  return view;
}

absl::StatusOr<v1::ActionDescription> PatientActions::Describe(const common::ActionClaims& claims) {
  DF_ASSIGN_OR_RETURN(const v1::PatientAction action, ActionOf(claims));
  v1::ActionDescription description;
  description.set_action(action);
  *description.mutable_expire_time() = common::ToTimestamp(claims.expire_time);
  DF_ASSIGN_OR_RETURN(const bool used, ledger_.IsUsed(claims.organization, claims.token_id));
  description.set_used(used);
  DF_ASSIGN_OR_RETURN(AppointmentRecord record,
                      deps_.appointments.GetAppointment(claims.organization, claims.subject_id));
  DF_ASSIGN_OR_RETURN(*description.mutable_appointment(),
                      ViewOf(claims.organization, record.appointment));
  return description;
}

absl::StatusOr<v1::ActionResult> PatientActions::Perform(const common::ActionClaims& claims,
                                                         ConfirmationChannel via) {
  DF_ASSIGN_OR_RETURN(const v1::PatientAction action, ActionOf(claims));
  const common::Caller patient{.organization = claims.organization,
                               .subject = ActorOf(claims, via)};
  const CallContext call{patient};
  DF_ASSIGN_OR_RETURN(const bool claimed,
                      ledger_.Claim(claims.organization, claims.token_id, claims.expire_time));
  if (!claimed) return AlreadyUsed();
  absl::StatusOr<v1::Appointment> changed = Act(action, claims, call, via);
  if (!changed.ok()) {
    // Nothing changed: the patient may try again (e.g. after UNAVAILABLE).
    ledger_.Release(claims.organization, claims.token_id).IgnoreError();
    return changed.status();
  }
  v1::ActionResult result;
  result.set_action(action);
  DF_ASSIGN_OR_RETURN(*result.mutable_appointment(), ViewOf(claims.organization, *changed));
  return result;
}

absl::StatusOr<v1::Appointment> PatientActions::Act(v1::PatientAction action,
                                                    const common::ActionClaims& claims,
                                                    const CallContext& call,
                                                    ConfirmationChannel via) {
  switch (action) {
    case v1::PATIENT_ACTION_CONFIRM:
      return AnswerConfirmation(deps_, call, claims.subject_id, v1::CONFIRMATION_STATE_CONFIRMED,
                                via);
    case v1::PATIENT_ACTION_REQUEST_RESCHEDULE:
      return AnswerConfirmation(deps_, call, claims.subject_id,
                                v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED, via);
    case v1::PATIENT_ACTION_CANCEL:
      return Cancel(claims, call, via);
    default:
      return absl::UnimplementedError(
          absl::StrCat(v1::PatientAction_Name(action), " is not available yet"));
  }
}

absl::StatusOr<v1::Appointment> PatientActions::Cancel(const common::ActionClaims& claims,
                                                       const CallContext& call,
                                                       ConfirmationChannel via) {
  DF_ASSIGN_OR_RETURN(const AppointmentRecord record,
                      deps_.appointments.GetAppointment(claims.organization, claims.subject_id));
  // Cancelling is declining to come (the answer counts in the confirmation
  // task list and metrics), except after a confirmation, which stays the
  // recorded answer: then it is a plain cancel.
  if (record.appointment.confirmation().state() != v1::CONFIRMATION_STATE_CONFIRMED) {
    return AnswerConfirmation(deps_, call, claims.subject_id, v1::CONFIRMATION_STATE_DECLINED,
                              via);
  }
  v1::Cancellation cancellation;
  cancellation.set_reason(v1::CANCELLATION_REASON_PATIENT_REQUEST);
  cancellation.set_note("cancelled by the patient from a message");
  return TransitionAppointment(
      deps_, call, claims.subject_id, /*etag=*/"", [&](v1::Appointment& a, absl::TimeZone) {
        return scheduling::Cancel(a, cancellation, deps_.clock.Now(), call.caller.subject);
      });
}

}  // namespace dermaflow::scheduling
