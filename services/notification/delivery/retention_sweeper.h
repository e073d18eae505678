// The retention sweep: every `interval` it deletes, in each organization,
// the reminders that ended more than `retention` ago (delivered, suppressed,
// cancelled, dead-lettered) with their delivered messages (ReminderRetention).
// Driven by the engine's clock, so a fake clock ages data in tests and the
// soak bench. Safe on every replica at once: a deletion is idempotent.
//
//   RetentionSweeper sweeper(store.retention(), store.events(), clock,
//                            {.retention = absl::Hours(24 * 90)});
//   sweeper.Start();  ...  sweeper.Stop();
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "common/clock/periodic_thread.h"
#include "services/notification/store/event_backlog.h"
#include "services/notification/store/reminder_retention.h"

namespace dermaflow::notification {

struct RetentionOptions {
  // How long finished reminders and their messages are kept
  // (--reminder_retention); zero: forever.
  absl::Duration retention = absl::Hours(24 * 90);
  // How long an appointment's newest applied snapshot is remembered, so a
  // stale replay is refused, whatever became of its reminders (also when
  // reminders are kept forever); zero: forever.
  absl::Duration appointment_guard_retention = absl::Hours(24 * 90);
  absl::Duration interval = absl::Minutes(1);
  int batch = 500;                // reminders per script call
  int max_batches_per_org = 200;  // per pass, so one org cannot hold the sweep
};

class RetentionSweeper {
 public:
  RetentionSweeper(ReminderRetention& retention, EventBacklog& events, const common::Clock& clock,
                   RetentionOptions options);
  ~RetentionSweeper();

  void Start();
  // Returns within one script call (≤ `batch` reminders), not a whole pass:
  // the sweep stops between batches.
  void Stop();
  // One pass over every organization; returns how many reminders it read
  // for deletion (tests and the soak bench call it directly). Ends early,
  // between batches, once Stop() was called.
  absl::StatusOr<int> SweepOnce();

 private:
  ReminderRetention& retention_;
  EventBacklog& events_;
  const common::Clock& clock_;
  const RetentionOptions options_;
  common::PeriodicThread thread_;  // last: runs passes on the members above
};

}  // namespace dermaflow::notification
