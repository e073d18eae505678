// What a patient does from a message (patient_action_service.proto): the
// action token's claims, opened by the edge, become exactly one change of
// exactly the appointment or offer they name, in the organization they
// name. The token is claimed in the replay ledger first, so a second use
// changes nothing; a failed action gives the claim back for a retry.
//
//   PatientActions actions(waitlist_deps, ledger);
//   DF_ASSIGN_OR_RETURN(v1::ActionResult r, actions.Perform(claims, ConfirmationChannel::kLink));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/action_token.h"
#include "dermaflow/scheduling/v1/patient_action_service.pb.h"
#include "services/scheduling/app/confirmations/confirmation_answers.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/app/waitlist/offer_answers.h"
#include "services/scheduling/app/waitlist/waitlist_deps.h"
#include "services/scheduling/store/action_ledger.h"

namespace dermaflow::scheduling {

class PatientActions {
 public:
  // `ledger` and what `waitlist` refers to must outlive this.
  PatientActions(const WaitlistDeps& waitlist, ActionLedger& ledger)
      : deps_(waitlist.scheduling), waitlist_(waitlist.store), offers_(waitlist), ledger_(ledger) {}

  absl::StatusOr<v1::ActionDescription> Describe(const common::ActionClaims& claims);
  // `via`: kLink, or kSms for a reply notification passed on; recorded
  // with the change, never decided on.
  absl::StatusOr<v1::ActionResult> Perform(const common::ActionClaims& claims,
                                           ConfirmationChannel via);

 private:
  absl::StatusOr<v1::PatientAppointmentView> Act(v1::PatientAction action,
                                                 const common::ActionClaims& claims,
                                                 const CallContext& call, ConfirmationChannel via);
  // `read`: the appointment as Act read it (which way to cancel; the
  // change itself re-reads and compares).
  absl::StatusOr<v1::Appointment> Cancel(const common::ActionClaims& claims,
                                         const v1::Appointment& read, const CallContext& call,
                                         ConfirmationChannel via);
  absl::StatusOr<v1::PatientAppointmentView> ViewOf(const std::string& org,
                                                    const v1::Appointment& a);
  absl::StatusOr<v1::PatientAppointmentView> ViewOfOffer(const std::string& org,
                                                         const v1::WaitlistOffer& offer);
  // Clinic and practitioner names and the clinic's zone, for display.
  void AddNames(const std::string& org, const std::string& clinic_id,
                const std::string& practitioner_id, v1::PatientAppointmentView& view);

  SchedulingDeps deps_;
  WaitlistStore& waitlist_;
  OfferAnswers offers_;
  ActionLedger& ledger_;
};

// The PatientAction a token's claims name; INVALID (UNAUTHENTICATED) for a
// name this version does not know.
absl::StatusOr<v1::PatientAction> ActionOf(const common::ActionClaims& claims);

}  // namespace dermaflow::scheduling
