#include "services/notification/domain/plan_changes.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/notification/domain/reminder_id.h"
#include "services/notification/domain/time_rules.h"
#include "tests/unit/notification/event_builders.h"

namespace dermaflow::notification {
namespace {

using testing::Berlin;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using v1::ReminderKind;
using v1::ReminderState;

NewReminder Reminder(const std::string& id, ReminderKind kind, const std::string& appointment) {
  NewReminder r;
  r.id = id;
  r.data.set_patient_id("p-1");
  r.data.set_kind(kind);
  r.data.set_appointment_id(appointment);
  r.data.set_due_ms(ToMillis(Berlin(2026, 3, 23, 10, 0)));
  r.data.set_original_due_ms(r.data.due_ms());
  return r;
}

std::string Stored(ReminderState state, const NewReminder& r) {
  return EncodeRecord(state, r.data);
}

ReminderRecord Decode(const std::string& id, const std::string& bytes) {
  absl::StatusOr<ReminderRecord> r = DecodeRecord(id, bytes);
  EXPECT_TRUE(r.ok());
  return r.ok() ? *r : ReminderRecord{};
}

const absl::Time kNow = Berlin(2026, 3, 20, 12, 0);

TEST(NotificationPlanChangesTest, CreatesNewRemindersAsScheduled) {
  Plan plan;
  plan.patient_id = "p-1";
  plan.appointment_id = "a-1";
  plan.appointment_update_ms = 42;
  plan.creates.push_back(Reminder("r1", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1"));
  std::map<std::string, std::string> records;
  const WriteGroup g = ResolvePlan(plan, records, kNow);
  EXPECT_TRUE(g.atomic);
  EXPECT_EQ(g.appointment_id, "a-1");
  EXPECT_EQ(g.appointment_update_ms, 42);
  EXPECT_EQ(g.unless_erased_patient, "p-1");
  ASSERT_THAT(g.writes, SizeIs(1));
  EXPECT_EQ(g.writes[0].op, ReminderWrite::Op::kCreate);
  EXPECT_EQ(g.writes[0].patient_id, "p-1");
  EXPECT_EQ(g.writes[0].score, ToMillis(Berlin(2026, 3, 23, 10, 0)));
  const ReminderRecord stored = Decode("r1", g.writes[0].value);
  EXPECT_EQ(stored.state, ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(stored.data.create_ms(), ToMillis(kNow));
  EXPECT_EQ(records.at("r1"), g.writes[0].value);
}

TEST(NotificationPlanChangesTest, ReplayedCreatesWriteNothing) {
  Plan plan;
  plan.patient_id = "p-1";
  plan.creates.push_back(Reminder("r1", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1"));
  // Delivered or cancelled before: a replay must not bring it back.
  std::map<std::string, std::string> records = {
      {"r1", Stored(ReminderState::REMINDER_STATE_CANCELLED, plan.creates[0])}};
  EXPECT_THAT(ResolvePlan(plan, records, kNow).writes, IsEmpty());
}

TEST(NotificationPlanChangesTest, EndingsTouchOnlyMatchingOpenReminders) {
  const NewReminder scheduled = Reminder("s", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  const NewReminder retrying = Reminder("r", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  const NewReminder delivered = Reminder("d", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  const NewReminder in_flight = Reminder("i", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  const NewReminder dead = Reminder("l", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  const NewReminder other = Reminder("o", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-2");
  std::map<std::string, std::string> records = {
      {"s", Stored(ReminderState::REMINDER_STATE_SCHEDULED, scheduled)},
      {"r", Stored(ReminderState::REMINDER_STATE_RETRYING, retrying)},
      {"d", Stored(ReminderState::REMINDER_STATE_DELIVERED, delivered)},
      {"i", Stored(ReminderState::REMINDER_STATE_IN_FLIGHT, in_flight)},
      {"l", Stored(ReminderState::REMINDER_STATE_DEAD_LETTER, dead)},
      {"o", Stored(ReminderState::REMINDER_STATE_SCHEDULED, other)}};
  const auto before = records;
  Plan plan;
  plan.patient_id = "p-1";
  ReminderEnding ending;
  ending.selector.appointment_id = "a-1";
  ending.detail = "appointment cancelled";
  plan.endings.push_back(ending);
  const WriteGroup g = ResolvePlan(plan, records, kNow);
  std::set<std::string> touched;
  for (const ReminderWrite& w : g.writes) {
    touched.insert(w.id);
    EXPECT_EQ(w.op, ReminderWrite::Op::kUpdate);
    EXPECT_EQ(w.expected, before.at(w.id));
    const ReminderRecord r = Decode(w.id, w.value);
    EXPECT_EQ(r.state, ReminderState::REMINDER_STATE_CANCELLED);
    EXPECT_EQ(r.data.state_detail(), "appointment cancelled");
    EXPECT_EQ(r.data.update_ms(), ToMillis(kNow));
    EXPECT_EQ(w.score, r.data.due_ms());
  }
  EXPECT_EQ(touched, (std::set<std::string>{"s", "r", "l"}));
  EXPECT_EQ(records.at("d"), before.at("d"));
  EXPECT_EQ(records.at("i"), before.at("i"));
  EXPECT_EQ(records.at("o"), before.at("o"));
}

TEST(NotificationPlanChangesTest, SuppressionCarriesItsReason) {
  const NewReminder r = Reminder("s", ReminderKind::REMINDER_KIND_AFTERCARE_CHECK_IN, "a-1");
  std::map<std::string, std::string> records = {
      {"s", Stored(ReminderState::REMINDER_STATE_SCHEDULED, r)}};
  Plan plan;
  plan.patient_id = "p-1";
  ReminderEnding ending;
  ending.state = ReminderState::REMINDER_STATE_SUPPRESSED;
  ending.reason = v1::SuppressionReason::SUPPRESSION_REASON_NO_CONSENT;
  ending.detail = "consent withdrawn";
  plan.endings.push_back(ending);
  const WriteGroup g = ResolvePlan(plan, records, kNow);
  ASSERT_THAT(g.writes, SizeIs(1));
  const ReminderRecord out = Decode("s", g.writes[0].value);
  EXPECT_EQ(out.state, ReminderState::REMINDER_STATE_SUPPRESSED);
  EXPECT_EQ(out.data.suppression_reason(), v1::SuppressionReason::SUPPRESSION_REASON_NO_CONSENT);
}

TEST(NotificationPlanChangesTest, ARemindersPlannedAgainIsNotEndedByTheSameEvent) {
  // A reschedule to the same time plans the same id it would otherwise end.
  const NewReminder r = Reminder("same", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1");
  std::map<std::string, std::string> records = {
      {"same", Stored(ReminderState::REMINDER_STATE_SCHEDULED, r)}};
  Plan plan;
  plan.patient_id = "p-1";
  plan.creates.push_back(r);
  ReminderEnding ending;
  ending.selector.appointment_id = "a-1";
  plan.endings.push_back(ending);
  EXPECT_THAT(ResolvePlan(plan, records, kNow).writes, IsEmpty());
}

TEST(NotificationPlanChangesTest, MovedNextSessionIsAnnouncedWithItsNewTime) {
  NewReminder next = Reminder("n", ReminderKind::REMINDER_KIND_NEXT_SESSION, "a-1");
  next.data.set_next_appointment_id("a-2");
  next.data.set_next_session_start_ms(ToMillis(Berlin(2026, 3, 31, 10, 0)));
  std::map<std::string, std::string> records = {
      {"n", Stored(ReminderState::REMINDER_STATE_SCHEDULED, next)}};
  Plan plan;
  plan.patient_id = "p-1";
  plan.next_session_move = NextSessionMove{"a-2", ToMillis(Berlin(2026, 4, 1, 16, 0))};
  const WriteGroup g = ResolvePlan(plan, records, kNow);
  ASSERT_THAT(g.writes, SizeIs(1));
  const ReminderRecord out = Decode("n", g.writes[0].value);
  EXPECT_EQ(out.state, ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(FromMillis(out.data.next_session_start_ms()), Berlin(2026, 4, 1, 16, 0));
  EXPECT_EQ(out.data.due_ms(), next.data.due_ms());
}

TEST(NotificationPlanChangesTest, ChainedEventsResolveAgainstEachOthersResults) {
  Plan booked;
  booked.patient_id = "p-1";
  booked.creates.push_back(Reminder("r1", ReminderKind::REMINDER_KIND_APPOINTMENT, "a-1"));
  Plan cancelled;
  cancelled.patient_id = "p-1";
  ReminderEnding ending;
  ending.selector.appointment_id = "a-1";
  cancelled.endings.push_back(ending);
  std::map<std::string, std::string> records;
  const WriteGroup first = ResolvePlan(booked, records, kNow);
  const WriteGroup second = ResolvePlan(cancelled, records, kNow);
  ASSERT_THAT(second.writes, SizeIs(1));
  EXPECT_EQ(second.writes[0].expected, first.writes[0].value);
}

}  // namespace
}  // namespace dermaflow::notification
