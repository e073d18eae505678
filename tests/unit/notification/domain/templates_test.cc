#include "services/notification/domain/templates.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/reminder_planner.h"
#include "services/protocol/domain/catalog.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using namespace dermaflow::notification::testing;  // NOLINT
using ::testing::HasSubstr;
using ::testing::Not;
using v1::ReminderKind;

const protocol::v1::Protocol& Catalog(const std::string& key) {
  return protocol::FindCatalogEntry(key)->protocol;
}

const ClinicInfo kClinic{"clinic-mitte", "Dermaflow Berlin Mitte", "Europe/Berlin", "+49301234567",
                         true};

// The first reminder of `kind` that `event` plans.
ReminderRecord Planned(const Event& event, const protocol::v1::Protocol& p, ReminderKind kind) {
  v1::NotificationSettings settings;
  absl::StatusOr<Plan> plan = PlanReminders({&event, &p, &settings});
  EXPECT_TRUE(plan.ok()) << plan.status();
  for (const NewReminder& r : plan->creates) {
    if (KindOf(r.data) == kind)
      return ReminderRecord{r.id, v1::ReminderState::REMINDER_STATE_SCHEDULED, r.data};
  }
  ADD_FAILURE() << "no reminder of kind " << kind;
  return {};
}

RenderedMessage RenderFor(const ReminderRecord& r, const protocol::v1::Protocol& p,
                          const std::string& locale,
                          patient::v1::Channel channel = patient::v1::CHANNEL_EMAIL) {
  return Render({.reminder = &r,
                 .protocol = &p,
                 .locale = locale,
                 .first_name = "Anna",
                 .clinic = kClinic,
                 .time_zone = BerlinZone(),
                 .channel = channel});
}

TEST(NotificationTemplatesTest, GermanAppointmentReminderWithPreCare) {
  const auto& p = Catalog("mesotherapy_hydralift");
  const ReminderRecord r = Planned(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = RenderFor(r, p, "de");
  EXPECT_EQ(m.locale, "de");
  EXPECT_FALSE(m.fell_back);
  EXPECT_THAT(m.subject, HasSubstr("Dienstag, 24. März 2026"));
  EXPECT_THAT(m.body, HasSubstr("Hallo Anna,"));
  EXPECT_THAT(m.body, HasSubstr("Dienstag, 24. März 2026, 10:00 Uhr"));
  EXPECT_THAT(m.body, HasSubstr("Dermaflow Berlin Mitte"));
  EXPECT_THAT(m.body, HasSubstr("Mesotherapie Hydralift"));
  EXPECT_THAT(m.body, HasSubstr("Koffein"));
  EXPECT_THAT(m.body, HasSubstr("Make-up"));  // facial area booked
  EXPECT_THAT(m.body, HasSubstr("Ihr Team von Dermaflow Berlin Mitte"));
}

TEST(NotificationTemplatesTest, EnglishAppointmentReminder) {
  const auto& p = Catalog("mesotherapy_hydralift");
  const ReminderRecord r = Planned(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = RenderFor(r, p, "en-GB");
  EXPECT_EQ(m.locale, "en");
  EXPECT_FALSE(m.fell_back);
  EXPECT_THAT(m.body, HasSubstr("Hello Anna,"));
  EXPECT_THAT(m.body, HasSubstr("Tuesday, 24 March 2026, 10:00"));
  EXPECT_THAT(m.body, Not(HasSubstr("Uhr")));
  EXPECT_THAT(m.body, HasSubstr("caffeine"));
  EXPECT_THAT(m.body, HasSubstr("make-up"));
}

TEST(NotificationTemplatesTest, BodyTreatmentHasNoMakeUpRule) {
  const auto& p = Catalog("mesotherapy_body");
  const ReminderRecord r = Planned(Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0),
                                                      {protocol::v1::TREATMENT_AREA_THIGHS}),
                                          Berlin(2026, 3, 1, 9, 0)),
                                   p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = RenderFor(r, p, "de");
  EXPECT_THAT(m.body, HasSubstr("Koffein"));
  EXPECT_THAT(m.body, Not(HasSubstr("Make-up")));
}

TEST(NotificationTemplatesTest, GermanAftercareWithBruisingOnTheFace) {
  const auto& p = Catalog("mesotherapy_hydralift");
  const ReminderRecord r =
      Planned(Fulfilled(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)),
                        Berlin(2026, 3, 24, 10, 40), {scheduling::v1::SIDE_EFFECT_BRUISING}),
              p, ReminderKind::REMINDER_KIND_AFTERCARE);
  const RenderedMessage m = RenderFor(r, p, "de-AT");
  EXPECT_EQ(m.locale, "de");
  EXPECT_FALSE(m.fell_back);
  EXPECT_THAT(m.body, HasSubstr("Sauna"));
  EXPECT_THAT(m.body, HasSubstr("Make-up"));
  EXPECT_THAT(m.body, HasSubstr("Arnika"));
  EXPECT_THAT(m.body, HasSubstr("+49301234567"));
}

