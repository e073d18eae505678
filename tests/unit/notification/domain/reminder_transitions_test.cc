#include "services/notification/domain/reminder_transitions.h"

#include "gtest/gtest.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {
namespace {

using v1::ReminderState;

ReminderRecord In(ReminderState state) {
  ReminderRecord r;
  r.id = "0123456789abcdef";
  r.state = state;
  r.data.set_attempts(6);
  r.data.set_due_ms(1000);
  return r;
}

const absl::Time kNow = absl::FromUnixSeconds(1'780'000'000);

TEST(NotificationCancelTransitionTest, PendingRemindersCanBeCancelled) {
  for (ReminderState s :
       {ReminderState::REMINDER_STATE_SCHEDULED, ReminderState::REMINDER_STATE_RETRYING}) {
    absl::StatusOr<ReminderRecord> r = CancelTransition(In(s), "", "u-17", kNow);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->state, ReminderState::REMINDER_STATE_CANCELLED);
    EXPECT_EQ(r->data.state_detail(), "cancelled by u-17");
    EXPECT_EQ(r->data.update_ms(), ToMillis(kNow));
  }
  EXPECT_EQ(
      CancelTransition(In(ReminderState::REMINDER_STATE_SCHEDULED), "patient asked", "u", kNow)
          ->data.state_detail(),
      "patient asked");
}

TEST(NotificationCancelTransitionTest, OtherStatesAreAFailedPrecondition) {
  for (ReminderState s :
       {ReminderState::REMINDER_STATE_IN_FLIGHT, ReminderState::REMINDER_STATE_DELIVERED,
        ReminderState::REMINDER_STATE_CANCELLED, ReminderState::REMINDER_STATE_SUPPRESSED,
        ReminderState::REMINDER_STATE_DEAD_LETTER}) {
    absl::Status status = CancelTransition(In(s), "", "u", kNow).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << s;
    EXPECT_TRUE(
        status.GetPayload("type.googleapis.com/google.rpc.PreconditionFailure").has_value());
  }
}

TEST(NotificationRequeueTransitionTest, DeadLettersGoBackToTheQueueNow) {
  absl::StatusOr<ReminderRecord> r =
      RequeueTransition(In(ReminderState::REMINDER_STATE_DEAD_LETTER), kNow);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(r->data.attempts(), 0);
  EXPECT_EQ(r->data.due_ms(), ToMillis(kNow));
}

TEST(NotificationRequeueTransitionTest, ScheduledIsReturnedUnchangedOthersRefused) {
  const ReminderRecord scheduled = In(ReminderState::REMINDER_STATE_SCHEDULED);
  EXPECT_EQ(RequeueTransition(scheduled, kNow)->data.SerializeAsString(),
            scheduled.data.SerializeAsString());
  EXPECT_EQ(RequeueTransition(In(ReminderState::REMINDER_STATE_DELIVERED), kNow).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace dermaflow::notification
