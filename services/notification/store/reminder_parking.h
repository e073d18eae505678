// Parked reminders (domain/parking.h): what the promoter (delivery/
// park_promoter.h) asks of the store. Writers park through the queue's
// Write; only promotion is its own job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"

namespace dermaflow::notification {

// Where a pass that ran out of budget stopped: a day and the bucket bytes
// handled. Kept in memory only; a new process starts each day from 0,
// which repeats work but loses nothing.
struct ParkCursor {
  int64_t day = 0;
  int64_t offset = 0;
};

struct PromotionResult {
  int64_t promoted = 0;  // reminders newly queued
  // Bucket entries whose reminder moved on: cancelled, deleted, erased,
  // rescheduled (its new place holds it), in flight, already queued, or a
  // repeat of an entry (a replayed write).
  int64_t skipped_stale = 0;
  // Set when the pass stopped at its budget: call again from here.
  std::optional<ParkCursor> resume;
};

class ReminderParking {
 public:
  virtual ~ReminderParking() = default;

  // Queues the reminders parked for every day up to `last_day` (ParkDay
  // numbers) and drops those days' buckets, handling at most `max_entries`
  // bucket entries (then `resume` is set). Safe against concurrent writers
  // and other promoters, and after a crash at any point: a bucket goes only
  // once every id in it is queued or was stale.
  virtual absl::StatusOr<PromotionResult> PromoteDays(const std::string& org, int64_t last_day,
                                                      int max_entries,
                                                      const std::optional<ParkCursor>& resume) = 0;
};

}  // namespace dermaflow::notification
