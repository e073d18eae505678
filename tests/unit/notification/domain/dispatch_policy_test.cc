#include "services/notification/domain/dispatch_policy.h"

#include "gtest/gtest.h"
#include "services/notification/domain/time_rules.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using patient::v1::CONSENT_STATE_GIVEN;
using patient::v1::CONSENT_STATE_WITHDRAWN;
using testing::Berlin;
using v1::ReminderKind;
using v1::SuppressionReason;

PatientPrefs Anna() {
  PatientPrefs p;
  p.given_name = "Anna";
  p.locale = "de";
  p.preferred = PatientChannel::CHANNEL_SMS;
  p.consents = {{PatientChannel::CHANNEL_SMS, CONSENT_STATE_GIVEN},
                {PatientChannel::CHANNEL_EMAIL, CONSENT_STATE_GIVEN}};
  p.email = "anna@example.org";
  p.phone = "+4915112345678";
  return p;
}

ReminderRecord Due(ReminderKind kind, absl::Time due) {
  ReminderRecord r;
  r.id = "0123456789abcdef";
  r.state = v1::ReminderState::REMINDER_STATE_IN_FLIGHT;
  r.data.set_kind(kind);
  r.data.set_due_ms(ToMillis(due));
  r.data.set_original_due_ms(ToMillis(due));
  r.data.set_session_start_ms(ToMillis(due + absl::Hours(24)));
  return r;
}

const ClinicInfo kClinic{"c", "Clinic", "Europe/Berlin", "", false};

TEST(NotificationChooseChannelTest, PreferredChannelWithConsentWins) {
  const ChannelChoice c = ChooseChannel(Anna());
  EXPECT_EQ(c.channel, PatientChannel::CHANNEL_SMS);
  EXPECT_EQ(c.address, "+4915112345678");
}

TEST(NotificationChooseChannelTest, WithoutConsentForThePreferredTheFirstConsentedIsUsed) {
  PatientPrefs p = Anna();
  p.consents[PatientChannel::CHANNEL_SMS] = CONSENT_STATE_WITHDRAWN;
  EXPECT_EQ(ChooseChannel(p).channel, PatientChannel::CHANNEL_EMAIL);
  p.email.clear();
  p.consents[PatientChannel::CHANNEL_IN_APP] = CONSENT_STATE_GIVEN;
  EXPECT_EQ(ChooseChannel(p).channel, PatientChannel::CHANNEL_IN_APP);
  EXPECT_EQ(ChooseChannel(p).address, "");
}

TEST(NotificationChooseChannelTest, NothingGoesWithoutConsentOrAddress) {
  PatientPrefs p = Anna();
  p.consents.clear();
  EXPECT_EQ(ChooseChannel(p).channel, PatientChannel::CHANNEL_UNSPECIFIED);
  EXPECT_EQ(ChooseChannel(p).reason, SuppressionReason::SUPPRESSION_REASON_NO_CONSENT);
  p = Anna();
  p.email.clear();
  p.phone.clear();
  EXPECT_EQ(ChooseChannel(p).reason, SuppressionReason::SUPPRESSION_REASON_NO_CONTACT_ADDRESS);
  EXPECT_FALSE(PatientPrefs().Reachable());
  EXPECT_TRUE(Anna().Reachable());
}

TEST(NotificationDecideTest, SendsInTheDaytime) {
  const absl::Time now = Berlin(2026, 3, 23, 10, 0);
  const Verdict v =
      Decide(Due(ReminderKind::REMINDER_KIND_APPOINTMENT, now), Anna(), {}, kClinic, now);
  EXPECT_EQ(v.action, Verdict::Action::kSend);
  EXPECT_EQ(v.channel.channel, PatientChannel::CHANNEL_SMS);
  EXPECT_EQ(v.time_zone.name(), "Europe/Berlin");
}

TEST(NotificationDecideTest, SmsAtNightWaitsForTheMorning) {
  const absl::Time now = Berlin(2026, 3, 23, 22, 30);
  const Verdict v =
      Decide(Due(ReminderKind::REMINDER_KIND_FOLLOW_UP, now), Anna(), {}, kClinic, now);
  EXPECT_EQ(v.action, Verdict::Action::kDefer);
  EXPECT_EQ(v.until, Berlin(2026, 3, 24, 8, 0));
  EXPECT_EQ(v.detail, "moved out of quiet hours");
}

TEST(NotificationDecideTest, ConfirmationRequestsKeepQuietHoursAndExpireAtTheSession) {
  // Requested at 23:00 (a late booking): the SMS waits for the morning.
  const absl::Time now = Berlin(2026, 3, 23, 23, 0);
  const ReminderRecord request = Due(ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST, now);
  const Verdict v = Decide(request, Anna(), {}, kClinic, now);
  EXPECT_EQ(v.action, Verdict::Action::kDefer);
  EXPECT_EQ(v.until, Berlin(2026, 3, 24, 8, 0));
  EXPECT_FALSE(IsExpired(request.data, now + absl::Hours(23)));
  EXPECT_TRUE(IsExpired(request.data, now + absl::Hours(24)));  // the session started
}

