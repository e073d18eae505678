// Freed slots go to the waitlist: a cancelled appointment's time (or a
// rescheduled one's old time) is recorded once per slot (SlotIdFor, so a
// replayed event changes nothing), then offered in rounds. A round takes
// the best-matching WAITING entries (domain/waitlist_matching.h) that have
// not been offered this slot before, are free then, pass screening against
// the protocol's current version and are not inside their quiet hours now,
// up to the clinic's offers_per_slot, and holds the slot for them
// atomically (WaitlistStore::Hold). When the hold runs out (or every offer
// was declined) Advance releases it and runs the next round; a slot that
// nobody takes, that was booked normally meanwhile, or whose time has come
// is closed.
//
// Each step is idempotent and driven by the store's due set, so the event
// intake (OnSlotFreed) and the sweeper (Advance) may both run it, on any
// replica, any number of times.
//
//   SlotOffers offers(deps);
//   DF_RETURN_IF_ERROR(offers.OnSlotFreed(org, cancelled.appointment(), start));
//   DF_RETURN_IF_ERROR(offers.Advance(org, slot_id));  // the sweeper
#pragma once

#include <string>

#include "absl/status/status.h"
#include "dermaflow/events/v1/events.pb.h"
#include "services/scheduling/app/waitlist/waitlist_deps.h"

namespace dermaflow::scheduling {

class SlotOffers {
 public:
  explicit SlotOffers(WaitlistDeps deps) : deps_(deps) {}

  // `freed` held [start, start + its duration) until it was cancelled or moved.
  absl::Status OnSlotFreed(const std::string& org, const events::v1::AppointmentInfo& freed,
                           absl::Time start);

  // Whatever a due slot needs now: release an ended hold, offer the next
  // round, or close it.
  absl::Status Advance(const std::string& org, const std::string& slot_id);

 private:
  absl::Status OfferRound(const std::string& org, const SlotRecord& slot);

  WaitlistDeps deps_;
};

}  // namespace dermaflow::scheduling
