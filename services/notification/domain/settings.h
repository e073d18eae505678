// The organization's reminder settings: their defaults, what planning and
// dispatch read from them, and the validation and field-mask merge behind
// UpdateNotificationSettings. Pure: no storage here.
//
//   for (absl::Duration lead : AppointmentLeads(settings)) ...   // [24h] by default
//   DF_ASSIGN_OR_RETURN(auto merged, ApplySettingsUpdate(current, request));
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/notification/v1/notification_service.pb.h"
#include "services/notification/domain/quiet_hours.h"

namespace dermaflow::notification {

// The leads, longest first; [24h] when unset.
std::vector<absl::Duration> AppointmentLeads(const v1::NotificationSettings& settings);
// 24 h when unset.
absl::Duration NextSessionDelay(const v1::NotificationSettings& settings);
// 21:00-08:00 when unset.
QuietWindow OrgQuietWindow(const v1::NotificationSettings& settings);
bool IsKindDisabled(const v1::NotificationSettings& settings, v1::ReminderKind kind);

// "lead_24h", "lead_90m": the APPOINTMENT reminder's rule code for a lead.
std::string LeadRuleCode(absl::Duration lead);

// Checks the request (mask paths, etag present, every value in range; each
// bad field named as "settings.<path>[i]") and returns `current` with the
// masked fields replaced. Does not compare etags: that is the store's job.
absl::StatusOr<v1::NotificationSettings> ApplySettingsUpdate(
    const v1::NotificationSettings& current, const v1::UpdateNotificationSettingsRequest& request);

}  // namespace dermaflow::notification
