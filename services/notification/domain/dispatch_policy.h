// What happens to a claimed reminder, decided from the patient's current
// preferences and the organization's settings: send it now (on which
// channel), hold it until the patient's quiet hours end, or suppress it
// (erased patient, kind switched off, too late, no consent or address).
// Plus the retry backoff. Pure, so every rule is unit-tested.
//
//   Verdict v = Decide(record, prefs, settings, clinic, now);
//   if (v.action == Verdict::Action::kDefer) ... v.until ...
#pragma once

#include <map>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"
#include "dermaflow/patient/v1/patient.pb.h"
#include "services/notification/domain/quiet_hours.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/notification/domain/reminder_record.h"

namespace dermaflow::notification {

using PatientChannel = dermaflow::patient::v1::Channel;

// What dispatch needs to know about a patient, read fresh (short cache)
// from the patient service at delivery time.
struct PatientPrefs {
  bool exists = true;  // false: erased (or never existed)
  std::string given_name;
  std::string locale;
  std::string time_zone;
  PatientChannel preferred = PatientChannel::CHANNEL_UNSPECIFIED;
  std::map<PatientChannel, dermaflow::patient::v1::ConsentState> consents;
  std::string email;
  std::string phone;
  std::optional<QuietWindow> quiet_hours;  // unset: the organization's default

  static PatientPrefs From(const dermaflow::patient::v1::Patient& patient);
  bool HasConsent(PatientChannel channel) const;
  // Whether any channel with consent remains.
  bool Reachable() const;
};

struct ChannelChoice {
  PatientChannel channel = PatientChannel::CHANNEL_UNSPECIFIED;  // unspecified: suppressed
  SuppressionReason reason = SuppressionReason::SUPPRESSION_REASON_UNSPECIFIED;
  std::string address;  // e-mail or phone; empty for in-app
};

// The preferred channel when it has consent and an address, else the first
// of e-mail, SMS, in-app that has both; NO_CONSENT when no channel has
// consent, NO_CONTACT_ADDRESS when the consented ones lack addresses.
ChannelChoice ChooseChannel(const PatientPrefs& prefs);

// Too late to be useful: an APPOINTMENT or CONFIRMATION_REQUEST reminder once
// the session started, a NEXT_SESSION reminder once that session started, an
// AFTERCARE message a day after it was due. Other kinds never expire.
bool IsExpired(const internal::StoredReminder& data, absl::Time now);

struct Verdict {
  enum class Action { kSend, kDefer, kSuppress };
  Action action = Action::kSend;
  SuppressionReason reason = SuppressionReason::SUPPRESSION_REASON_UNSPECIFIED;
  std::string detail;
  absl::Time until;  // kDefer: the end of the quiet hours
  ChannelChoice channel;
  absl::TimeZone time_zone;  // the patient's, else the clinic's: for texts and quiet hours
};

Verdict Decide(const ReminderRecord& reminder, const PatientPrefs& prefs,
               const v1::NotificationSettings& settings, const ClinicInfo& clinic, absl::Time now);

// Exponential backoff with jitter: base * 2^(attempts-1), capped at `max`,
// then scaled into [50%, 100%] by `jitter` in [0, 1) so retries of many
// reminders failing together spread out.
absl::Duration RetryDelay(int attempts, absl::Duration base, absl::Duration max, double jitter);

}  // namespace dermaflow::notification
