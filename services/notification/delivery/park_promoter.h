// Moves parked reminders (domain/parking.h) into the due queue before their
// day: the dispatcher calls MaybePromote for each organization on every
// pass; it promotes at most every `interval` per organization (and at once
// the first time), and again on the next pass while a backlog remains, so
// one organization's big day cannot hold up dispatch for long. Driven by
// the engine's clock, so a fake clock promotes in tests. Safe on every
// replica at once (reminder_parking.h).
//
//   ParkPromoter promoter(store.parking(), metrics, {.park_after = absl::Hours(48)});
//   promoter.MaybePromote(org, clock.Now());  // from the dispatcher's loop
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/notification/metrics/notification_metrics.h"
#include "services/notification/store/reminder_parking.h"

namespace dermaflow::notification {

struct ParkPromoterOptions {
  // The writers' --reminder_park_after: days starting within half of it are
  // promoted. Zero (parking off) still promotes what was parked before, as
  // with the 48 h default.
  absl::Duration park_after = absl::Hours(48);
  absl::Duration interval = absl::Seconds(60);  // --park_promote_interval
  int max_entries_per_pass = 20'000;            // per organization
};

class ParkPromoter {
 public:
  ParkPromoter(ReminderParking& parking, NotificationMetrics& metrics, ParkPromoterOptions options);

  // Promotes `org`'s coming days if its interval has passed (or a backlog
  // remains); failures are logged and counted, and retried next interval.
  void MaybePromote(const std::string& org, absl::Time now);
  // One pass for `org` now, whatever the interval (tests, the bench).
  absl::StatusOr<PromotionResult> PromoteOnce(const std::string& org, absl::Time now);

 private:
  struct OrgState {
    absl::Time last = absl::InfinitePast();
    std::optional<ParkCursor> resume;  // set while a backlog remains
  };

  ReminderParking& parking_;
  NotificationMetrics& metrics_;
  const ParkPromoterOptions options_;
  std::mutex mu_;
  std::map<std::string, OrgState> orgs_;
};

}  // namespace dermaflow::notification
