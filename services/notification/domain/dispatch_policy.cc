#include "services/notification/domain/dispatch_policy.h"

#include <algorithm>

#include "services/notification/domain/settings.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

using dermaflow::patient::v1::ConsentState;

PatientPrefs PatientPrefs::From(const dermaflow::patient::v1::Patient& patient) {
  PatientPrefs p;
  p.given_name = patient.given_name();
  p.locale = patient.locale();
  p.time_zone = patient.time_zone();
  p.preferred = patient.preferred_channel();
  for (const auto& consent : patient.consents()) p.consents[consent.channel()] = consent.state();
  p.email = patient.contact().email();
  p.phone = patient.contact().phone();
  if (patient.has_quiet_hours()) p.quiet_hours = ToQuietWindow(patient.quiet_hours());
  return p;
}

bool PatientPrefs::HasConsent(PatientChannel channel) const {
  auto it = consents.find(channel);
  return it != consents.end() && it->second == ConsentState::CONSENT_STATE_GIVEN;
}

bool PatientPrefs::Reachable() const {
  return HasConsent(PatientChannel::CHANNEL_EMAIL) || HasConsent(PatientChannel::CHANNEL_SMS) ||
         HasConsent(PatientChannel::CHANNEL_IN_APP);
}

ChannelChoice ChooseChannel(const PatientPrefs& prefs) {
  auto address = [&](PatientChannel c) -> std::optional<std::string> {
    switch (c) {
      case PatientChannel::CHANNEL_EMAIL:
        return prefs.email.empty() ? std::nullopt : std::optional(prefs.email);
      case PatientChannel::CHANNEL_SMS:
        return prefs.phone.empty() ? std::nullopt : std::optional(prefs.phone);
      case PatientChannel::CHANNEL_IN_APP:
        return std::string();
      default:
        return std::nullopt;
    }
  };
  bool consented = false;
  for (PatientChannel c : {prefs.preferred, PatientChannel::CHANNEL_EMAIL,
                           PatientChannel::CHANNEL_SMS, PatientChannel::CHANNEL_IN_APP}) {
    if (c == PatientChannel::CHANNEL_UNSPECIFIED || !prefs.HasConsent(c)) continue;
    consented = true;
    if (std::optional<std::string> a = address(c)) return ChannelChoice{c, {}, *a};
  }
  return ChannelChoice{PatientChannel::CHANNEL_UNSPECIFIED,
                       consented ? SuppressionReason::SUPPRESSION_REASON_NO_CONTACT_ADDRESS
                                 : SuppressionReason::SUPPRESSION_REASON_NO_CONSENT,
                       ""};
}

bool IsExpired(const internal::StoredReminder& data, absl::Time now) {
  const int64_t now_ms = ToMillis(now);
  switch (KindOf(data)) {
    case ReminderKind::REMINDER_KIND_APPOINTMENT:
    case ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST:
      return data.session_start_ms() != 0 && now_ms >= data.session_start_ms();
    case ReminderKind::REMINDER_KIND_NEXT_SESSION:
      return data.next_session_start_ms() != 0 && now_ms >= data.next_session_start_ms();
    case ReminderKind::REMINDER_KIND_AFTERCARE:
      return now - FromMillis(data.original_due_ms()) > absl::Hours(24);
    default:
      return false;
  }
}

Verdict Decide(const ReminderRecord& reminder, const PatientPrefs& prefs,
               const v1::NotificationSettings& settings, const ClinicInfo& clinic, absl::Time now) {
  Verdict v;
  v.time_zone = ZoneOrUtc(prefs.time_zone.empty() ? clinic.time_zone : prefs.time_zone);
  auto suppress = [&](SuppressionReason reason, const char* detail) {
    v.action = Verdict::Action::kSuppress;
    v.reason = reason;
    v.detail = detail;
    return v;
  };
  if (!prefs.exists)
    return suppress(SuppressionReason::SUPPRESSION_REASON_PATIENT_ERASED, "patient erased");
  if (IsKindDisabled(settings, KindOf(reminder.data))) {
    return suppress(SuppressionReason::SUPPRESSION_REASON_KIND_DISABLED,
                    "kind switched off by the organization");
  }
  if (IsExpired(reminder.data, now)) {
    return suppress(SuppressionReason::SUPPRESSION_REASON_EXPIRED, "too late to be useful");
  }
  v.channel = ChooseChannel(prefs);
  if (v.channel.channel == PatientChannel::CHANNEL_UNSPECIFIED) {
    return suppress(v.channel.reason,
                    v.channel.reason == SuppressionReason::SUPPRESSION_REASON_NO_CONSENT
                        ? "no channel with consent"
                        : "no address for the consented channels");
  }
  if (RespectsQuietHours(v.channel.channel)) {
    const QuietWindow window = prefs.quiet_hours.value_or(OrgQuietWindow(settings));
    const absl::Time until = ShiftOutOfQuietHours(now, window, v.time_zone);
    if (until > now) {
      v.action = Verdict::Action::kDefer;
      v.until = until;
      v.detail = "moved out of quiet hours";
      return v;
    }
  }
  v.action = Verdict::Action::kSend;
  return v;
}

absl::Duration RetryDelay(int attempts, absl::Duration base, absl::Duration max, double jitter) {
  absl::Duration delay = base;
  for (int i = 1; i < attempts && delay < max; ++i) delay *= 2;
  delay = std::min(delay, max);
  return delay / 2 + (delay / 2) * std::clamp(jitter, 0.0, 1.0);
}

}  // namespace dermaflow::notification
