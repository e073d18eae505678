// A course's progress: ACTIVE after the first fulfilled session, COMPLETED
// with the maintenance due date after the last one.
#include "services/scheduling/domain/course_progress.h"

#include "gtest/gtest.h"
#include "services/scheduling/domain/local_time.h"
#include "tests/unit/scheduling/test_clinic.h"

namespace dermaflow::scheduling {
namespace {

v1::Appointment Session(int y, int m, int d) {
  v1::Appointment a;
  *a.mutable_local_start_date() = ToDate(absl::CivilDay(y, m, d));
  return a;
}

TEST(CourseProgressTest, LastFulfilledSessionCompletesWithMaintenanceDate) {
  v1::Course course;
  course.set_id("co_1");
  course.set_session_count(3);
  course.set_state(v1::COURSE_STATE_PLANNED);
  const absl::Time now = testing::Local(2026, 4, 1, 11, 0);
  EXPECT_FALSE(RecordFulfilledSession(course, Session(2026, 3, 18), 6, now));
  EXPECT_EQ(course.state(), v1::COURSE_STATE_ACTIVE);
  EXPECT_FALSE(RecordFulfilledSession(course, Session(2026, 3, 25), 6, now));
  EXPECT_FALSE(course.has_maintenance_due_date());
  EXPECT_TRUE(RecordFulfilledSession(course, Session(2026, 8, 31), 6, now));
  EXPECT_EQ(course.state(), v1::COURSE_STATE_COMPLETED);
  EXPECT_EQ(course.sessions_fulfilled(), 3);
  EXPECT_EQ(ToCivilDay(course.maintenance_due_date()), absl::CivilDay(2027, 2, 28));
  EXPECT_EQ(ToTime(course.complete_time()), now);
}

TEST(CourseProgressTest, NoMaintenanceLeavesTheDateUnset) {
  v1::Course course;
  course.set_session_count(1);
  EXPECT_TRUE(RecordFulfilledSession(course, Session(2026, 3, 18), 0, absl::UnixEpoch()));
  EXPECT_FALSE(course.has_maintenance_due_date());
}

TEST(CourseProgressTest, OnlyOpenCoursesChange) {
  v1::Course course;
  course.set_id("co_1");
  for (auto [state, open, active] : {std::tuple{v1::COURSE_STATE_PLANNED, true, false},
                                     {v1::COURSE_STATE_ACTIVE, true, true},
                                     {v1::COURSE_STATE_COMPLETED, false, false},
                                     {v1::COURSE_STATE_CANCELLED, false, false}}) {
    course.set_state(state);
    EXPECT_EQ(CheckCourseOpen(course, false).ok(), open) << CourseStateName(state);
    EXPECT_EQ(CheckCourseOpen(course, true).ok(), active) << CourseStateName(state);
  }
}

}  // namespace
}  // namespace dermaflow::scheduling
