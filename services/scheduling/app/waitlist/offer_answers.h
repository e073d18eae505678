// A patient's answer to a waitlist offer: accept books the held slot
// through the booking script (lua/book_appointment.lua with the offer's
// hold: checked, booked through and released in one step, so of two racing
// acceptances exactly one books and the other gets OFFER_TAKEN), decline
// lets the slot move on. Called by reception (AcceptWaitlistOffer,
// DeclineWaitlistOffer) and by the patient-facing action service.
//
//   OfferAnswers answers(waitlist_deps);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, answers.AcceptOffer(call, offer_id));
//   DF_RETURN_IF_ERROR(answers.DeclineOffer(call, offer_id));
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/waitlist/waitlist_deps.h"

namespace dermaflow::scheduling {

class OfferAnswers {
 public:
  explicit OfferAnswers(WaitlistDeps deps) : deps_(deps) {}

  // Books the offer's slot for its patient (created_by: the caller's
  // subject). An ACCEPTED offer returns its appointment again. NOT_FOUND
  // for an unknown offer; FAILED_PRECONDITION OFFER_TAKEN, OFFER_EXPIRED,
  // OFFER_DECLINED; ALREADY_EXISTS SLOT_CONFLICT when the patient got
  // another appointment at that time meanwhile. No role check: the caller
  // (an RPC of its own) decides who may answer. The protocol is read with
  // call.origin(): a caller with no token to forward (the patient-facing
  // action service) passes CallContext{caller, ctx, /*as_service=*/true}.
  absl::StatusOr<v1::Appointment> AcceptOffer(const CallContext& call, std::string_view offer_id);

  // OPEN -> DECLINED; DECLINED again is OK. NOT_FOUND, FAILED_PRECONDITION
  // OFFER_TAKEN / OFFER_EXPIRED / OFFER_ACCEPTED.
  absl::Status DeclineOffer(const CallContext& call, std::string_view offer_id);

  // The staff RPCs: role check, then the above.
  absl::StatusOr<v1::Appointment> Accept(const CallContext& call,
                                         const v1::AcceptWaitlistOfferRequest& request);
  absl::StatusOr<v1::WaitlistOffer> Decline(const CallContext& call,
                                            const v1::DeclineWaitlistOfferRequest& request);

 private:
  WaitlistDeps deps_;
};

}  // namespace dermaflow::scheduling
