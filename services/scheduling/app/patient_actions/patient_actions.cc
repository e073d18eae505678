#include "services/scheduling/app/patient_actions/patient_actions.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "common/time/proto_time.h"
#include "services/scheduling/app/appointments/appointment_transition.h"
#include "services/scheduling/domain/appointment_state.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

// Who did it, as the appointment and its events record it.
std::string ActorOf(const common::ActionClaims& claims, ConfirmationChannel via) {
  return absl::StrCat(via == ConfirmationChannel::kSms ? "patient:sms/" : "patient:link/",
                      claims.token_id);
}

// A used token's ledger entry outlives the token by a day (Open refuses it
// then anyway); a claim still running holds it only this long, so a crash
// between claim and outcome does not spend the token for good.
constexpr absl::Duration kPendingClaim = absl::Seconds(60);

// Links are minted to expire when their appointment starts: a start that
// differs means the appointment was moved since the message went out, and
// the patient answered about a time that no longer holds.
absl::Status RefuseIfMoved(const common::ActionClaims& claims, const v1::Appointment& a) {
  if (common::ToTime(a.start_time()) == claims.expire_time) return absl::OkStatus();
  return common::WithErrorInfo(
      absl::FailedPreconditionError(
          "the appointment was moved since this message; use the link of the newest message"),
      "APPOINTMENT_MOVED", kErrorDomain);
}

bool AwaitsAnAnswer(v1::ConfirmationState state) {
  return state == v1::CONFIRMATION_STATE_REQUESTED || state == v1::CONFIRMATION_STATE_NO_ANSWER ||
         state == v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED;
}

absl::Status AlreadyUsed() {
  return common::WithErrorInfo(
      absl::FailedPreconditionError("this link was used already; nothing was changed"),
      "ACTION_ALREADY_USED", kErrorDomain);
}

}  // namespace

absl::StatusOr<v1::PatientAction> ActionOf(const common::ActionClaims& claims) {
  // Tokens name the action without the enum's prefix, to keep links short
  // (the first tokens ever minted carried the whole name: still accepted).
  constexpr absl::string_view kPrefix = "PATIENT_ACTION_";
  const std::string name = absl::StartsWith(claims.action, kPrefix)
                               ? claims.action
                               : absl::StrCat(kPrefix, claims.action);
  v1::PatientAction action = v1::PATIENT_ACTION_UNSPECIFIED;
  if (!v1::PatientAction_Parse(name, &action) || action == v1::PATIENT_ACTION_UNSPECIFIED) {
    return common::WithErrorInfo(
        absl::UnauthenticatedError("action_token names an action this service does not know"),
        common::kActionTokenInvalid, kErrorDomain);
  }
  return action;
}

void PatientActions::AddNames(const std::string& org, const std::string& clinic_id,
                              const std::string& practitioner_id,
                              v1::PatientAppointmentView& view) {
  // Names are for display only: a clinic or practitioner archived or
  // renamed since still shows what it is called now.
  if (absl::StatusOr<v1::Clinic> clinic = deps_.resources.GetClinic(org, clinic_id); clinic.ok()) {
    view.set_clinic_display_name(clinic->display_name());
    view.set_clinic_contact_phone(clinic->contact_phone());
    if (view.time_zone().empty()) view.set_time_zone(clinic->time_zone());
  }
  if (absl::StatusOr<v1::Practitioner> p = deps_.resources.GetPractitioner(org, practitioner_id);
      p.ok()) {
    view.set_practitioner_display_name(p->display_name());
  }
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
  AddNames(org, a.clinic_id(), a.practitioner_id(), view);
  return view;
}

