// Which reminders ListReminders returns: every field set narrows the list
// (patient, appointment, course, kinds, states, due window). Matches() is
// the one place the filter is applied, after the records are read.
//
//   ReminderFilter filter{.patient_id = "p1", .states = {REMINDER_STATE_SCHEDULED}};
//   if (filter.Matches(record)) ...
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

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

}  // namespace dermaflow::notification
