#include "services/scheduling/app/waitlist/offer_answers.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/status/macros.h"
#include "services/scheduling/app/booking/booking_plan.h"
#include "services/scheduling/app/booking/booking_subject.h"
#include "services/scheduling/app/scheduling_roles.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/local_time.h"
#include "services/scheduling/domain/scheduling_errors.h"

namespace dermaflow::scheduling {
namespace {

// waitlist.offer_taken for `sibling`, the slot as `slot_info` shows it.
events::v1::Event TakenEvent(const EventEnvelope& envelope, const v1::WaitlistOffer& sibling,
                             events::v1::AppointmentInfo slot_info) {
  events::v1::Event e = envelope.New();
  events::v1::WaitlistOfferTaken* taken = e.mutable_waitlist_offer_taken();
  taken->set_offer_id(sibling.id());
  taken->set_entry_id(sibling.entry_id());
  slot_info.set_patient_id(sibling.patient_id());
  *taken->mutable_slot() = std::move(slot_info);
  return e;
}

}  // namespace

absl::StatusOr<v1::Appointment> OfferAnswers::AcceptOffer(const CallContext& call,
                                                          std::string_view offer_id) {
  const std::string& org = call.caller.organization;
  const std::string id(offer_id);
  if (id.empty()) return common::InvalidArgumentError("offer_id", "required");
  DF_ASSIGN_OR_RETURN(v1::WaitlistOffer offer, deps_.store.GetOffer(org, id));
  SchedulingDeps& deps = deps_.scheduling;
  if (offer.state() == v1::WAITLIST_OFFER_STATE_ACCEPTED && !offer.appointment_id().empty()) {
    DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                        deps.appointments.GetAppointment(org, offer.appointment_id()));
    return r.appointment;  // answered twice: the same booking
  }
  // Answered without loading anything when it is plainly closed; the
  // booking script checks all of it again, atomically.
  switch (offer.state()) {
    case v1::WAITLIST_OFFER_STATE_TAKEN:
      return OfferClosedError("OFFER_TAKEN", id);
    case v1::WAITLIST_OFFER_STATE_DECLINED:
      return OfferClosedError("OFFER_DECLINED", id);
    case v1::WAITLIST_OFFER_STATE_OPEN:
      break;
    default:
      return OfferClosedError("OFFER_EXPIRED", id);
  }
  const absl::Time now = deps.clock.Now();
  if (ToTime(offer.hold_until()) <= now) return OfferClosedError("OFFER_EXPIRED", id);
  DF_ASSIGN_OR_RETURN(std::optional<SlotRecord> slot, deps_.store.GetSlot(org, offer.slot_id()));
  if (!slot) return OfferClosedError("OFFER_EXPIRED", id);
  // The slot's practitioner, the held room, the protocol's current version.
  const google::protobuf::RepeatedField<int> no_areas;
  DF_ASSIGN_OR_RETURN(BookingSubject s,
                      LoadBookingSubject(deps, call,
                                         {offer.clinic_id(), offer.practitioner_id(),
                                          offer.room_id(), offer.protocol_id(), 0, &no_areas}));
  const absl::Time start = ToTime(offer.start_time());
  const Interval occupied = s.Occupied(start);
  v1::Appointment a = NewAppointment(call, s, offer.patient_id(), start, "", std::nullopt, now);
  NewBooking booking = AppointmentBooking(call, absl::StrCat("offer-", id), "offer", a, s,
                                          occupied.end, nullptr, now);
  OfferAcceptance acceptance{slot->slot.slot_id,
                             id,
                             offer.entry_id(),
                             offer.clinic_id(),
                             offer.protocol_id(),
                             HoldIdFor(slot->slot.slot_id),
                             slot->occupied_until,
                             now,
                             {}};
  const EventEnvelope envelope{org, call.caller.subject, now};
  events::v1::AppointmentInfo slot_info = MakeAppointmentInfo(a, s.clinic, s.practitioner, nullptr);
  slot_info.clear_appointment_id();
  slot_info.clear_state();
  int open_siblings = 0;
  for (const std::string& sibling_id : slot->offer_ids) {
    if (sibling_id == id) continue;
    absl::StatusOr<v1::WaitlistOffer> sibling = deps_.store.GetOffer(org, sibling_id);
    if (absl::IsNotFound(sibling.status())) continue;
    DF_RETURN_IF_ERROR(sibling.status());
    if (sibling->state() == v1::WAITLIST_OFFER_STATE_OPEN) ++open_siblings;
    acceptance.siblings.push_back(
        {sibling_id, sibling->entry_id(), TakenEvent(envelope, *sibling, slot_info)});
  }
  booking.offer = std::move(acceptance);
  DF_ASSIGN_OR_RETURN(BookingResult result, deps.appointments.Book(org, booking));
  if (result.replayed_id) {
    DF_ASSIGN_OR_RETURN(AppointmentRecord r,
                        deps.appointments.GetAppointment(org, *result.replayed_id));
    return r.appointment;
  }
  a.set_room_id(result.rooms.at(0));
  deps_.metrics.accepted.Increment();
  // Siblings open when read became TAKEN (one declined in between would be
  // counted as taken: rare, and not worth a read inside the script).
  deps_.metrics.taken.Increment(open_siblings);
  deps_.metrics.Filled(now - slot->slot.freed_at);
  return a;
}

absl::Status OfferAnswers::DeclineOffer(const CallContext& call, std::string_view offer_id) {
  const std::string& org = call.caller.organization;
  const std::string id(offer_id);
  if (id.empty()) return common::InvalidArgumentError("offer_id", "required");
  DF_ASSIGN_OR_RETURN(v1::WaitlistOffer offer, deps_.store.GetOffer(org, id));
  if (offer.state() == v1::WAITLIST_OFFER_STATE_DECLINED) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(std::optional<SlotRecord> slot, deps_.store.GetSlot(org, offer.slot_id()));
  std::vector<std::string> siblings;
  if (slot) {
    for (const std::string& other : slot->offer_ids) {
      if (other != id) siblings.push_back(other);
    }
  }
  DF_RETURN_IF_ERROR(deps_.store.Decline(org, offer, siblings, deps_.scheduling.clock.Now()));
  deps_.metrics.declined.Increment();
  return absl::OkStatus();
}

absl::StatusOr<v1::Appointment> OfferAnswers::Accept(
    const CallContext& call, const v1::AcceptWaitlistOfferRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("AcceptWaitlistOffer")));
  return AcceptOffer(call, request.offer_id());
}

absl::StatusOr<v1::WaitlistOffer> OfferAnswers::Decline(
    const CallContext& call, const v1::DeclineWaitlistOfferRequest& request) {
  DF_RETURN_IF_ERROR(RequireRole(call.caller, RolesOf("DeclineWaitlistOffer")));
  DF_RETURN_IF_ERROR(DeclineOffer(call, request.offer_id()));
  return deps_.store.GetOffer(call.caller.organization, request.offer_id());
}

}  // namespace dermaflow::scheduling
