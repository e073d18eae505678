#include "services/notification/domain/reminder_planner.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/care_rules.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/time_rules.h"
#include "services/protocol/domain/catalog.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using namespace dermaflow::notification::testing;  // NOLINT
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using v1::ReminderKind;

const protocol::v1::Protocol& Catalog(const std::string& key) {
  const protocol::CatalogEntry* e = protocol::FindCatalogEntry(key);
  EXPECT_NE(e, nullptr) << key;
  return e->protocol;
}

std::vector<std::string> CatalogKeys() {
  std::vector<std::string> keys;
  for (const auto& e : protocol::BuiltInCatalog()) keys.push_back(e.key);
  return keys;
}

Plan MustPlan(const Event& e, const protocol::v1::Protocol* p,
              const v1::NotificationSettings& settings = {}) {
  absl::StatusOr<Plan> plan = PlanReminders({&e, p, &settings});
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? *plan : Plan{};
}

// kind -> due times (Berlin civil), for compact expectations.
std::multimap<ReminderKind, absl::Time> Dues(const Plan& plan) {
  std::multimap<ReminderKind, absl::Time> out;
  for (const NewReminder& r : plan.creates)
    out.emplace(KindOf(r.data), FromMillis(r.data.due_ms()));
  return out;
}

class NotificationCatalogPlannerTest : public ::testing::TestWithParam<std::string> {
 protected:
  const protocol::v1::Protocol& protocol() { return Catalog(GetParam()); }
  AppointmentInfo Session() {
    return Appointment("a-1", "p-1", "proto-" + GetParam(), Berlin(2026, 3, 24, 10, 0));
  }
};

TEST_P(NotificationCatalogPlannerTest, BookingPlansTheAppointmentReminderADayBefore) {
  const Plan plan = MustPlan(Booked(Session(), Berlin(2026, 3, 10, 9, 0)), &protocol());
  ASSERT_THAT(plan.creates, SizeIs(1));
  const NewReminder& r = plan.creates[0];
  EXPECT_EQ(KindOf(r.data), ReminderKind::REMINDER_KIND_APPOINTMENT);
  EXPECT_EQ(r.data.rule_code(), "lead_24h");
  EXPECT_EQ(FromMillis(r.data.due_ms()), Berlin(2026, 3, 23, 10, 0));
  EXPECT_EQ(r.data.original_due_ms(), r.data.due_ms());
  EXPECT_EQ(r.data.patient_id(), "p-1");
  EXPECT_EQ(r.data.protocol_id(), "proto-" + GetParam());
  EXPECT_TRUE(HasFacialArea(r.data.areas()));
  EXPECT_EQ(plan.appointment_id, "a-1");
  ASSERT_TRUE(plan.clinic.has_value());
  EXPECT_EQ(plan.clinic->display_name, "Dermaflow Berlin Mitte");
  // Replanning the same event plans the same reminder.
  EXPECT_EQ(MustPlan(Booked(Session(), Berlin(2026, 3, 10, 9, 0)), &protocol()).creates[0].id,
            r.id);
}

TEST_P(NotificationCatalogPlannerTest, CompletionPlansAftercareCheckInAndFollowUps) {
  const absl::Time completed = Berlin(2026, 3, 24, 10, 40);
  const Plan plan = MustPlan(
      Fulfilled(Session(), completed, {scheduling::v1::SIDE_EFFECT_BRUISING}), &protocol());
  const auto dues = Dues(plan);
  EXPECT_EQ(dues.count(ReminderKind::REMINDER_KIND_AFTERCARE), 1u);
  EXPECT_EQ(dues.find(ReminderKind::REMINDER_KIND_AFTERCARE)->second, completed);
  if (protocol().has_aftercare_check_in_offset()) {
    EXPECT_EQ(
        dues.find(ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN)->second,
        AddOffset(completed, ToDuration(protocol().aftercare_check_in_offset()), BerlinZone()));
  }
  EXPECT_EQ(dues.count(ReminderKind::REMINDER_KIND_FOLLOW_UP),
            static_cast<size_t>(protocol().follow_ups_size()));
  EXPECT_EQ(dues.count(ReminderKind::REMINDER_KIND_NEXT_SESSION), 0u);  // not a course session
  for (const NewReminder& r : plan.creates) {
    EXPECT_EQ(r.data.appointment_id(), "a-1");
    if (KindOf(r.data) == ReminderKind::REMINDER_KIND_AFTERCARE) {
      EXPECT_NE(r.data.side_effects(), 0u);  // rendering picks the arnica rule from it
      EXPECT_TRUE(HasFacialArea(r.data.areas()));
    }
  }
}

