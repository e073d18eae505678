#include "services/notification/notification_errors.h"

#include "absl/strings/cord.h"
#include "common/status/errors.h"
#include "google/rpc/error_details.pb.h"

namespace dermaflow::notification {

absl::Status ReminderNotFound(const std::string& id) {
  return common::ResourceError(absl::StatusCode::kNotFound, "reminder not found",
                               "dermaflow.notification.v1.Reminder", id);
}

absl::Status AbortedWithReason(const std::string& reason, const std::string& message) {
  return common::WithErrorInfo(absl::AbortedError(message), reason, "dermaflow.notification.v1");
}

}  // namespace dermaflow::notification
