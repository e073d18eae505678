#include "services/scheduling/domain/confirmation_rules.h"

#include <gtest/gtest.h>

#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

using testing::Berlin;
using testing::Local;

v1::ConfirmationPolicy Policy(absl::Duration lead, absl::Duration within) {
  v1::ConfirmationPolicy p;
  *p.mutable_request_lead() = ToProtoDuration(lead);
  *p.mutable_answer_within() = ToProtoDuration(within);
  return p;
}

std::vector<std::string> Violations(const v1::ConfirmationPolicy& p) {
  common::FieldViolations v;
  ValidateConfirmationPolicy(p, "clinic.confirmation_policy", v);
  return common::ViolatedFields(v.ToStatus());
}

v1::Appointment Booked(absl::Time start, const v1::Confirmation& c) {
  v1::Appointment a;
  a.set_id("ap_1");
  a.set_state(v1::APPOINTMENT_STATE_BOOKED);
  *a.mutable_start_time() = ToTimestamp(start);
  *a.mutable_confirmation() = c;
  return a;
}

TEST(ConfirmationPolicyTest, DefaultsAreValidAnd48hWith24hToAnswer) {
  EXPECT_TRUE(Violations(v1::ConfirmationPolicy()).empty());
  const ConfirmationTimes t = EffectiveTimes(v1::ConfirmationPolicy());
  EXPECT_TRUE(t.enabled);
  EXPECT_EQ(t.request_lead, absl::Hours(48));
  EXPECT_EQ(t.answer_within, absl::Hours(24));
}

TEST(ConfirmationPolicyTest, NamesTheBadField) {
  EXPECT_EQ(Violations(Policy(absl::Minutes(30), absl::Minutes(15))),
            std::vector<std::string>{"clinic.confirmation_policy.request_lead"});
  EXPECT_EQ(Violations(Policy(absl::Hours(24 * 31), absl::Hours(1))),
            std::vector<std::string>{"clinic.confirmation_policy.request_lead"});
  EXPECT_EQ(Violations(Policy(absl::Hours(2), absl::Hours(3))),
            std::vector<std::string>{"clinic.confirmation_policy.answer_within"});
  EXPECT_EQ(Violations(Policy(absl::Hours(2), absl::Minutes(10))),
            std::vector<std::string>{"clinic.confirmation_policy.answer_within"});
  EXPECT_EQ(Violations(Policy(absl::Hours(2), absl::Seconds(1000))),
            std::vector<std::string>{"clinic.confirmation_policy.answer_within"});
  // answer_within alone is checked against the default lead (48 h).
  v1::ConfirmationPolicy only_within;
  *only_within.mutable_answer_within() = ToProtoDuration(absl::Hours(49));
  EXPECT_EQ(Violations(only_within),
            std::vector<std::string>{"clinic.confirmation_policy.answer_within"});
  EXPECT_TRUE(Violations(Policy(absl::Hours(1), absl::Hours(1))).empty());
  EXPECT_TRUE(Violations(Policy(absl::Hours(720), absl::Minutes(15))).empty());
}

TEST(PlanConfirmationTest, RequestsLeadBeforeWithDeadline) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  const v1::Confirmation c =
      PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), Local(2027, 1, 4, 9, 0));
  EXPECT_EQ(c.state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  EXPECT_EQ(ToTime(c.request_time()), Local(2027, 1, 12, 10, 0));
  EXPECT_EQ(ToTime(c.answer_deadline()), Local(2027, 1, 13, 10, 0));
}

TEST(PlanConfirmationTest, WholeDaysKeepTheLocalTimeAcrossDst) {
  // Berlin springs forward on Sunday 2027-03-28: 48 h before Monday 10:00
  // CEST is Saturday 10:00 CET on the clinic's calendar (47 real hours).
  const absl::Time start = Local(2027, 3, 29, 10, 0);
  const v1::Confirmation c =
      PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), Local(2027, 3, 1, 9, 0));
  EXPECT_EQ(ToTime(c.request_time()), Local(2027, 3, 27, 10, 0));
  EXPECT_EQ(start - ToTime(c.request_time()), absl::Hours(47));
  // A lead that is not whole days is exact.
  const v1::Confirmation exact = PlanConfirmation(Policy(absl::Hours(36), absl::Hours(12)), start,
                                                  Berlin(), Local(2027, 3, 1, 9, 0));
  EXPECT_EQ(start - ToTime(exact.request_time()), absl::Hours(36));
}

