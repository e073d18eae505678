// ReminderQueue on Redis: one hash of compact records per organization plus
// one sorted set per queue state, changed only through lua/*.lua so records
// and sets never disagree. Layout and guarantees: docs/notification.md.
//
//   RedisReminderQueue queue(runtime->redis());
//   DF_ASSIGN_OR_RETURN(auto claimed, queue.ClaimDue(org, now, lease, 200));
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/clock/clock.h"
#include "common/redis/redis_client.h"
#include "services/notification/store/notification_keys.h"
#include "services/notification/store/record_storage.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

struct RedisReminderQueueOptions {
  // The delivery stream behind WatchNotifications keeps about this many ids.
  int64_t delivery_stream_max_len = 10'000;
  // ... and only entries younger than this: the stream feeds live watchers;
  // a watcher back after longer re-reads ListDeliveries. Zero: no age limit.
  absl::Duration delivery_stream_retention = absl::Hours(1);
  // Most entries per put_reminders call (groups are never split).
  int max_entries_per_call = 2'000;
  // SCHEDULED reminders due at least this far ahead are parked in per-day
  // buckets instead of the queue (domain/parking.h; --reminder_park_after).
  // Zero: never. Whoever turns it on must run a ParkPromoter, which moves
  // them into the queue before they are due.
  absl::Duration park_after = absl::ZeroDuration();
  // The engine's clock, for park_after (due times are on it).
  const common::Clock* clock = &common::SystemClock();
};

class RedisReminderQueue : public ReminderQueue {
 public:
  explicit RedisReminderQueue(common::RedisClient& redis, RedisReminderQueueOptions options = {});

  absl::StatusOr<PlanningSnapshot> ReadForPlanning(
      const std::string& org, const std::vector<std::string>& patient_ids,
      const std::vector<std::string>& appointment_ids) override;
  absl::StatusOr<std::vector<WriteResult>> Write(const std::string& org,
                                                 const std::vector<WriteGroup>& groups) override;
  absl::Status ErasePatient(const std::string& org, const std::string& patient_id) override;
  absl::StatusOr<std::vector<DueProbe>> ProbeDue(const std::vector<std::string>& orgs,
                                                 absl::Time now) override;
  absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string& org, absl::Time now,
                                                        absl::Duration lease, int max) override;
  absl::StatusOr<std::vector<std::string>> RenewClaims(const std::string& org,
                                                       const std::vector<HeldClaim>& claims,
                                                       absl::Duration lease) override;
  absl::StatusOr<VersionedRecord> Get(const std::string& org, const std::string& id) override;
  absl::StatusOr<ReminderPage> ListReminders(const std::string& org, const ReminderFilter& filter,
                                             int page_size,
                                             const std::optional<ListCursor>& after) override;
  absl::StatusOr<ReminderPage> ListDeadLetters(const std::string& org, int page_size,
                                               const std::optional<ListCursor>& after) override;
  absl::StatusOr<QueueCounts> CountQueue(const std::string& org, absl::Time now) override;

 private:
  // Moves ids of reminders that ended from their patients' open indexes to
  // the final ones (settle_patient_index.lua): planning does it as it finds
  // them, so the dispatcher's outcome writes need not.
  absl::Status SettlePatientIndexes(const NotificationKeys& keys,
                                    const std::map<std::string, std::vector<std::string>>& ended);
  // One put_reminders call; Write splits the groups so no call is too big.
  absl::StatusOr<std::vector<WriteResult>> WriteChunk(const std::string& org,
                                                      const std::vector<const WriteGroup*>& groups);

  common::RedisClient& redis_;
  const RedisReminderQueueOptions options_;
  RecordStorage storage_;
};

}  // namespace dermaflow::notification
