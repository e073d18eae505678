// The operator transitions of a reminder (CancelReminder, RequeueDeadLetter)
// as pure functions of the record: which states allow them and what they
// change. Refusals are FAILED_PRECONDITION with a PreconditionFailure of type
// REMINDER_STATE, subject "reminder/<id>", naming the current state.
//
//   DF_ASSIGN_OR_RETURN(ReminderRecord cancelled, CancelTransition(record, note, "u-17", now));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

// SCHEDULED or RETRYING -> CANCELLED; state_detail is the note, or
// "cancelled by <subject>" without one.
absl::StatusOr<ReminderRecord> CancelTransition(const ReminderRecord& record,
                                                const std::string& note, const std::string& subject,
                                                absl::Time now);

// DEAD_LETTER -> SCHEDULED, attempts 0, due now (quiet hours are applied by
// the dispatcher when it comes due). SCHEDULED comes back unchanged.
absl::StatusOr<ReminderRecord> RequeueTransition(const ReminderRecord& record, absl::Time now);

}  // namespace dermaflow::notification