TEST(PlanConfirmationTest, BookedInsideTheLeadIsAskedAtOnceWithDeadlineBeforeStart) {
  const absl::Time now = Local(2027, 1, 13, 15, 0);
  const absl::Time start = Local(2027, 1, 14, 10, 0);  // tomorrow
  const v1::Confirmation c = PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), now);
  EXPECT_EQ(ToTime(c.request_time()), now);
  EXPECT_EQ(ToTime(c.answer_deadline()), start);  // 24 h would pass the start
}

TEST(PlanConfirmationTest, NoTimesWhenDisabledOrStartingWithinTheHour) {
  v1::ConfirmationPolicy off;
  off.set_disabled(true);
  const absl::Time now = Local(2027, 1, 4, 9, 0);
  const v1::Confirmation disabled = PlanConfirmation(off, now + absl::Hours(72), Berlin(), now);
  EXPECT_EQ(disabled.state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);
  EXPECT_FALSE(disabled.has_request_time());
  const v1::Confirmation soon =
      PlanConfirmation(v1::ConfirmationPolicy(), now + absl::Minutes(50), Berlin(), now);
  EXPECT_FALSE(soon.has_request_time());
  EXPECT_FALSE(NextConfirmationCheck(Booked(now + absl::Hours(72), disabled)));
}

TEST(AdvanceConfirmationTest, RequestThenNoAnswer) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  v1::Appointment a = Booked(
      start, PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), Local(2027, 1, 4, 9, 0)));
  EXPECT_EQ(*NextConfirmationCheck(a), Local(2027, 1, 12, 10, 0));
  EXPECT_EQ(AdvanceConfirmation(a, Local(2027, 1, 12, 9, 59)), ConfirmationStep::kNone);
  EXPECT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_NOT_REQUESTED);

  EXPECT_EQ(AdvanceConfirmation(a, Local(2027, 1, 12, 10, 0)), ConfirmationStep::kRequested);
  EXPECT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_REQUESTED);
  EXPECT_EQ(*NextConfirmationCheck(a), Local(2027, 1, 13, 10, 0));
  EXPECT_EQ(AdvanceConfirmation(a, Local(2027, 1, 13, 9, 0)), ConfirmationStep::kNone);

  EXPECT_EQ(AdvanceConfirmation(a, Local(2027, 1, 13, 10, 0)), ConfirmationStep::kUnanswered);
  EXPECT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_NO_ANSWER);
  EXPECT_FALSE(NextConfirmationCheck(a));
  EXPECT_EQ(ToTime(a.update_time()), Local(2027, 1, 13, 10, 0));
}

TEST(AdvanceConfirmationTest, LateRequestKeepsItsTimeToAnswerAndNothingAfterStart) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  const v1::Confirmation planned =
      PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), Local(2027, 1, 4, 9, 0));
  v1::Appointment late = Booked(start, planned);
  // Sent 22 h late: still 24 h to answer (not the planned 2 h), up to the start.
  ASSERT_EQ(AdvanceConfirmation(late, Local(2027, 1, 13, 8, 0)), ConfirmationStep::kRequested);
  EXPECT_EQ(ToTime(late.confirmation().answer_deadline()), Local(2027, 1, 14, 8, 0));
  v1::Appointment later = Booked(start, planned);
  ASSERT_EQ(AdvanceConfirmation(later, Local(2027, 1, 14, 7, 0)), ConfirmationStep::kRequested);
  EXPECT_EQ(ToTime(later.confirmation().answer_deadline()), start);

  v1::Appointment missed = Booked(start, planned);
  EXPECT_EQ(AdvanceConfirmation(missed, start + absl::Minutes(1)), ConfirmationStep::kNone);
  EXPECT_FALSE(missed.confirmation().has_request_time());
  EXPECT_FALSE(NextConfirmationCheck(missed));
}

TEST(AdvanceConfirmationTest, NothingForAppointmentsNoLongerBooked) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  v1::Appointment a = Booked(
      start, PlanConfirmation(v1::ConfirmationPolicy(), start, Berlin(), Local(2027, 1, 4, 9, 0)));
  a.set_state(v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_FALSE(NextConfirmationCheck(a));
  EXPECT_EQ(AdvanceConfirmation(a, start), ConfirmationStep::kNone);
}

