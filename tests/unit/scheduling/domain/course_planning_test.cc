// Course planning across the Europe/Berlin DST changes (10:00 stays 10:00
// local while the UTC offset changes), the tolerance window, all-or-nothing,
// and the maintenance due date.
#include "services/scheduling/domain/course_planning.h"

#include <set>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

using testing::Berlin;
using testing::Local;

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

CoursePlanRequest Weekly(absl::Time first, int sessions = 3) {
  CoursePlanRequest r;
  r.time_zone = Berlin();
  r.first_start = first;
  r.session_count = sessions;
  r.interval_days = 7;
  r.tolerance = absl::Hours(48);
  r.step = absl::Minutes(15);
  return r;
}

absl::Status TakeAll(int, absl::Time) { return absl::OkStatus(); }

TEST(CoursePlanningTest, WeeklyTenOClockStaysLocalAcrossMarchDst) {
  // 2026-03-29: CET (+01) -> CEST (+02).
  auto plan = PlanCourseSessions(Weekly(Local(2026, 3, 18, 10, 0)), TakeAll);
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0], Utc(2026, 3, 18, 9, 0));
  EXPECT_EQ((*plan)[1], Utc(2026, 3, 25, 9, 0));
  EXPECT_EQ((*plan)[2], Utc(2026, 4, 1, 8, 0));  // still 10:00 local
  for (absl::Time t : *plan) EXPECT_EQ(absl::FormatTime("%H:%M", t, Berlin()), "10:00");
}

TEST(CoursePlanningTest, WeeklyTenOClockStaysLocalAcrossOctoberDst) {
  // 2026-10-25: CEST (+02) -> CET (+01).
  auto plan = PlanCourseSessions(Weekly(Local(2026, 10, 14, 10, 0)), TakeAll);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ((*plan)[0], Utc(2026, 10, 14, 8, 0));
  EXPECT_EQ((*plan)[1], Utc(2026, 10, 21, 8, 0));
  EXPECT_EQ((*plan)[2], Utc(2026, 10, 28, 9, 0));
  EXPECT_EQ((*plan)[2] - (*plan)[1], absl::Hours(7 * 24 + 1));  // the week has 169 hours
  for (absl::Time t : *plan) EXPECT_EQ(absl::FormatTime("%H:%M", t, Berlin()), "10:00");
}

TEST(CoursePlanningTest, TakenIdealMovesToTheNearestFreeTimeEarlierFirst) {
  const absl::Time ideal2 = Local(2026, 10, 21, 10, 0);
  std::set<absl::Time> busy = {ideal2};
  auto plan = PlanCourseSessions(Weekly(Local(2026, 10, 14, 10, 0)), [&](int, absl::Time t) {
    return busy.count(t) ? absl::AlreadyExistsError("taken") : absl::OkStatus();
  });
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ((*plan)[1], Local(2026, 10, 21, 9, 45));  // earlier wins a tie with 10:15
  busy.insert(Local(2026, 10, 21, 9, 45));
  plan = PlanCourseSessions(Weekly(Local(2026, 10, 14, 10, 0)), [&](int, absl::Time t) {
    return busy.count(t) ? absl::AlreadyExistsError("taken") : absl::OkStatus();
  });
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ((*plan)[1], Local(2026, 10, 21, 10, 15));
}

TEST(CoursePlanningTest, ToleranceWindowIsCalendarDaysOnTheLocalClock) {
  // Session 3's ideal is 2026-10-28 10:00; only times 2 days or more away
  // are free, and the window is 2 days: 2026-10-26 10:00 (across no DST
  // change) is exactly at the edge and is taken; 2 days + 15 min is not.
  auto request = Weekly(Local(2026, 10, 14, 10, 0));
  const absl::Time ideal3 = Local(2026, 10, 28, 10, 0);
  auto free_far = [&](int index, absl::Time t) {
    if (index < 3) return absl::OkStatus();
    return absl::AbsDuration(t - ideal3) >= absl::Hours(48) ? absl::OkStatus()
                                                            : absl::FailedPreconditionError("busy");
  };
  auto plan = PlanCourseSessions(request, free_far);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ((*plan)[2], Local(2026, 10, 26, 10, 0));

  const auto candidates = CandidateStarts(request, 3);
  EXPECT_EQ(candidates.front(), ideal3);
  EXPECT_EQ(candidates.size(), 1u + 2u * 48u * 4u);
  for (absl::Time t : candidates) {
    EXPECT_GE(t, Local(2026, 10, 26, 10, 0));
    EXPECT_LE(t, Local(2026, 10, 30, 10, 0));
  }
}

