#include "services/scheduling/domain/course_progress.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "services/scheduling/domain/course_planning.h"
#include "services/scheduling/domain/local_time.h"

namespace dermaflow::scheduling {

std::string CourseStateName(v1::CourseState state) {
  constexpr std::string_view kPrefix = "COURSE_STATE_";
  std::string name = v1::CourseState_Name(state);
  if (name.rfind(kPrefix, 0) == 0) name.erase(0, kPrefix.size());
  return name;
}

void MarkCourseCompleted(v1::Course& course, const v1::Appointment& last_fulfilled,
                         int maintenance_months, absl::Time now) {
  course.set_state(v1::COURSE_STATE_COMPLETED);
  *course.mutable_complete_time() = ToTimestamp(now);
  *course.mutable_update_time() = ToTimestamp(now);
  course.clear_maintenance_due_date();
  if (maintenance_months <= 0) return;
  if (auto day = ToCivilDay(last_fulfilled.local_start_date())) {
    *course.mutable_maintenance_due_date() = ToDate(AddCalendarMonths(*day, maintenance_months));
  }
}

bool RecordFulfilledSession(v1::Course& course, const v1::Appointment& fulfilled,
                            int maintenance_months, absl::Time now) {
  course.set_sessions_fulfilled(course.sessions_fulfilled() + 1);
  *course.mutable_update_time() = ToTimestamp(now);
  if (course.sessions_fulfilled() < course.session_count()) {
    course.set_state(v1::COURSE_STATE_ACTIVE);
    return false;
  }
  MarkCourseCompleted(course, fulfilled, maintenance_months, now);
  return true;
}

absl::Status CheckCourseOpen(const v1::Course& course, bool require_active) {
  const bool open = course.state() == v1::COURSE_STATE_ACTIVE ||
                    (!require_active && course.state() == v1::COURSE_STATE_PLANNED);
  if (open) return absl::OkStatus();
  const std::string state = CourseStateName(course.state());
  return common::FailedPreconditionError(
      absl::StrCat("course ", course.id(), " is ", state),
      {{"COURSE_STATE", absl::StrCat("course/", course.id()),
        absl::StrCat("the course is ", state,
                     require_active ? "; only an ACTIVE course can be completed"
                                    : "; only PLANNED or ACTIVE courses can change")}});
}

}  // namespace dermaflow::scheduling