TEST(ApplyAnswerTest, RecordsOnceAndRefusesTheOtherFinalAnswer) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  const absl::Time now = Local(2027, 1, 12, 11, 0);
  v1::Appointment a = Booked(start, v1::Confirmation());
  a.mutable_confirmation()->set_state(v1::CONFIRMATION_STATE_REQUESTED);

  ASSERT_TRUE(
      *ApplyAnswer(a, v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_SMS, "svc", now));
  EXPECT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_CONFIRMED);
  EXPECT_EQ(a.confirmation().answered_via(), v1::CONFIRMATION_CHANNEL_SMS);
  EXPECT_EQ(ToTime(a.confirmation().answer_time()), now);
  const v1::Appointment once = a;

  EXPECT_FALSE(*ApplyAnswer(a, v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_LINK,
                            "svc", now + absl::Hours(1)));
  EXPECT_EQ(a.confirmation().answered_via(), v1::CONFIRMATION_CHANNEL_SMS);  // unchanged
  absl::StatusOr<bool> other =
      ApplyAnswer(a, v1::CONFIRMATION_STATE_DECLINED, v1::CONFIRMATION_CHANNEL_LINK, "svc", now);
  EXPECT_EQ(other.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(other.status().message().find("CONFIRMED"), std::string::npos);
  EXPECT_EQ(a.SerializeAsString(), once.SerializeAsString());
}

TEST(ApplyAnswerTest, AConfirmedPatientMayStillAskForAnotherTime) {
  const absl::Time now = Local(2027, 1, 12, 11, 0);
  v1::Appointment a = Booked(Local(2027, 1, 14, 10, 0), v1::Confirmation());
  a.mutable_confirmation()->set_state(v1::CONFIRMATION_STATE_REQUESTED);
  ASSERT_TRUE(
      *ApplyAnswer(a, v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_SMS, "svc", now));
  ASSERT_TRUE(*ApplyAnswer(a, v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED,
                           v1::CONFIRMATION_CHANNEL_LINK, "p", now));
  EXPECT_EQ(a.confirmation().state(), v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED);
}

TEST(ApplyAnswerTest, NoAnswerAndRescheduleRequestStayOpen) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  v1::Appointment a = Booked(start, v1::Confirmation());
  a.mutable_confirmation()->set_state(v1::CONFIRMATION_STATE_NO_ANSWER);
  ASSERT_TRUE(*ApplyAnswer(a, v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED,
                           v1::CONFIRMATION_CHANNEL_STAFF, "rita", start - absl::Hours(3)));
  ASSERT_TRUE(*ApplyAnswer(a, v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_STAFF,
                           "rita", start - absl::Hours(2)));
  EXPECT_EQ(a.confirmation().answered_by(), "rita");
}

TEST(ApplyAnswerTest, RefusedForCancelledOrStartedAppointments) {
  const absl::Time start = Local(2027, 1, 14, 10, 0);
  v1::Appointment cancelled = Booked(start, v1::Confirmation());
  cancelled.set_state(v1::APPOINTMENT_STATE_CANCELLED);
  EXPECT_EQ(ApplyAnswer(cancelled, v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_LINK,
                        "svc", start - absl::Hours(5))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  v1::Appointment started = Booked(start, v1::Confirmation());
  absl::StatusOr<bool> late = ApplyAnswer(started, v1::CONFIRMATION_STATE_CONFIRMED,
                                          v1::CONFIRMATION_CHANNEL_LINK, "svc", start);
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(late.status().message().find("started"), std::string::npos);
}

TEST(ValidateAnswerTest, OnlyTheThreeAnswers) {
  EXPECT_TRUE(ValidateAnswer(v1::CONFIRMATION_STATE_DECLINED, "answer").ok());
  for (auto bad : {v1::CONFIRMATION_STATE_UNSPECIFIED, v1::CONFIRMATION_STATE_REQUESTED,
                   v1::CONFIRMATION_STATE_NO_ANSWER}) {
    absl::Status s = ValidateAnswer(bad, "answer");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find("answer"), std::string::npos);
  }
}

}  // namespace
}  // namespace dermaflow::scheduling
