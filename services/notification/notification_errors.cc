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
  absl::Status status = absl::AbortedError(message);
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain("dermaflow.notification.v1");
  status.SetPayload("type.googleapis.com/google.rpc.ErrorInfo", absl::Cord(info.SerializeAsString()));
  return status;
}

}  // namespace dermaflow::notification
