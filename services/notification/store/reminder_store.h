// Where reminders, their queue and the delivered messages live: the interface
// the intake, the dispatcher and the handlers use (redis_reminder_store.h is
// the implementation). Every change is a compare-and-set on the record bytes
// last read (ReminderWrite), so planning, dispatch and operators never
// overwrite each other's changes unseen.
//
//   DF_ASSIGN_OR_RETURN(auto claimed, store.ClaimDue(org, now, absl::Seconds(30), 200));
//   ... deliver ...
//   DF_ASSIGN_OR_RETURN(auto results, store.Write(org, {outcomes}));
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

// One conditional change of one reminder.
struct ReminderWrite {
  enum class Op {
    kCreate,  // unless the id exists (then skipped: replays are harmless)
    kUpdate,  // iff the record still equals `expected`
    kDelete,  // iff the record still equals `expected`
  };
  Op op = Op::kCreate;
  std::string id;
  std::string expected;
  std::string value;
  // Position in the new state's set (SortScore).
  int64_t score = 0;
  // kCreate/kDelete: the patient whose index lists the reminder.
  std::string patient_id;
  // kUpdate to DELIVERED: the Delivery kept with it (same script, so a
  // delivery exists iff its reminder is DELIVERED).
  std::string delivery;
  int64_t delivered_ms = 0;
};

// Writes applied together. Atomic groups apply all or nothing (conflict when
// any expected record changed); other groups apply write by write.
struct WriteGroup {
  bool atomic = true;
  // Skip the group when a newer snapshot of this appointment was applied;
  // otherwise remember this one.
  std::string appointment_id;
  int64_t appointment_update_ms = 0;
  // Skip the group when this patient was erased.
  std::string unless_erased_patient;
  std::vector<ReminderWrite> writes;
};

struct WriteResult {
  enum class Group { kApplied, kStale, kErased, kConflict };
  Group group = Group::kApplied;
  // Per write: 1 applied, 0 skipped (create of an existing id, or the group
  // was not applied), -1 conflict.
  std::vector<int> writes;
};

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
};

struct ReminderFilter {
  std::string patient_id;
  std::string appointment_id;
  std::string course_id;
  std::vector<ReminderKind> kinds;
  std::vector<ReminderState> states;
  std::optional<absl::Time> due_from;  // inclusive
  std::optional<absl::Time> due_to;    // exclusive

  bool Matches(const ReminderRecord& record) const;
};

// Lists resume strictly after a cursor.
struct ListCursor {
  int64_t time_ms = 0;
  std::string id;
};

struct ReminderPage {
  std::vector<ReminderRecord> reminders;
  std::optional<ListCursor> next;
};

struct DeliveryFilter {
  std::string patient_id;
  std::vector<dermaflow::patient::v1::Channel> channels;
  std::optional<absl::Time> from;  // inclusive
  std::optional<absl::Time> to;    // exclusive
};

struct DeliveryPage {
  std::vector<v1::Delivery> deliveries;
  std::optional<ListCursor> next;
};

struct QueueCounts {
  int64_t scheduled = 0;
  int64_t due = 0;
  int64_t in_flight = 0;
  int64_t retrying = 0;
  int64_t dead_letter = 0;
  std::optional<absl::Time> oldest_due = {};
};

struct StreamedDelivery {
  std::string organization;
  v1::Delivery delivery;
};

class ReminderStore {
 public:
  virtual ~ReminderStore() = default;

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
  virtual absl::Status PutClinics(const std::string& org,
                                  const std::vector<ClinicInfo>& clinics) = 0;
  // Unknown clinics are left out.
  virtual absl::StatusOr<std::map<std::string, ClinicInfo>> GetClinics(
      const std::string& org, const std::vector<std::string>& clinic_ids) = 0;

  // --- dispatch ---
  // Atomically moves up to `max` due reminders (and reminders whose lease ran
  // out) to IN_FLIGHT with a lease until now + lease.
  virtual absl::StatusOr<std::vector<ClaimedReminder>> ClaimDue(const std::string& org,
                                                                absl::Time now,
                                                                absl::Duration lease, int max) = 0;
  // Every organization that ever published an event (`df:orgs`).
  virtual absl::StatusOr<std::vector<std::string>> Organizations() = 0;

  // --- reads for the API ---
  // The secret the API's page tokens are sealed under (common/api/page_token.h).
  virtual absl::StatusOr<std::string> PageTokenSecret() = 0;
  virtual absl::StatusOr<VersionedRecord> Get(const std::string& org, const std::string& id) = 0;
  virtual absl::StatusOr<ReminderPage> ListReminders(const std::string& org,
                                                     const ReminderFilter& filter, int page_size,
                                                     const std::optional<ListCursor>& after) = 0;
  // Newest failure first.
  virtual absl::StatusOr<ReminderPage> ListDeadLetters(const std::string& org, int page_size,
                                                       const std::optional<ListCursor>& after) = 0;
  virtual absl::StatusOr<QueueCounts> CountQueue(const std::string& org, absl::Time now) = 0;
  // Newest first.
  virtual absl::StatusOr<DeliveryPage> ListDeliveries(const std::string& org,
                                                      const DeliveryFilter& filter, int page_size,
                                                      const std::optional<ListCursor>& after) = 0;

  // --- live deliveries (WatchNotifications) ---
  // Deliveries are appended to the organization's delivery stream only while
  // some replica has watchers: each keeps this mark alive (ttl) for its
  // organizations.
  virtual absl::Status MarkWatched(const std::string& org, absl::Duration ttl) = 0;
  // The delivery stream's current end, to read from.
  virtual absl::StatusOr<std::string> DeliveryStreamEnd(const std::string& org) = 0;
  // Deliveries after `positions` (org -> stream id, advanced in place),
  // waiting up to `block` when there are none.
  virtual absl::StatusOr<std::vector<StreamedDelivery>> ReadDeliveryStreams(
      std::map<std::string, std::string>& positions, absl::Duration block) = 0;

  // Events of `group` read but not yet acknowledged, over all organizations
  // (the consumer backlog gauge).
  virtual absl::StatusOr<int64_t> PendingEvents(const std::string& group) = 0;
  // Acknowledges many entries of one event stream in one XACK (the
  // consumer's Ack takes one per round trip, which would cap the intake at
  // one round trip per event). Call only once their effects are stored.
  virtual absl::Status AckEvents(const std::string& stream, const std::string& group,
                                 const std::vector<std::string>& entry_ids) = 0;
};

}  // namespace dermaflow::notification
