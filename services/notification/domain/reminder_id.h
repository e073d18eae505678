// Deterministic reminder ids: the same cause (what the reminder is about, its
// kind and rule) always gives the same id, so a replayed or duplicated event
// finds the reminder it planned before instead of planning a second one.
//
//   std::string id = ReminderId(REMINDER_KIND_FOLLOW_UP, appointment_id, "day7_result_check");
#pragma once

#include <string>

#include "dermaflow/notification/v1/notification.pb.h"

namespace dermaflow::notification {

// 16 lower-case hex characters: the first 64 bits of SHA-256 over a
// versioned, length-prefixed encoding of the parts (collisions within one
// organization's reminders are negligible below billions).
// `subject_id` is the appointment id, or the course id for maintenance;
// `variant` distinguishes generations of the same rule (the appointment's
// start for APPOINTMENT reminders, so a moved appointment gets new ones).
std::string ReminderId(dermaflow::notification::v1::ReminderKind kind,
                       const std::string& subject_id, const std::string& rule_code,
                       const std::string& variant = "");

// True for something ReminderId could have produced (checked before any
// Redis access, so a malformed request id is NOT_FOUND without a lookup).
bool IsWellFormedReminderId(const std::string& id);

}  // namespace dermaflow::notification