TEST_P(NotificationCatalogPlannerTest, CourseCompletionPlansMaintenanceAndTheNudge) {
  const Plan plan = MustPlan(
      CourseCompleted("c-1", "p-1", "proto-" + GetParam(), 2026, 9, 24, Berlin(2026, 3, 24, 11, 0)),
      &protocol());
  ASSERT_TRUE(protocol().has_maintenance());
  const auto dues = Dues(plan);
  // The catalog's maintenance: 14 days' lead, a nudge 30 days after, at 10:00.
  EXPECT_EQ(dues.find(ReminderKind::REMINDER_KIND_MAINTENANCE)->second, Berlin(2026, 9, 10, 10, 0));
  EXPECT_EQ(dues.find(ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE)->second,
            Berlin(2026, 10, 24, 10, 0));
  for (const NewReminder& r : plan.creates) {
    EXPECT_EQ(r.data.course_id(), "c-1");
    EXPECT_EQ(r.data.maintenance_due_date(), 20260924);
    EXPECT_TRUE(r.data.appointment_id().empty());
  }
}

INSTANTIATE_TEST_SUITE_P(BuiltInCatalog, NotificationCatalogPlannerTest,
                         ::testing::ValuesIn(CatalogKeys()),
                         [](const auto& info) { return info.param; });

TEST(NotificationReminderPlannerTest, CollagenGetsItsResultCheckOnDaySevenSameLocalTime) {
  // Completed on Friday 27 March (CET); day 7 is Friday 3 April (CEST).
  const Plan plan =
      MustPlan(Fulfilled(Appointment("a-7", "p-1", "collagen", Berlin(2026, 3, 27, 10, 0)),
                         Berlin(2026, 3, 27, 10, 30)),
               &Catalog("collagen_injection"));
  const NewReminder* check = nullptr;
  for (const NewReminder& r : plan.creates) {
    if (KindOf(r.data) == ReminderKind::REMINDER_KIND_FOLLOW_UP) check = &r;
  }
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->data.rule_code(), "day7_result_check");
  EXPECT_EQ(FromMillis(check->data.due_ms()), Berlin(2026, 4, 3, 10, 30));
  EXPECT_EQ(check->id,
            ReminderId(ReminderKind::REMINDER_KIND_FOLLOW_UP, "a-7", "day7_result_check"));
}

TEST(NotificationReminderPlannerTest, CourseSessionPlansTheNextSessionReminder) {
  AppointmentInfo info = Appointment("a-1", "p-1", "hydralift", Berlin(2026, 3, 24, 10, 0));
  info.set_course_id("c-1");
  info.set_course_session_index(1);
  info.set_course_session_count(3);
  *info.mutable_next_session_start_time() = ToTimestamp(Berlin(2026, 3, 31, 10, 0));
  info.set_next_session_appointment_id("a-2");
  const Plan plan =
      MustPlan(Fulfilled(info, Berlin(2026, 3, 24, 10, 35)), &Catalog("mesotherapy_hydralift"));
  const NewReminder* next = nullptr;
  for (const NewReminder& r : plan.creates) {
    if (KindOf(r.data) == ReminderKind::REMINDER_KIND_NEXT_SESSION) next = &r;
  }
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(FromMillis(next->data.due_ms()), Berlin(2026, 3, 25, 10, 35));  // 24 h after completion
  EXPECT_EQ(next->data.next_appointment_id(), "a-2");
  EXPECT_EQ(FromMillis(next->data.next_session_start_ms()), Berlin(2026, 3, 31, 10, 0));
  EXPECT_EQ(next->data.session_index(), 1);
  EXPECT_EQ(next->data.session_count(), 3);
  EXPECT_EQ(next->data.course_id(), "c-1");
}

TEST(NotificationReminderPlannerTest, NoNextSessionReminderWhenTheSessionIsSooner) {
  AppointmentInfo info = Appointment("a-1", "p-1", "hydralift", Berlin(2026, 3, 24, 10, 0));
  info.set_course_id("c-1");
  *info.mutable_next_session_start_time() = ToTimestamp(Berlin(2026, 3, 25, 9, 0));
  v1::NotificationSettings settings;
  *settings.mutable_next_session_delay() = ToProtoDuration(absl::Hours(24));
  const Plan plan = MustPlan(Fulfilled(info, Berlin(2026, 3, 24, 10, 35)),
                             &Catalog("mesotherapy_hydralift"), settings);
  for (const NewReminder& r : plan.creates) {
    EXPECT_NE(KindOf(r.data), ReminderKind::REMINDER_KIND_NEXT_SESSION);
  }
}