TEST(NotificationTemplatesTest, AftercareWithoutBruisingOnTheBodyLeavesOutArnicaAndMakeUp) {
  const auto& p = Catalog("mesotherapy_body");
  const ReminderRecord r =
      Planned(Fulfilled(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0),
                                    {protocol::v1::TREATMENT_AREA_THIGHS}),
                        Berlin(2026, 3, 24, 10, 40)),
              p, ReminderKind::REMINDER_KIND_AFTERCARE);
  const RenderedMessage m = RenderFor(r, p, "de");
  EXPECT_THAT(m.body, HasSubstr("Sauna"));
  EXPECT_THAT(m.body, Not(HasSubstr("Arnika, äußerlich")));
  EXPECT_THAT(m.body, Not(HasSubstr("kein Make-up")));
}

TEST(NotificationTemplatesTest, EveryKindRendersInBothLanguages) {
  const auto& p = Catalog("collagen_injection");
  AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  info.set_course_id("c-1");
  info.set_course_session_index(1);
  info.set_course_session_count(2);
  *info.mutable_next_session_start_time() = ToTimestamp(Berlin(2026, 4, 21, 10, 0));
  info.set_next_session_appointment_id("a-2");
  const Event fulfilled = Fulfilled(info, Berlin(2026, 3, 24, 10, 40));
  const Event completed =
      CourseCompleted("c-1", "p-1", "x", 2027, 3, 24, Berlin(2026, 3, 24, 11, 0));
  const Event booked = Booked(info, Berlin(2026, 3, 1, 9, 0));
  const std::vector<std::tuple<const Event*, ReminderKind, std::string, std::string>> cases = {
      {&booked, ReminderKind::REMINDER_KIND_APPOINTMENT, "wir erinnern Sie", "this is a reminder"},
      {&fulfilled, ReminderKind::REMINDER_KIND_AFTERCARE, "vielen Dank", "thank you"},
      {&fulfilled, ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN, "wie geht es Ihnen",
       "how are you"},
      {&fulfilled, ReminderKind::REMINDER_KIND_FOLLOW_UP, "Kontrolltermin", "check-up visit"},
      {&fulfilled, ReminderKind::REMINDER_KIND_NEXT_SESSION, "(2 von 2)", "(2 of 2)"},
      {&completed, ReminderKind::REMINDER_KIND_MAINTENANCE, "Mittwoch, 24. März 2027",
       "Wednesday, 24 March 2027"},
      {&completed, ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE, "seit Mittwoch, 24. März 2027",
       "since Wednesday, 24 March 2027"},
  };
  for (const auto& [event, kind, german, english] : cases) {
    const ReminderRecord r = Planned(*event, p, kind);
    const RenderedMessage de = RenderFor(r, p, "de");
    const RenderedMessage en = RenderFor(r, p, "en");
    EXPECT_THAT(de.body, HasSubstr(german)) << kind;
    EXPECT_THAT(en.body, HasSubstr(english)) << kind;
    EXPECT_FALSE(de.subject.empty()) << kind;
    EXPECT_FALSE(de.fell_back || en.fell_back) << kind;
  }
}

TEST(NotificationTemplatesTest, NextSessionNamesTheNextSessionsTime) {
  const auto& p = Catalog("mesotherapy_hydralift");
  AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  info.set_course_id("c-1");
  info.set_course_session_index(1);
  info.set_course_session_count(3);
  *info.mutable_next_session_start_time() = ToTimestamp(Berlin(2026, 3, 31, 9, 30));
  const ReminderRecord r = Planned(Fulfilled(info, Berlin(2026, 3, 24, 10, 40)), p,
                                   ReminderKind::REMINDER_KIND_NEXT_SESSION);
  EXPECT_THAT(RenderFor(r, p, "de").body, HasSubstr("(2 von 3)"));
  EXPECT_THAT(RenderFor(r, p, "de").body, HasSubstr("Dienstag, 31. März 2026, 09:30 Uhr"));
}

