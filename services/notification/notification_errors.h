// The notification service's error statuses that carry details beyond
// common/status/errors.h: NOT_FOUND for a reminder (ResourceInfo) and the
// ABORTED reasons of the API conventions (ErrorInfo).
//
//   return ReminderNotFound(id);
//   return AbortedWithReason("ETAG_MISMATCH", "settings.etag is stale; reload and reapply");
#pragma once

#include <string>

#include "absl/status/status.h"

namespace dermaflow::notification {

absl::Status ReminderNotFound(const std::string& id);

// ABORTED with google.rpc.ErrorInfo {reason, domain "dermaflow.notification.v1"}.
absl::Status AbortedWithReason(const std::string& reason, const std::string& message);

}  // namespace dermaflow::notification