TEST(CoursePlanningTest, ToleranceWindowSpanningDstIsMeasuredOnTheLocalClock) {
  // Ideal Monday 2026-10-26 10:00 CET; 2 days earlier is Saturday 24th 10:00
  // CEST: 49 elapsed hours, but 2 calendar days, so still inside.
  auto request = Weekly(Local(2026, 10, 19, 10, 0), 2);
  const auto candidates = CandidateStarts(request, 2);
  EXPECT_NE(std::find(candidates.begin(), candidates.end(), Local(2026, 10, 24, 10, 0)),
            candidates.end());
  EXPECT_EQ(std::find(candidates.begin(), candidates.end(), Local(2026, 10, 24, 9, 45)),
            candidates.end());
}

TEST(CoursePlanningTest, NoSlotInToleranceFailsTheWholeCourse) {
  int calls_for_3 = 0;
  auto plan = PlanCourseSessions(Weekly(Local(2026, 6, 3, 10, 0)), [&](int index, absl::Time) {
    if (index == 3) {
      ++calls_for_3;
      return absl::FailedPreconditionError("closed");
    }
    return absl::OkStatus();
  });
  ASSERT_EQ(plan.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(calls_for_3, 1 + 2 * 48 * 4);
  auto payload = plan.status().GetPayload("type.googleapis.com/google.rpc.PreconditionFailure");
  ASSERT_TRUE(payload.has_value());
  google::rpc::PreconditionFailure detail;
  ASSERT_TRUE(detail.ParseFromString(std::string(*payload)));
  ASSERT_EQ(detail.violations_size(), 1);
  EXPECT_EQ(detail.violations(0).type(), "NO_SLOT_IN_TOLERANCE");
  EXPECT_EQ(detail.violations(0).subject(), "session/3");
}

TEST(CoursePlanningTest, FirstSessionIsNeverMovedAndItsErrorIsReturned) {
  auto plan = PlanCourseSessions(Weekly(Local(2026, 6, 3, 10, 0)), [](int index, absl::Time) {
    return index == 1 ? absl::AlreadyExistsError("slot taken") : absl::OkStatus();
  });
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(CoursePlanningTest, InfrastructureErrorsStopPlanning) {
  auto plan = PlanCourseSessions(Weekly(Local(2026, 6, 3, 10, 0)), [](int index, absl::Time) {
    return index == 2 ? absl::UnavailableError("redis down") : absl::OkStatus();
  });
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kUnavailable);
}

TEST(CoursePlanningTest, SingleSessionCourseNeedsNoInterval) {
  CoursePlanRequest r = Weekly(Local(2026, 6, 3, 10, 0), 1);
  r.interval_days = 0;
  auto plan = PlanCourseSessions(r, TakeAll);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->size(), 1u);
}

TEST(MaintenanceDueDateTest, AddsCalendarMonthsClampedToMonthEnd) {
  EXPECT_EQ(AddCalendarMonths(absl::CivilDay(2026, 3, 18), 6), absl::CivilDay(2026, 9, 18));
  EXPECT_EQ(AddCalendarMonths(absl::CivilDay(2026, 8, 31), 6), absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(AddCalendarMonths(absl::CivilDay(2027, 8, 31), 6), absl::CivilDay(2028, 2, 29));
  EXPECT_EQ(AddCalendarMonths(absl::CivilDay(2026, 10, 31), 12), absl::CivilDay(2027, 10, 31));
  EXPECT_EQ(AddCalendarMonths(absl::CivilDay(2026, 12, 15), 1), absl::CivilDay(2027, 1, 15));
}

}  // namespace
}  // namespace dermaflow::scheduling
