// The notification service's Redis keys for one organization, all under its
// hash tag (common/redis/keys.h) so every script touches one slot. The layout
// is described in docs/notification.md.
//
//   DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
//   redis.Eval(ClaimDueScript(), {keys.records, keys.queue, ...}, ...);
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace dermaflow::notification {

struct NotificationKeys {
  // INVALID_ARGUMENT for a malformed organization id.
  static absl::StatusOr<NotificationKeys> For(const std::string& org);

  std::string org;
  std::string records;    // HASH id -> state tag + StoredReminder
  std::string queue;      // ZSET SCHEDULED ids by due ms
  std::string retry;      // ZSET RETRYING ids by next attempt ms
  std::string inflight;   // ZSET IN_FLIGHT ids by lease expiry ms (Redis's clock)
  std::string claims;     // HASH in-flight id -> claim token (claim_due.lua)
  std::string claim_seq;  // STRING the last claim token handed out (INCRBY)
  std::string dead;       // ZSET DEAD_LETTER ids by failure ms
  std::string done;       // ZSET DELIVERED/SUPPRESSED/CANCELLED ids by due ms
  std::string erased;     // SET erased patient ids (replays plan nothing for them)
  // ZSET appointment id by the update ms (engine clock) of its newest snapshot
  // applied: older replays are stale. Swept by retention on the engine clock.
  std::string appointment_guards;
  std::string contexts;          // HASH context key -> interned protocol/clinic (compact_record.h)
  std::string deliveries;        // HASH reminder id -> Delivery
  std::string delivery_time;     // ZSET reminder ids by delivered ms
  std::string delivery_stream;   // STREAM of delivered reminder ids (WatchNotifications)
  std::string delivery_watched;  // STRING with a TTL while some replica has watchers
  std::string settings;          // HASH {v: NotificationSettings, etag}
  // Parking (domain/parking.h): ZSET of the days (score = member = days
  // since the epoch) that have a bucket, and STRING the number of SCHEDULED
  // reminders parked (in a bucket, neither queued nor in flight).
  std::string park_days;
  std::string parked;

  // STRING of concatenated 16-char ids of reminders parked for one UTC day
  // (`df:{org}:rem:park:<day>`); entries whose reminder moved on are stale
  // and skipped when the day is promoted.
  absl::StatusOr<std::string> ParkBucket(int64_t day) const;

  // HASH reminder id -> "" of one patient's OPEN reminders (SCHEDULED,
  // RETRYING, IN_FLIGHT, DEAD_LETTER; `df:{org}:rem:p:<patient>`): what
  // planning reads, so its cost does not grow with the patient's history.
  absl::StatusOr<std::string> PatientIndex(const std::string& patient_id) const;
  // HASH reminder id -> "" of one patient's final reminders (DELIVERED,
  // SUPPRESSED, CANCELLED; `df:{org}:rem:pf:<patient>`), until retention.
  absl::StatusOr<std::string> PatientFinalIndex(const std::string& patient_id) const;
  // ZSET delivered reminder ids of one patient by delivered ms.
  absl::StatusOr<std::string> PatientDeliveries(const std::string& patient_id) const;
  // HASH {name, tz, phone} of a clinic, as its latest event said.
  absl::StatusOr<std::string> Clinic(const std::string& clinic_id) const;
};

}  // namespace dermaflow::notification
