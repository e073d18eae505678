#include "services/notification/store/reminder_filter.h"

#include <algorithm>

#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

bool ReminderFilter::Matches(const ReminderRecord& r) const {
  const internal::StoredReminder& d = r.data;
  if (!patient_id.empty() && d.patient_id() != patient_id) return false;
  if (!appointment_id.empty() && d.appointment_id() != appointment_id) return false;
  if (!course_id.empty() && d.course_id() != course_id) return false;
  if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), KindOf(d)) == kinds.end())
    return false;
  if (!states.empty() && std::find(states.begin(), states.end(), r.state) == states.end())
    return false;
  if (due_from && d.due_ms() < ToMillis(*due_from)) return false;
  if (due_to && d.due_ms() >= ToMillis(*due_to)) return false;
  return true;
}

}  // namespace dermaflow::notification
