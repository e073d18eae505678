// The durable delayed queue of reminders: their records and the state sets
// they wait in. Planning reads and writes it, dispatch claims from it, the
// API and operators read and correct it (redis_reminder_queue.h is the
// implementation). Every change is a compare-and-set (domain/reminder_writes.h).
//
//   DF_ASSIGN_OR_RETURN(auto claimed, queue.ClaimDue(org, now, absl::Seconds(30), 200));
//   ... deliver ...
//   DF_ASSIGN_OR_RETURN(auto results, queue.Write(org, {outcomes}));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/domain/reminder_record.h"
#include "services/notification/domain/reminder_writes.h"
#include "services/notification/store/list_cursor.h"
#include "services/notification/store/reminder_filter.h"

namespace dermaflow::notification {

// What planning needs to read before resolving a batch of plans.
struct PlanningSnapshot {
  // patient id -> (reminder id -> record bytes).
  std::map<std::string, std::map<std::string, std::string>> records;
  std::map<std::string, bool> erased;
  // appointment id -> update ms of the newest snapshot applied.
  std::map<std::string, int64_t> appointment_versions;
};

// A record with the exact bytes it was read as (the `expected` of a write).
struct VersionedRecord {
  ReminderRecord record;
  std::string bytes;
};

struct ClaimedReminder : VersionedRecord {
  // Taken over from a worker whose lease ran out (a crash): it may have been
  // sent already, so this is a possible duplicate.
  bool reclaimed = false;
  // Unique among all claims of the organization (a Redis counter, so no
  // replica's clock has a say): tells this claim from any later one of the
  // same reminder.
  int64_t claim_token = 0;
};

// A claim a worker holds, for renewing its lease.
struct HeldClaim {
  std::string id;
  int64_t claim_token = 0;
};

struct ReminderPage {
  std::vector<ReminderRecord> reminders;
  std::optional<ListCursor> next;
};

struct QueueCounts {
  // SCHEDULED and due later: queued, or parked (domain/parking.h) -- the
  // exact count of parked SCHEDULED records the scripts keep in `rem:parked`.
  int64_t scheduled = 0;
  int64_t due = 0;  // queued and due by `now` (parked ones are queued a day before)
  int64_t in_flight = 0;
  int64_t retrying = 0;
  int64_t dead_letter = 0;
  std::optional<absl::Time> oldest_due = {};
};

// What a dispatcher needs to know of an organization before claiming from
// it (ReminderQueue::ProbeDue).
struct DueProbe {
  // False when the organization could not be probed (an error reply, its
  // node down): the dispatcher then claims as if work were due.
  bool known = false;
  int64_t due = 0;                         // queued or retrying, and due by `now`
  std::optional<absl::Time> oldest_due;    // the earliest of those (the engine's clock)
  std::optional<absl::Time> oldest_lease;  // the earliest lease in flight (Redis's clock)
};

class ReminderQueue {
 public:
  virtual ~ReminderQueue() = default;

  // --- planning (event intake) ---
  virtual absl::StatusOr<PlanningSnapshot> ReadForPlanning(
      const std::string& org, const std::vector<std::string>& patient_ids,
      const std::vector<std::string>& appointment_ids) = 0;
  // One result per group, in order.
  virtual absl::StatusOr<std::vector<WriteResult>> Write(const std::string& org,
                                                         const std::vector<WriteGroup>& groups) = 0;
  // Deletes every reminder and delivery of the patient and remembers the
  // erasure, so replayed events plan nothing for them.
  virtual absl::Status ErasePatient(const std::string& org, const std::string& patient_id) = 0;

  // --- dispatch ---
  // Atomically moves up to `max` reminders due by `now` (the engine's clock),
  // and reminders whose lease ran out, to IN_FLIGHT with a lease of `lease`
  // on Redis's clock (so replicas whose clocks disagree still agree on it).
  virtual absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string& org,
                                                                absl::Time now,
                                                                absl::Duration lease, int max) = 0;
  // For each organization, in order: what ClaimDue would find, without
  // claiming (cheap reads, one round trip per Redis node), so a dispatcher
  // calls the claim script only where there is work. An organization whose
  // reads failed comes back !known; an error for the whole round trip is
  // returned.
  virtual absl::StatusOr<std::vector<DueProbe>> ProbeDue(const std::vector<std::string>& orgs,
                                                         absl::Time now) = 0;
  // The heartbeat of a live worker: gives the claims it still holds a fresh
  // `lease`, and returns the ids of those that are no longer its own (taken
  // over after their lease ran out, or erased), which it must not send.
  virtual absl::StatusOr<std::vector<std::string>> RenewClaims(const std::string& org,
                                                               const std::vector<HeldClaim>& claims,
                                                               absl::Duration lease) = 0;

  // --- reads for the API and the gauges ---
  virtual absl::StatusOr<VersionedRecord> Get(const std::string& org, const std::string& id) = 0;
  virtual absl::StatusOr<ReminderPage> ListReminders(const std::string& org,
                                                     const ReminderFilter& filter, int page_size,
                                                     const std::optional<ListCursor>& after) = 0;
  // Newest failure first.
  virtual absl::StatusOr<ReminderPage> ListDeadLetters(const std::string& org, int page_size,
                                                       const std::optional<ListCursor>& after) = 0;
  virtual absl::StatusOr<QueueCounts> CountQueue(const std::string& org, absl::Time now) = 0;
};

}  // namespace dermaflow::notification
