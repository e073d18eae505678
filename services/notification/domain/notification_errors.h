// What the notification service's errors name (common/status/api_errors.h
// has the errors themselves): its ErrorInfo domain and resource types.
//
//   return common::NotFoundError(kErrorDomain, kReminderType, id);
#pragma once

namespace dermaflow::notification {

inline constexpr char kErrorDomain[] = "dermaflow.notification.v1";
inline constexpr char kReminderType[] = "dermaflow.notification.v1.Reminder";
inline constexpr char kSettingsType[] = "dermaflow.notification.v1.NotificationSettings";

}  // namespace dermaflow::notification
