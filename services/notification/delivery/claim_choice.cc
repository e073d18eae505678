#include "services/notification/delivery/claim_choice.h"

namespace dermaflow::notification {

bool ShouldClaim(const DueProbe& probe, bool home, absl::Time now, absl::Time wall,
                 const ClaimChoiceOptions& options) {
  if (home) {
    if (!probe.known || probe.due > 0) return true;
    return probe.oldest_lease.has_value() && *probe.oldest_lease <= wall + options.lease / 2;
  }
  if (!probe.known) return false;  // its home replica sees the error too
  if (probe.due > options.batch) return true;
  if (probe.oldest_due.has_value() && now - *probe.oldest_due > options.help_after) return true;
  return probe.oldest_lease.has_value() && wall - *probe.oldest_lease > options.help_after;
}

}  // namespace dermaflow::notification
