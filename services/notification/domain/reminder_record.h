// A reminder as stored: its id, its state (kept as the first byte of the
// Redis value, so Lua scripts can claim and requeue reminders without
// parsing protobuf) and the compact StoredReminder behind it.
//
//   std::string bytes = EncodeRecord(REMINDER_STATE_SCHEDULED, data);
//   DF_ASSIGN_OR_RETURN(ReminderRecord r, DecodeRecord(id, bytes));
//   v1::Reminder api = ToApiReminder(r);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "services/notification/stored_reminder.pb.h"

namespace dermaflow::notification {

using v1::ReminderKind;
using v1::ReminderState;
using v1::SuppressionReason;

struct ReminderRecord {
  std::string id;
  ReminderState state = ReminderState::REMINDER_STATE_UNSPECIFIED;
  internal::StoredReminder data;
};

// The state tags, one byte each; lua/*.lua map them to the queue sets.
char StateTag(ReminderState state);
ReminderState StateFromTag(char tag);

std::string EncodeRecord(ReminderState state, const internal::StoredReminder& data);
// INTERNAL when the bytes are not a record this service wrote.
absl::StatusOr<ReminderRecord> DecodeRecord(const std::string& id, const std::string& bytes);

// SCHEDULED or RETRYING: waiting to be sent, so events may still move or end it.
bool IsPending(ReminderState state);

// Where the reminder sorts in its state's set (lua/*.lua): the due time, or
// the time it failed for good for DEAD_LETTER. IN_FLIGHT sorts by lease
// expiry, which only claim_due.lua sets.
int64_t SortScore(ReminderState state, const internal::StoredReminder& data);

v1::ReminderKind KindOf(const internal::StoredReminder& data);
v1::Reminder ToApiReminder(const ReminderRecord& record);

// Stable lower-case names for metric labels and logs ("follow_up", "no_consent").
std::string KindLabel(ReminderKind kind);
std::string SuppressionLabel(SuppressionReason reason);

}  // namespace dermaflow::notification