TEST(NotificationDecideTest, InAppIsNotHeldBack) {
  PatientPrefs p = Anna();
  p.preferred = PatientChannel::CHANNEL_IN_APP;
  p.consents[PatientChannel::CHANNEL_IN_APP] = CONSENT_STATE_GIVEN;
  const absl::Time now = Berlin(2026, 3, 23, 23, 0);
  EXPECT_EQ(Decide(Due(ReminderKind::REMINDER_KIND_FOLLOW_UP, now), p, {}, kClinic, now).action,
            Verdict::Action::kSend);
}

TEST(NotificationDecideTest, PatientAndOrganizationQuietHoursApply) {
  const absl::Time now = Berlin(2026, 3, 23, 20, 0);
  v1::NotificationSettings settings;
  *settings.mutable_default_quiet_hours() = ToQuietHours(QuietWindow{19 * 60, 7 * 60});
  EXPECT_EQ(
      Decide(Due(ReminderKind::REMINDER_KIND_FOLLOW_UP, now), Anna(), settings, kClinic, now).until,
      Berlin(2026, 3, 24, 7, 0));
  PatientPrefs night_owl = Anna();
  night_owl.quiet_hours = QuietWindow{23 * 60, 9 * 60};
  EXPECT_EQ(
      Decide(Due(ReminderKind::REMINDER_KIND_FOLLOW_UP, now), night_owl, settings, kClinic, now)
          .action,
      Verdict::Action::kSend);
}

TEST(NotificationDecideTest, SuppressionReasons) {
  const absl::Time now = Berlin(2026, 3, 23, 10, 0);
  const ReminderRecord r = Due(ReminderKind::REMINDER_KIND_APPOINTMENT, now);
  PatientPrefs gone;
  gone.exists = false;
  EXPECT_EQ(Decide(r, gone, {}, kClinic, now).reason,
            SuppressionReason::SUPPRESSION_REASON_PATIENT_ERASED);
  v1::NotificationSettings off;
  off.add_disabled_kinds(ReminderKind::REMINDER_KIND_APPOINTMENT);
  EXPECT_EQ(Decide(r, Anna(), off, kClinic, now).reason,
            SuppressionReason::SUPPRESSION_REASON_KIND_DISABLED);
  EXPECT_EQ(Decide(r, Anna(), {}, kClinic, now + absl::Hours(25)).reason,
            SuppressionReason::SUPPRESSION_REASON_EXPIRED);
  PatientPrefs silent = Anna();
  silent.consents.clear();
  const Verdict v = Decide(r, silent, {}, kClinic, now);
  EXPECT_EQ(v.action, Verdict::Action::kSuppress);
  EXPECT_EQ(v.reason, SuppressionReason::SUPPRESSION_REASON_NO_CONSENT);
}

TEST(NotificationExpiryTest, KindsExpireAsDocumented) {
  const absl::Time due = Berlin(2026, 3, 23, 10, 0);
  ReminderRecord aftercare = Due(ReminderKind::REMINDER_KIND_AFTERCARE, due);
  EXPECT_FALSE(IsExpired(aftercare.data, due + absl::Hours(23)));
  EXPECT_TRUE(IsExpired(aftercare.data, due + absl::Hours(25)));
  ReminderRecord next = Due(ReminderKind::REMINDER_KIND_NEXT_SESSION, due);
  next.data.set_next_session_start_ms(ToMillis(due + absl::Hours(48)));
  EXPECT_FALSE(IsExpired(next.data, due + absl::Hours(47)));
  EXPECT_TRUE(IsExpired(next.data, due + absl::Hours(48)));
  EXPECT_FALSE(IsExpired(Due(ReminderKind::REMINDER_KIND_MAINTENANCE, due).data,
                         due + absl::Hours(24 * 90)));
}

TEST(NotificationRetryDelayTest, DoublesUpToTheCapWithJitter) {
  const absl::Duration base = absl::Seconds(30);
  const absl::Duration max = absl::Minutes(10);
  EXPECT_EQ(RetryDelay(1, base, max, 1.0), absl::Seconds(30));
  EXPECT_EQ(RetryDelay(1, base, max, 0.0), absl::Seconds(15));
  EXPECT_EQ(RetryDelay(3, base, max, 1.0), absl::Minutes(2));
  EXPECT_EQ(RetryDelay(10, base, max, 1.0), absl::Minutes(10));
  EXPECT_EQ(RetryDelay(10, base, max, 0.5), absl::Seconds(450));
}

}  // namespace
}  // namespace dermaflow::notification