TEST(NotificationReminderPlannerTest, OrganizationLeadsPlanOneReminderEach) {
  v1::NotificationSettings settings;
  *settings.add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(24));
  *settings.add_appointment_reminder_leads() = ToProtoDuration(absl::Hours(72));
  const Plan plan = MustPlan(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 30, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      &Catalog("mesotherapy_hydralift"), settings);
  std::map<std::string, absl::Time> by_rule;
  for (const NewReminder& r : plan.creates)
    by_rule[r.data.rule_code()] = FromMillis(r.data.due_ms());
  EXPECT_EQ(by_rule["lead_72h"], Berlin(2026, 3, 27, 10, 0));
  EXPECT_EQ(by_rule["lead_24h"], Berlin(2026, 3, 29, 10, 0));  // Sunday after the DST change
  EXPECT_THAT(by_rule, SizeIs(2));
}

TEST(NotificationReminderPlannerTest,
     SundayAppointmentAfterSpringForwardIsRemindedSaturdaySameLocalTime) {
  const Plan plan = MustPlan(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 29, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      &Catalog("collagen_injection"));
  ASSERT_THAT(plan.creates, SizeIs(1));
  EXPECT_EQ(FromMillis(plan.creates[0].data.due_ms()), Berlin(2026, 3, 28, 10, 0));
}

TEST(NotificationReminderPlannerTest,
     SundayAppointmentAfterFallBackIsRemindedSaturdaySameLocalTime) {
  const Plan plan = MustPlan(Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 10, 25, 10, 0)),
                                    Berlin(2026, 10, 1, 9, 0)),
                             &Catalog("collagen_injection"));
  ASSERT_THAT(plan.creates, SizeIs(1));
  EXPECT_EQ(FromMillis(plan.creates[0].data.due_ms()), Berlin(2026, 10, 24, 10, 0));
}

TEST(NotificationReminderPlannerTest, LateBookingGetsOneReminderRightAway) {
  const absl::Time booked = Berlin(2026, 3, 24, 7, 0);
  const Plan plan =
      MustPlan(Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), booked),
               &Catalog("mesotherapy_hydralift"));
  ASSERT_THAT(plan.creates, SizeIs(1));
  EXPECT_EQ(FromMillis(plan.creates[0].data.due_ms()), booked);
}

TEST(NotificationReminderPlannerTest, PastAppointmentGetsNoReminder) {
  const Plan plan = MustPlan(Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)),
                                    Berlin(2026, 3, 24, 11, 0)),
                             &Catalog("mesotherapy_hydralift"));
  EXPECT_THAT(plan.creates, IsEmpty());
}

TEST(NotificationReminderPlannerTest, PreCareRuleStartingBeforeTheLeadGetsItsOwnReminder) {
  protocol::v1::Protocol p = Catalog("mesotherapy_hydralift");
  auto* rule = p.add_pre_care();
  rule->set_code("no_alcohol");
  *rule->mutable_offset() = ToProtoDuration(absl::Hours(48));
  rule->set_applies_when(protocol::v1::CARE_CONDITION_ALWAYS);
  const Plan plan = MustPlan(
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0)),
      &p);
  std::map<std::string, absl::Time> by_rule;
  for (const NewReminder& r : plan.creates)
    by_rule[r.data.rule_code()] = FromMillis(r.data.due_ms());
  EXPECT_EQ(by_rule["precare_no_alcohol"], Berlin(2026, 3, 22, 10, 0));
  EXPECT_EQ(by_rule["lead_24h"], Berlin(2026, 3, 23, 10, 0));
}

TEST(NotificationReminderPlannerTest, BookingEndsMaintenanceRemindersOfTheSameProtocol) {
  const Plan plan =
      MustPlan(Booked(Appointment("a-9", "p-1", "hydralift", Berlin(2026, 9, 20, 10, 0)),
                      Berlin(2026, 9, 1, 9, 0)),
               &Catalog("mesotherapy_hydralift"));
  ASSERT_THAT(plan.endings, SizeIs(1));
  internal::StoredReminder maintenance;
  maintenance.set_kind(ReminderKind::REMINDER_KIND_MAINTENANCE_NUDGE);
  maintenance.set_protocol_id("hydralift");
  EXPECT_TRUE(plan.endings[0].selector.Matches(maintenance));
  maintenance.set_protocol_id("collagen");
  EXPECT_FALSE(plan.endings[0].selector.Matches(maintenance));
}