TEST(NotificationTemplatesTest, UnknownLanguageFallsBackToEnglish) {
  const auto& p = Catalog("collagen_injection");
  const ReminderRecord r = Planned(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = RenderFor(r, p, "fr");
  EXPECT_EQ(m.locale, "en");
  EXPECT_TRUE(m.fell_back);
  EXPECT_THAT(m.body, HasSubstr("Hello Anna,"));
  EXPECT_THAT(m.body, HasSubstr("make-up"));
}

TEST(NotificationTemplatesTest, MissingRuleTranslationFallsBackToEnglishAndSaysSo) {
  protocol::v1::Protocol p = Catalog("mesotherapy_hydralift");
  for (auto& rule : *p.mutable_pre_care()) {
    auto* ts = rule.mutable_text()->mutable_translations();
    ts->erase(
        std::remove_if(ts->begin(), ts->end(), [](const auto& t) { return t.locale() == "de"; }),
        ts->end());
  }
  const ReminderRecord r = Planned(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = RenderFor(r, p, "de");
  EXPECT_EQ(m.locale, "de");
  EXPECT_TRUE(m.fell_back);
  EXPECT_THAT(m.body, HasSubstr("caffeine"));
}

TEST(NotificationTemplatesTest, SmsHasNoSubjectAndNoNameMeansAPlainGreeting) {
  const auto& p = Catalog("collagen_injection");
  const ReminderRecord r = Planned(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      p, ReminderKind::REMINDER_KIND_APPOINTMENT);
  const RenderedMessage m = Render({.reminder = &r,
                                    .protocol = &p,
                                    .locale = "de",
                                    .first_name = "",
                                    .clinic = kClinic,
                                    .time_zone = BerlinZone(),
                                    .channel = patient::v1::CHANNEL_SMS});
  EXPECT_TRUE(m.subject.empty());
  EXPECT_THAT(m.body, HasSubstr("Guten Tag,"));
}

TEST(NotificationTemplatesTest, TranslationPicking) {
  protocol::v1::LocalizedText text;
  auto add = [&](const char* locale, const char* t) {
    auto* tr = text.add_translations();
    tr->set_locale(locale);
    tr->set_text(t);
  };
  add("en", "english");
  add("de", "deutsch");
  add("de-AT", "österreichisch");
  bool fell_back = false;
  EXPECT_EQ(PickTranslation(text, "de-AT", &fell_back), "österreichisch");
  EXPECT_EQ(PickTranslation(text, "de-CH", &fell_back), "deutsch");
  EXPECT_FALSE(fell_back);
  EXPECT_EQ(PickTranslation(text, "it", &fell_back), "english");
  EXPECT_TRUE(fell_back);
}

TEST(NotificationTemplatesTest, DateFormats) {
  EXPECT_EQ(FormatLocalDateTime(Berlin(2026, 3, 24, 10, 0), BerlinZone(), "de"),
            "Dienstag, 24. März 2026, 10:00 Uhr");
  EXPECT_EQ(FormatLocalDateTime(Berlin(2026, 3, 24, 10, 0), BerlinZone(), "en"),
            "Tuesday, 24 March 2026, 10:00");
  EXPECT_EQ(FormatLocalDate(absl::CivilDay(2026, 12, 6), "de"), "Sonntag, 6. Dezember 2026");
  EXPECT_EQ(LanguageOf("de-AT"), "de");
  EXPECT_EQ(LanguageOf("EN_us"), "en");
  EXPECT_EQ(LanguageOf("x"), "other");
}

// waitlist.offer_made: one message at once, in the patient's language,
// naming the slot and the hold's end in local time, without any link (the
// accept link is appended by the patient-actions work); offer_taken ends it.
TEST(NotificationTemplatesTest, WaitlistOfferInGermanAndEnglish) {
  const auto& p = Catalog("mesotherapy_hydralift");
  AppointmentInfo slot = Appointment("", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  Event made = Envelope(Berlin(2026, 3, 20, 12, 0));
  made.mutable_waitlist_offer_made()->set_offer_id("of_1");
  made.mutable_waitlist_offer_made()->set_entry_id("wl_1");
  *made.mutable_waitlist_offer_made()->mutable_slot() = slot;
  made.mutable_waitlist_offer_made()->mutable_hold_until()->set_seconds(
      absl::ToUnixSeconds(Berlin(2026, 3, 20, 14, 0)));
  const ReminderRecord r = Planned(made, p, ReminderKind::REMINDER_KIND_WAITLIST_OFFER);
  EXPECT_EQ(r.data.offer_id(), "of_1");
  EXPECT_EQ(r.data.original_due_ms(), absl::ToUnixMillis(Berlin(2026, 3, 20, 12, 0)));
  const RenderedMessage de = RenderFor(r, p, "de");
  EXPECT_THAT(de.subject, HasSubstr("früherer Termin"));
  EXPECT_THAT(de.body, HasSubstr("Dienstag, 24. März 2026, 10:00 Uhr"));
  EXPECT_THAT(de.body, HasSubstr("bis Freitag, 20. März 2026, 14:00 Uhr"));
  EXPECT_THAT(de.body, Not(HasSubstr("http")));
  const RenderedMessage en = RenderFor(r, p, "en", patient::v1::CHANNEL_SMS);
  EXPECT_THAT(en.body, HasSubstr("earlier appointment"));
  EXPECT_THAT(en.body, HasSubstr("until"));
  EXPECT_TRUE(en.subject.empty());

  Event taken = Envelope(Berlin(2026, 3, 20, 12, 30));
  taken.mutable_waitlist_offer_taken()->set_offer_id("of_1");
  *taken.mutable_waitlist_offer_taken()->mutable_slot() = slot;
  absl::StatusOr<Plan> plan = PlanReminders({&taken, nullptr, nullptr});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->endings.size(), 1u);
  EXPECT_TRUE(plan->endings[0].selector.Matches(r.data));
  internal::StoredReminder other = r.data;
  other.set_offer_id("of_2");
  EXPECT_FALSE(plan->endings[0].selector.Matches(other));
}

}  // namespace
}  // namespace dermaflow::notification
