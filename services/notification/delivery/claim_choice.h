// Whether a dispatcher pass runs the claim script on an organization, from
// its probe (ReminderQueue::ProbeDue). The home replica claims whenever
// something is due or a claim's lease ran out; another replica only helps:
// with a backlog larger than a batch, or with work its home has left
// waiting longer than `help_after` (a stuck or overloaded home replica).
//
//   if (ShouldClaim(probe, focus.IsHome(org), now, absl::Now(), options)) DispatchBatch(org);
#pragma once

#include "absl/time/time.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

struct ClaimChoiceOptions {
  int batch = 200;
  absl::Duration lease = absl::Seconds(10);
  absl::Duration help_after = absl::Seconds(2);
};

// `now` is the engine's clock (what is due); `wall` this process's real
// time, against which leases (on Redis's clock) are judged with a margin
// of half a lease for the clocks' skew: a live worker renews every third of
// a lease, so its claims never look expired, and a false "expired" costs
// one claim script that finds nothing.
bool ShouldClaim(const DueProbe& probe, bool home, absl::Time now, absl::Time wall,
                 const ClaimChoiceOptions& options);

}  // namespace dermaflow::notification