TEST(NotificationReminderPlannerTest, RescheduleReplacesTheAppointmentReminders) {
  const AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  const Plan booked = MustPlan(Booked(info, Berlin(2026, 3, 1, 9, 0)), &Catalog("mesobotox"));
  const Plan moved =
      MustPlan(Rescheduled(info, Berlin(2026, 3, 26, 15, 0), Berlin(2026, 3, 2, 9, 0)),
               &Catalog("mesobotox"));
  ASSERT_THAT(moved.creates, SizeIs(1));
  EXPECT_NE(moved.creates[0].id, booked.creates[0].id);
  EXPECT_EQ(FromMillis(moved.creates[0].data.due_ms()), Berlin(2026, 3, 25, 15, 0));
  ASSERT_THAT(moved.endings, SizeIs(1));
  EXPECT_EQ(moved.endings[0].detail, "appointment moved");
  EXPECT_TRUE(moved.endings[0].selector.Matches(booked.creates[0].data));
  ASSERT_TRUE(moved.next_session_move.has_value());
  EXPECT_EQ(moved.next_session_move->appointment_id, "a-1");
  EXPECT_GT(moved.appointment_update_ms, booked.appointment_update_ms);
}

TEST(NotificationReminderPlannerTest, CancellationAndNoShowEndTheAppointmentsReminders) {
  const AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  const Plan booked = MustPlan(Booked(info, Berlin(2026, 3, 1, 9, 0)), &Catalog("mesobotox"));
  for (const Event& e :
       {Cancelled(info, Berlin(2026, 3, 5, 9, 0)), NoShow(info, Berlin(2026, 3, 24, 11, 0))}) {
    const Plan plan = MustPlan(e, nullptr);
    EXPECT_THAT(plan.creates, IsEmpty());
    ASSERT_THAT(plan.endings, SizeIs(2));
    EXPECT_TRUE(plan.endings[0].selector.Matches(booked.creates[0].data));
    EXPECT_EQ(plan.endings[0].state, v1::ReminderState::REMINDER_STATE_CANCELLED);
    // The second ends NEXT_SESSION reminders announcing this appointment.
    internal::StoredReminder announcing;
    announcing.set_kind(ReminderKind::REMINDER_KIND_NEXT_SESSION);
    announcing.set_appointment_id("a-0");
    announcing.set_next_appointment_id("a-1");
    EXPECT_TRUE(plan.endings[1].selector.Matches(announcing));
  }
}

TEST(NotificationReminderPlannerTest, ConfirmationRequestIsDueAtOnceAndEndsWithTheAnswer) {
  const AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  const absl::Time asked = Berlin(2026, 3, 22, 10, 0);
  const Plan plan = MustPlan(ConfirmationRequested(info, asked), nullptr);
  ASSERT_THAT(plan.creates, SizeIs(1));
  const internal::StoredReminder& request = plan.creates[0].data;
  EXPECT_EQ(KindOf(request), ReminderKind::REMINDER_KIND_CONFIRMATION_REQUEST);
  EXPECT_EQ(FromMillis(request.due_ms()), asked);  // quiet hours apply at delivery
  EXPECT_EQ(request.appointment_id(), "a-1");
  EXPECT_EQ(plan.patient_id, "p-1");
  // Replayed: the same id, so nothing is sent twice.
  EXPECT_EQ(MustPlan(ConfirmationRequested(info, asked), nullptr).creates[0].id,
            plan.creates[0].id);

  const Plan confirmed = MustPlan(Confirmed(info, asked + absl::Hours(2)), nullptr);
  EXPECT_THAT(confirmed.creates, IsEmpty());
  ASSERT_THAT(confirmed.endings, SizeIs(1));
  EXPECT_TRUE(confirmed.endings[0].selector.Matches(request));
  const Plan booked = MustPlan(Booked(info, Berlin(2026, 3, 1, 9, 0)), &Catalog("mesobotox"));
  EXPECT_FALSE(confirmed.endings[0].selector.Matches(booked.creates[0].data));  // reminder stays

  // Cancelled and rescheduled appointments are not asked any more either.
  const Plan cancelled = MustPlan(Cancelled(info, asked + absl::Hours(1)), nullptr);
  EXPECT_TRUE(cancelled.endings[0].selector.Matches(request));
  const Plan moved = MustPlan(Rescheduled(info, Berlin(2026, 3, 30, 10, 0), asked + absl::Hours(1)),
                              &Catalog("mesobotox"));
  ASSERT_THAT(moved.endings, SizeIs(1));
  EXPECT_TRUE(moved.endings[0].selector.Matches(request));
  // The request for the new time is another reminder.
  AppointmentInfo later = info;
  *later.mutable_start_time() = ToTimestamp(Berlin(2026, 3, 30, 10, 0));
  EXPECT_NE(
      MustPlan(ConfirmationRequested(later, Berlin(2026, 3, 28, 10, 0)), nullptr).creates[0].id,
      plan.creates[0].id);
}

