#include "services/notification/domain/reminder_transitions.h"

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

absl::Status WrongState(const ReminderRecord& r, const std::string& why) {
  const std::string state = v1::ReminderState_Name(r.state);
  return common::FailedPreconditionError(
      absl::StrCat("reminder ", r.id, " is ", state, ": ", why),
      {{"REMINDER_STATE", absl::StrCat("reminder/", r.id), absl::StrCat("state is ", state)}});
}

}  // namespace

absl::StatusOr<ReminderRecord> CancelTransition(const ReminderRecord& record,
                                                const std::string& note, const std::string& subject,
                                                absl::Time now) {
  switch (record.state) {
    case ReminderState::REMINDER_STATE_SCHEDULED:
    case ReminderState::REMINDER_STATE_RETRYING:
      break;
    case ReminderState::REMINDER_STATE_IN_FLIGHT:
      return WrongState(record, "being sent right now; look again in a few seconds");
    case ReminderState::REMINDER_STATE_DEAD_LETTER:
      return WrongState(record, "it will not be sent unless requeued");
    default:
      return WrongState(record, "already final");
  }
  ReminderRecord out = record;
  out.state = ReminderState::REMINDER_STATE_CANCELLED;
  out.data.set_state_detail(note.empty() ? absl::StrCat("cancelled by ", subject) : note);
  out.data.set_update_ms(ToMillis(now));
  return out;
}

absl::StatusOr<ReminderRecord> RequeueTransition(const ReminderRecord& record, absl::Time now) {
  if (record.state == ReminderState::REMINDER_STATE_SCHEDULED) return record;
  if (record.state != ReminderState::REMINDER_STATE_DEAD_LETTER) {
    return WrongState(record, "only dead letters can be requeued");
  }
  ReminderRecord out = record;
  out.state = ReminderState::REMINDER_STATE_SCHEDULED;
  out.data.set_attempts(0);
  out.data.set_due_ms(ToMillis(now));
  out.data.set_state_detail("requeued by an operator");
  out.data.set_update_ms(ToMillis(now));
  return out;
}

}  // namespace dermaflow::notification
