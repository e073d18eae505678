// Operator actions on single reminders: applies a transition
// (reminder_transitions.h) to the stored record with compare-and-set,
// re-reading when the dispatcher or an event changed it meanwhile.
//
//   ReminderAdmin admin(store.queue(), clock);
//   DF_ASSIGN_OR_RETURN(ReminderRecord r, admin.Cancel(org, id, note, caller.subject));
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock/clock.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

class ReminderAdmin {
 public:
  ReminderAdmin(ReminderQueue& reminders, const common::Clock& clock)
      : reminders_(reminders), clock_(clock) {}

  absl::StatusOr<ReminderRecord> Cancel(const std::string& org, const std::string& id,
                                        const std::string& note, const std::string& subject);
  absl::StatusOr<ReminderRecord> Requeue(const std::string& org, const std::string& id);

 private:
  using Transition =
      std::function<absl::StatusOr<ReminderRecord>(const ReminderRecord&, absl::Time)>;
  absl::StatusOr<ReminderRecord> Apply(const std::string& org, const std::string& id,
                                       const Transition& transition);

  ReminderQueue& reminders_;
  const common::Clock& clock_;
};

}  // namespace dermaflow::notification
