#include "services/notification/domain/settings.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/update_mask.h"
#include "common/status/errors.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

constexpr char kLeads[] = "appointment_reminder_leads";
constexpr char kNextSessionDelay[] = "next_session_delay";
constexpr char kQuietHours[] = "default_quiet_hours";
constexpr char kDisabledKinds[] = "disabled_kinds";

bool WholeMinutes(absl::Duration d) { return d % absl::Minutes(1) == absl::ZeroDuration(); }

void ValidateSettings(const v1::NotificationSettings& s, const std::set<std::string>& paths,
                      common::FieldViolations& v) {
  if (paths.contains(kLeads)) {
    if (s.appointment_reminder_leads_size() > 3) {
      v.Add("settings.appointment_reminder_leads", "at most 3 leads");
    }
    std::set<int64_t> seen;
    for (int i = 0; i < s.appointment_reminder_leads_size(); ++i) {
      const absl::Duration lead = ToDuration(s.appointment_reminder_leads(i));
      const std::string field = absl::StrCat("settings.appointment_reminder_leads[", i, "]");
      if (lead < absl::Hours(1) || lead > absl::Hours(14 * 24) || !WholeMinutes(lead)) {
        v.Add(field, "must be whole minutes from 1 hour to 14 days");
      } else if (!seen.insert(absl::ToInt64Minutes(lead)).second) {
        v.Add(field, "duplicate lead");
      }
    }
  }
  if (paths.contains(kNextSessionDelay) && s.has_next_session_delay()) {
    const absl::Duration d = ToDuration(s.next_session_delay());
    if (d <= absl::ZeroDuration() || d > absl::Hours(7 * 24) || !WholeMinutes(d)) {
      v.Add("settings.next_session_delay", "must be whole minutes, more than 0, at most 7 days");
    }
  }
  if (paths.contains(kQuietHours) && s.has_default_quiet_hours() &&
      !ToQuietWindow(s.default_quiet_hours())) {
    v.Add("settings.default_quiet_hours", "start and end must be whole minutes within a day");
  }
  if (paths.contains(kDisabledKinds)) {
    std::set<int> seen;
    for (int i = 0; i < s.disabled_kinds_size(); ++i) {
      const int kind = s.disabled_kinds(i);
      const std::string field = absl::StrCat("settings.disabled_kinds[", i, "]");
      if (kind == v1::ReminderKind::REMINDER_KIND_UNSPECIFIED || !v1::ReminderKind_IsValid(kind)) {
        v.Add(field, "must be a reminder kind");
      } else if (!seen.insert(kind).second) {
        v.Add(field, "duplicate kind");
      }
    }
  }
}

}  // namespace

std::vector<absl::Duration> AppointmentLeads(const v1::NotificationSettings& settings) {
  std::vector<absl::Duration> leads;
  for (const auto& lead : settings.appointment_reminder_leads()) leads.push_back(ToDuration(lead));
  if (leads.empty()) leads.push_back(absl::Hours(24));
  std::sort(leads.begin(), leads.end(), std::greater<>());
  return leads;
}

absl::Duration NextSessionDelay(const v1::NotificationSettings& settings) {
  return settings.has_next_session_delay() ? ToDuration(settings.next_session_delay())
                                           : absl::Hours(24);
}

QuietWindow OrgQuietWindow(const v1::NotificationSettings& settings) {
  if (!settings.has_default_quiet_hours()) return DefaultQuietWindow();
  return ToQuietWindow(settings.default_quiet_hours()).value_or(DefaultQuietWindow());
}

bool IsKindDisabled(const v1::NotificationSettings& settings, v1::ReminderKind kind) {
  return std::find(settings.disabled_kinds().begin(), settings.disabled_kinds().end(), kind) !=
         settings.disabled_kinds().end();
}

std::string LeadRuleCode(absl::Duration lead) {
  if (lead % absl::Hours(1) == absl::ZeroDuration()) {
    return absl::StrCat("lead_", absl::ToInt64Hours(lead), "h");
  }
  return absl::StrCat("lead_", absl::ToInt64Minutes(lead), "m");
}

absl::StatusOr<v1::NotificationSettings> ApplySettingsUpdate(
    const v1::NotificationSettings& current, const v1::UpdateNotificationSettingsRequest& request) {
  static const common::UpdatableFields kUpdatable{
      .paths = {kLeads, kNextSessionDelay, kQuietHours, kDisabledKinds}};
  common::FieldViolations v;
  const absl::StatusOr<google::protobuf::FieldMask> mask = common::CheckUpdateMask(
      v1::NotificationSettings::descriptor(), request.update_mask(), kUpdatable);
  if (!mask.ok()) v.AddFrom(mask.status());
  if (!request.has_settings()) {
    v.Add("settings", "required");
  } else if (request.settings().etag().empty()) {
    v.Add("settings.etag", "required: send the etag last read");
  }
  const std::set<std::string> paths =
      mask.ok() ? std::set<std::string>(mask->paths().begin(), mask->paths().end())
                : std::set<std::string>{};
  ValidateSettings(request.settings(), paths, v);
  if (!v.empty()) return v.ToStatus();

  v1::NotificationSettings merged = current;
  const v1::NotificationSettings& in = request.settings();
  common::MergeUpdate(in, *mask, merged);
  merged.set_etag(in.etag());
  return merged;
}

}  // namespace dermaflow::notification
