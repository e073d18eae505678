// Storage of the waitlist: entries, freed slots and their offers, behind an
// interface so the app layer never sees Redis. What must be atomic is done
// in one Lua step each (lua/waitlist_*.lua): holding a slot for a round of
// offers, releasing a hold that ran out, declining an offer. Accepting goes
// through AppointmentStore::Book with NewBooking::offer (the booking script).
//
//   DF_ASSIGN_OR_RETURN(bool recorded, store.RecordSlot(org, slot));
//   DF_ASSIGN_OR_RETURN(HoldOutcome held, store.Hold(org, round));
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/events/v1/events.pb.h"
#include "dermaflow/scheduling/v1/waitlist.pb.h"
#include "services/scheduling/domain/waitlist_matching.h"

namespace dermaflow::scheduling {

enum class SlotState { kReleased, kHeld, kFilled, kClosed };

// A freed slot as stored, with where its offers stand.
struct SlotRecord {
  FreedSlot slot;
  SlotState state = SlotState::kReleased;
  std::string round;  // opaque; what the next Hold/Release must expect
  absl::Time hold_until;
  std::string room_id;                 // held room (HELD)
  std::vector<std::string> offer_ids;  // offers of the current round
  std::vector<std::string> offered;    // entries offered it in any round
  absl::Time occupied_until;           // end of the hold in the calendars
};

// The hold's member id in the busy calendars (lua/calendar.lua).
std::string HoldIdFor(const std::string& slot_id);

// One round of offers to write (lua/waitlist_hold.lua).
struct HoldRound {
  std::string slot_id;
  std::string expected_round;
  absl::Time now;
  absl::Time hold_until;
  absl::Time start;
  absl::Time occupied_until;
  std::string practitioner_id;
  std::string clinic_id;    // with protocol_id: the entry index offered
  std::string protocol_id;  // entries leave while OFFERED
  std::vector<std::string> room_candidates;
  struct Offer {
    v1::WaitlistOffer offer;  // id, entry, patient, slot, times; no room
    events::v1::Event made;   // waitlist.offer_made
  };
  std::vector<Offer> offers;
};

struct HoldOutcome {
  enum Kind { kHeld, kStale, kBusy, kNone } kind = kStale;
  std::string room_id;
  std::vector<std::string> offer_ids;  // the offers made (entries still waiting)
};

class WaitlistStore {
 public:
  virtual ~WaitlistStore() = default;

  // Writes a new entry (state WAITING, etag set) and its listings, with the
  // request record when request_id is set. Returns the id a replay of the
  // request created first, nullopt when written; INVALID_ARGUMENT
  // request_id for a reused request_id.
  virtual absl::StatusOr<std::optional<std::string>> CreateEntry(
      const std::string& org, const v1::WaitlistEntry& entry, const std::string& request_id,
      const std::string& fingerprint) = 0;
  // NOT_FOUND when missing or deleted.
  virtual absl::StatusOr<v1::WaitlistEntry> GetEntry(const std::string& org,
                                                     const std::string& id) = 0;
  // The entries that exist, in the order of `ids` (missing ones left out).
  virtual absl::StatusOr<std::vector<v1::WaitlistEntry>> GetEntries(
      const std::string& org, const std::vector<std::string>& ids) = 0;
  // Entry ids earliest first from `offset`: the WAITING ones of one clinic
  // and protocol (what matching scans; OFFERED entries leave it until their
  // offer ends), or all the organization's when clinic_id is empty.
  virtual absl::StatusOr<std::vector<std::string>> ListEntryIds(const std::string& org,
                                                                const std::string& clinic_id,
                                                                const std::string& protocol_id,
                                                                int64_t offset, int64_t count) = 0;
  // Deletes the entry if `etag` is empty or current (ABORTED otherwise).
  virtual absl::Status DeleteEntry(const std::string& org, const v1::WaitlistEntry& entry,
                                   const std::string& etag) = 0;

  // Records a freed slot, RELEASED and due at `slot.freed_at`; false when it
  // was recorded before (a replayed event).
  virtual absl::StatusOr<bool> RecordSlot(const std::string& org, const FreedSlot& slot) = 0;
  // nullopt when unknown.
  virtual absl::StatusOr<std::optional<SlotRecord>> GetSlot(const std::string& org,
                                                            const std::string& slot_id) = 0;
  virtual absl::StatusOr<HoldOutcome> Hold(const std::string& org, const HoldRound& round) = 0;
  // Ends a HELD slot's round when due (or all offers answered): returns the
  // offers that expired, nullopt when not due or already done elsewhere.
  virtual absl::StatusOr<std::optional<std::vector<std::string>>> Release(const std::string& org,
                                                                          const SlotRecord& slot,
                                                                          absl::Time now) = 0;
  // Gives up on a RELEASED slot (no entry left, or its time has come).
  virtual absl::Status Close(const std::string& org, const std::string& slot_id) = 0;
  // Every organization with events (`df:orgs`): whose due sets to sweep.
  virtual absl::StatusOr<std::vector<std::string>> Organizations() = 0;
  // Slot ids due at `now`, soonest first, at most `limit`.
  virtual absl::StatusOr<std::vector<std::string>> DueSlots(const std::string& org, absl::Time now,
                                                            int64_t limit) = 0;

  // NOT_FOUND when missing. State and room as they are now.
  virtual absl::StatusOr<v1::WaitlistOffer> GetOffer(const std::string& org,
                                                     const std::string& id) = 0;
  // Offer ids newest first: of an entry, of a slot, or all (both empty).
  virtual absl::StatusOr<std::vector<std::string>> ListOfferIds(const std::string& org,
                                                                const std::string& entry_id,
                                                                const std::string& slot_id,
                                                                int64_t offset, int64_t count) = 0;
  // OPEN -> DECLINED (its entry waits again; the slot is due now when no
  // offer of it is open). A DECLINED offer: no change. FAILED_PRECONDITION
  // OFFER_<state> otherwise.
  virtual absl::Status Decline(const std::string& org, const v1::WaitlistOffer& offer,
                               const std::vector<std::string>& sibling_ids, absl::Time now) = 0;
};

}  // namespace dermaflow::scheduling
