// What the waitlist's use cases work with: scheduling's dependencies, the
// waitlist store, its metrics and the service-wide settings (flags; a
// clinic's WaitlistPolicy overrides offers_per_slot and hold).
#pragma once

#include "absl/time/time.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/app/waitlist/waitlist_metrics.h"
#include "services/scheduling/domain/waitlist_matching.h"
#include "services/scheduling/store/waitlist_store.h"

namespace dermaflow::scheduling {

struct WaitlistSettings {
  int offers_per_slot = 3;               // --offers_per_slot
  absl::Duration hold = absl::Hours(2);  // --offer_hold
  // --offer_quiet_hours: for patients without their own quiet hours; mirrors
  // NotificationSettings.default_quiet_hours (initially 21:00-08:00).
  QuietWindow default_quiet_hours{21 * 60, 8 * 60};
  int scan_batch = 200;  // entries read per step while matching
};

struct WaitlistDeps {
  SchedulingDeps scheduling;
  WaitlistStore& store;
  WaitlistMetrics& metrics;
  WaitlistSettings settings;
};

// The system identity the waitlist acts under when no person calls.
inline constexpr char kWaitlistActor[] = "system:waitlist";

}  // namespace dermaflow::scheduling