absl::StatusOr<v1::PatientAppointmentView> PatientActions::ViewOfOffer(
    const std::string& org, const v1::WaitlistOffer& offer) {
  v1::PatientAppointmentView view;
  view.set_offer_id(offer.id());
  view.set_appointment_id(offer.appointment_id());
  view.set_protocol_id(offer.protocol_id());
  *view.mutable_start_time() = offer.start_time();
  *view.mutable_end_time() = offer.end_time();
  *view.mutable_hold_expire_time() = offer.hold_until();
  AddNames(org, offer.clinic_id(), offer.practitioner_id(), view);
  absl::TimeZone zone;
  if (absl::LoadTimeZone(view.time_zone(), &zone)) {
    const absl::CivilSecond local = absl::ToCivilSecond(common::ToTime(offer.start_time()), zone);
    *view.mutable_local_start_date() = common::ToDate(absl::CivilDay(local));
    *view.mutable_local_start_time() = ToTimeOfDay(local);
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
  if (action == v1::PATIENT_ACTION_ACCEPT_OFFER || action == v1::PATIENT_ACTION_DECLINE_OFFER) {
    DF_ASSIGN_OR_RETURN(const v1::WaitlistOffer offer,
                        waitlist_.GetOffer(claims.organization, claims.subject_id));
    DF_ASSIGN_OR_RETURN(*description.mutable_appointment(),
                        ViewOfOffer(claims.organization, offer));
    return description;
  }
  DF_ASSIGN_OR_RETURN(AppointmentRecord record,
                      deps_.appointments.GetAppointment(claims.organization, claims.subject_id));
  // Said before the patient decides, not after they tapped.
  DF_RETURN_IF_ERROR(RefuseIfMoved(claims, record.appointment));
  DF_ASSIGN_OR_RETURN(*description.mutable_appointment(),
                      ViewOf(claims.organization, record.appointment));
  return description;
}

absl::StatusOr<v1::ActionResult> PatientActions::Perform(const common::ActionClaims& claims,
                                                         ConfirmationChannel via) {
  DF_ASSIGN_OR_RETURN(const v1::PatientAction action, ActionOf(claims));
  const common::Caller patient{.organization = claims.organization,
                               .subject = ActorOf(claims, via)};
  // Taking an offer books, which reads the protocol: with no person's token
  // to pass on, scheduling calls as itself.
  const CallContext call{.caller = patient, .as_service = true};
  DF_ASSIGN_OR_RETURN(const bool claimed,
                      ledger_.Claim(claims.organization, claims.token_id, kPendingClaim));
  if (!claimed) return AlreadyUsed();
  absl::StatusOr<v1::PatientAppointmentView> view = Act(action, claims, call, via);
  if (!view.ok()) {
    // Nothing changed: the patient may try again (e.g. after UNAVAILABLE);
    // if the release fails, the pending claim lapses by itself.
    ledger_.Release(claims.organization, claims.token_id).IgnoreError();
    return view.status();
  }
  // Done: the token stays used until a day after it expires. Should this
  // write fail, the claim lapses in a minute; a replay then meets an action
  // already done (the same answer changes nothing, a cancelled appointment
  // refuses, an accepted offer returns its appointment).
  ledger_
      .Keep(claims.organization, claims.token_id,
            claims.expire_time + absl::Hours(24) - deps_.clock.Now())
      .IgnoreError();
  v1::ActionResult result;
  result.set_action(action);
  *result.mutable_appointment() = *std::move(view);
  return result;
}

absl::StatusOr<v1::PatientAppointmentView> PatientActions::Act(v1::PatientAction action,
                                                               const common::ActionClaims& claims,
                                                               const CallContext& call,
                                                               ConfirmationChannel via) {
  const std::string& org = claims.organization;
  AppointmentRecord record;
  if (action != v1::PATIENT_ACTION_ACCEPT_OFFER && action != v1::PATIENT_ACTION_DECLINE_OFFER) {
    DF_ASSIGN_OR_RETURN(record, deps_.appointments.GetAppointment(org, claims.subject_id));
    DF_RETURN_IF_ERROR(RefuseIfMoved(claims, record.appointment));
  }
  absl::StatusOr<v1::Appointment> changed;
  switch (action) {
    case v1::PATIENT_ACTION_CONFIRM:
      changed =
          AnswerConfirmation(deps_, call, claims.subject_id, v1::CONFIRMATION_STATE_CONFIRMED, via);
      break;
    case v1::PATIENT_ACTION_REQUEST_RESCHEDULE:
      changed = AnswerConfirmation(deps_, call, claims.subject_id,
                                   v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED, via);
      break;
    case v1::PATIENT_ACTION_CANCEL:
      changed = Cancel(claims, record.appointment, call, via);
      break;
    case v1::PATIENT_ACTION_ACCEPT_OFFER:
      changed = offers_.AcceptOffer(call, claims.subject_id);
      break;
    case v1::PATIENT_ACTION_DECLINE_OFFER: {
      DF_RETURN_IF_ERROR(offers_.DeclineOffer(call, claims.subject_id));
      DF_ASSIGN_OR_RETURN(const v1::WaitlistOffer offer,
                          waitlist_.GetOffer(org, claims.subject_id));
      return ViewOfOffer(org, offer);
    }
    default:
      return absl::UnimplementedError(
          absl::StrCat(v1::PatientAction_Name(action), " is not known to this version"));
  }
  if (!changed.ok()) return changed.status();
  return ViewOf(org, *changed);
}

absl::StatusOr<v1::Appointment> PatientActions::Cancel(const common::ActionClaims& claims,
                                                       const v1::Appointment& read,
                                                       const CallContext& call,
                                                       ConfirmationChannel via) {
  // Cancelling while a confirmation request is open answers it (DECLINED,
  // counted in the confirmation metrics); otherwise — confirmed already,
  // not asked yet, or a clinic without confirmations — it is a plain cancel.
  if (AwaitsAnAnswer(read.confirmation().state())) {
    return AnswerConfirmation(deps_, call, claims.subject_id, v1::CONFIRMATION_STATE_DECLINED, via);
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
