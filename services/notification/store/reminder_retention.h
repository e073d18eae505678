// Retention of finished reminders: what the sweeper (delivery/
// retention_sweeper.h) asks of the store.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::notification {

class ReminderRetention {
 public:
  virtual ~ReminderRetention() = default;

  // Deletes up to `max` reminders that ended before `cutoff` — DELIVERED,
  // SUPPRESSED and CANCELLED ones by due time, DEAD_LETTER ones by the time
  // they failed — with their delivered message and index entries (not their
  // appointment's snapshot guard, which expires by itself). Returns how many
  // it deleted (`max`: call again, there may be more).
  virtual absl::StatusOr<int> ExpireBefore(const std::string& org, absl::Time cutoff, int max) = 0;

  // Forgets the snapshot guards of appointments whose newest snapshot is
  // older than `cutoff`: a replayed event older than that is no longer
  // recognized as stale (the event streams are trimmed long before).
  virtual absl::Status ForgetAppointmentsBefore(const std::string& org, absl::Time cutoff) = 0;
};

}  // namespace dermaflow::notification
