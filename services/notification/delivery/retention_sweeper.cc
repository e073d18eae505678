#include "services/notification/delivery/retention_sweeper.h"

#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

RetentionSweeper::RetentionSweeper(ReminderRetention& retention, EventBacklog& events,
                                   const common::Clock& clock, RetentionOptions options)
    : retention_(retention),
      events_(events),
      clock_(clock),
      options_(options),
      thread_(
          options.interval,
          [this] {
            if (absl::StatusOr<int> swept = SweepOnce(); !swept.ok()) {
              common::LogWarning("retention sweep failed; next pass retries",
                                 {{"error", std::string(swept.status().message())}});
            }
          },
          /*run_at_start=*/true) {}

RetentionSweeper::~RetentionSweeper() { Stop(); }

void RetentionSweeper::Start() {
  // Guards are trimmed even when reminders are kept forever.
  if (options_.retention > absl::ZeroDuration() ||
      options_.appointment_guard_retention > absl::ZeroDuration()) {
    thread_.Start();
  }
}

void RetentionSweeper::Stop() { thread_.Stop(); }

absl::StatusOr<int> RetentionSweeper::SweepOnce() {
  DF_ASSIGN_OR_RETURN(std::vector<std::string> orgs, events_.Organizations());
  const absl::Time now = clock_.Now();
  const absl::Time cutoff = now - options_.retention;
  const bool expire_reminders = options_.retention > absl::ZeroDuration();
  int total = 0;
  for (const std::string& org : orgs) {
    if (options_.appointment_guard_retention > absl::ZeroDuration()) {
      // One organization's failure must not stop the others' sweep.
      if (absl::Status forgot =
              retention_.ForgetAppointmentsBefore(org, now - options_.appointment_guard_retention);
          !forgot.ok()) {
        common::LogWarning("cannot trim appointment guards; next pass retries",
                           {{"organization", org}, {"error", std::string(forgot.message())}});
      }
    }
    for (int i = 0; expire_reminders && i < options_.max_batches_per_org; ++i) {
      if (thread_.StopRequested()) return total;
      DF_ASSIGN_OR_RETURN(int n, retention_.ExpireBefore(org, cutoff, options_.batch));
      total += n;
      if (n < options_.batch) break;
    }
  }
  return total;
}

}  // namespace dermaflow::notification