TEST(NotificationReminderPlannerTest, NoConfirmationRequestOnceTheSessionStarted) {
  const AppointmentInfo info = Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  EXPECT_THAT(MustPlan(ConfirmationRequested(info, Berlin(2026, 3, 24, 10, 0)), nullptr).creates,
              IsEmpty());
}

TEST(NotificationReminderPlannerTest, WithdrawnConsentWithNothingLeftSuppressesEverything) {
  const Event e = ConsentChanged("p-1", patient::v1::CHANNEL_SMS,
                                 patient::v1::CONSENT_STATE_WITHDRAWN, Berlin(2026, 3, 5, 9, 0));
  v1::NotificationSettings settings;
  absl::StatusOr<Plan> none_left = PlanReminders({&e, nullptr, &settings, false});
  ASSERT_TRUE(none_left.ok());
  ASSERT_THAT(none_left->endings, SizeIs(1));
  EXPECT_EQ(none_left->endings[0].state, v1::ReminderState::REMINDER_STATE_SUPPRESSED);
  EXPECT_EQ(none_left->endings[0].reason, v1::SuppressionReason::SUPPRESSION_REASON_NO_CONSENT);
  EXPECT_TRUE(none_left->patient_changed);

  absl::StatusOr<Plan> email_left = PlanReminders({&e, nullptr, &settings, true});
  ASSERT_TRUE(email_left.ok());
  EXPECT_THAT(email_left->endings, IsEmpty());
  EXPECT_TRUE(email_left->patient_changed);
}

TEST(NotificationReminderPlannerTest, ErasureErasesThePatient) {
  const Plan plan = MustPlan(Erased("p-1", Berlin(2026, 3, 5, 9, 0)), nullptr);
  EXPECT_TRUE(plan.erase_patient);
  EXPECT_EQ(plan.patient_id, "p-1");
}

TEST(NotificationReminderPlannerTest, EventsThatNeedAProtocolFailWithoutOne) {
  const Event e =
      Booked(Appointment("a-1", "p-1", "x", Berlin(2026, 3, 24, 10, 0)), Berlin(2026, 3, 1, 9, 0));
  v1::NotificationSettings settings;
  EXPECT_EQ(PlanReminders({&e, nullptr, &settings}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(ProtocolNeeded(e).has_value());
  EXPECT_EQ(ProtocolNeeded(e)->first, "x");
  EXPECT_EQ(ProtocolNeeded(e)->second, 1);
}

TEST(NotificationReminderPlannerTest, EventsWithoutIdsAreInvalid) {
  AppointmentInfo info = Appointment("", "p-1", "x", Berlin(2026, 3, 24, 10, 0));
  const Event e = Booked(info, Berlin(2026, 3, 1, 9, 0));
  v1::NotificationSettings settings;
  EXPECT_EQ(PlanReminders({&e, &Catalog("mesobotox"), &settings}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NotificationReminderPlannerTest, CourseCompletedWithoutMaintenanceNeedsNoProtocol) {
  Event e = CourseCompleted("c-1", "p-1", "x", 2026, 9, 24, Berlin(2026, 3, 24, 11, 0));
  e.mutable_course_completed()->clear_maintenance_due_date();
  EXPECT_FALSE(ProtocolNeeded(e).has_value());
  const Plan plan = MustPlan(e, nullptr);
  EXPECT_THAT(plan.creates, IsEmpty());
  ASSERT_THAT(plan.endings, SizeIs(1));
}

TEST(NotificationReminderPlannerTest, TypeNamesForMetrics) {
  EXPECT_EQ(EventTypeName(Booked(Appointment("a", "p", "x", Berlin(2026, 3, 24, 10, 0)),
                                 Berlin(2026, 3, 1, 9, 0))),
            "appointment.booked");
  EXPECT_EQ(EventTypeName(Erased("p", Berlin(2026, 3, 1, 9, 0))), "patient.erased");
  EXPECT_EQ(EventTypeName(Event()), "unknown");
}

}  // namespace
}  // namespace dermaflow::notification
