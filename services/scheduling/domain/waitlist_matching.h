// The waitlist's matching rule, pure so it is tested without Redis or a
// clock: which waiting entries a freed slot fits, in which order they get
// offers, and the quiet hours in which a patient gets none.
//
// A slot fits an entry when clinic and protocol are the same, the entry's
// practitioner (if any) is the slot's, the entry has not expired, the slot's
// local day (clinic zone) is inside [earliest_date, latest_date] and the
// session [start, start + duration) lies inside one of the entry's time
// windows (any time when it has none). Order: earliest entry first (create
// time, then id), then fit: an entry naming the slot's practitioner before
// one taking "any".
//
//   std::vector<RankedEntry> ranked = RankEntries(entries, slot, tz, now);
//   if (InQuietHours(*window, now, patient_tz)) ...skip this entry for now
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/waitlist.pb.h"

namespace dermaflow::scheduling {

// A freed slot: the time a cancelled (or moved) appointment held.
struct FreedSlot {
  std::string slot_id;  // SlotIdFor(appointment, start)
  std::string clinic_id;
  std::string practitioner_id;
  std::string protocol_id;  // the freed appointment's protocol
  absl::Time start;
  absl::Time end;  // the freed session's end (without buffer)
  absl::Time freed_at;
};

// One freed slot per appointment and start time, so a replayed event names
// the slot recorded the first time.
std::string SlotIdFor(const std::string& appointment_id, absl::Time start);

enum class Fit { kNone, kAnyPractitioner, kExactPractitioner };

// How `entry` fits a session of `slot`'s practitioner at [slot.start,
// slot.start + duration) in clinic zone `tz` at `now`. Ignores the entry's
// state (the caller picks WAITING entries).
Fit FitOf(const v1::WaitlistEntry& entry, const FreedSlot& slot, absl::Duration duration,
          absl::TimeZone tz, absl::Time now);

struct RankedEntry {
  const v1::WaitlistEntry* entry;
  Fit fit;
};

// The WAITING entries `slot` fits, in offer order.
std::vector<RankedEntry> RankEntries(const std::vector<v1::WaitlistEntry>& entries,
                                     const FreedSlot& slot, absl::Duration duration,
                                     absl::TimeZone tz, absl::Time now);

// The entry's state as the API shows it: WAITING or OFFERED after
// expire_time reads EXPIRED.
v1::WaitlistEntryState EffectiveState(const v1::WaitlistEntry& entry, absl::Time now);

// When the entry stops getting offers: expire_time, or the end of
// latest_date in `tz` when unset.
absl::Time ExpiryOf(const v1::WaitlistEntry& entry, absl::TimeZone tz);

// Quiet hours as minutes of the local day: [start, end), spanning midnight
// when end < start; start == end means none.
struct QuietWindow {
  int start_minute = 0;
  int end_minute = 0;
};

// "21:00-08:00" -> {1260, 480}; INVALID_ARGUMENT otherwise.
absl::StatusOr<QuietWindow> ParseQuietWindow(absl::string_view text);

bool InQuietHours(const QuietWindow& window, absl::Time now, absl::TimeZone tz);

// Checks a new entry (as CreateWaitlistEntry gets it): INVALID_ARGUMENT
// naming the first bad field ("entry.latest_date", "entry.time_windows[1].end").
absl::Status ValidateNewEntry(const v1::WaitlistEntry& entry, absl::TimeZone tz, absl::Time now);

}  // namespace dermaflow::scheduling
