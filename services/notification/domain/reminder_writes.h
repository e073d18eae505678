// The compare-and-set vocabulary between planning, dispatch, operators and
// the reminder queue: a write changes one reminder iff its record still
// equals the bytes last read, so nobody overwrites another's change unseen.
// Pure data, so plan_changes.h builds writes without knowing the store.
//
//   WriteGroup group{.appointment_id = id, .appointment_update_ms = ms};
//   group.writes.push_back({.op = ReminderWrite::Op::kCreate, .id = rid, .value = bytes});
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  // The patient whose indexes list the reminder (open or final by state);
  // empty: the indexes are left as they are.
  std::string patient_id;
  // kUpdate to DELIVERED: the Delivery kept with it (same script, so a
  // delivery exists iff its reminder is DELIVERED).
  std::string delivery;
  int64_t delivered_ms = 0;
  // kUpdate of a reminder this worker claimed (its ClaimedReminder's token):
  // applied iff the claim still holds, checked instead of `expected` (a claim
  // does not change the record, and nothing else may while it holds).
  int64_t claim_token = 0;
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

}  // namespace dermaflow::notification
