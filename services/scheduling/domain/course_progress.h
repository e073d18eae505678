// A course's life cycle as pure functions: PLANNED until a session is
// fulfilled, ACTIVE while more are to come, COMPLETED when the last one is
// fulfilled (or CompleteCourse ends it early) with the maintenance due date
// set, CANCELLED by CancelCourse. The due date is the clinic-local date of the
// last fulfilled session plus the protocol's maintenance interval in calendar
// months (clamped to the month's end).
//
//   if (RecordFulfilledSession(course, appointment, months, now)) publish CourseCompleted;
#pragma once

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "dermaflow/scheduling/v1/appointment.pb.h"

namespace dermaflow::scheduling {

// Counts `fulfilled` (a session of `course`, now FULFILLED). Returns true when
// that completed the course; `maintenance_months` 0 means no maintenance.
bool RecordFulfilledSession(v1::Course& course, const v1::Appointment& fulfilled,
                            int maintenance_months, absl::Time now);

// Marks the course COMPLETED after `last_fulfilled` (CompleteCourse and the
// last session), with the maintenance due date when maintenance_months > 0.
void MarkCourseCompleted(v1::Course& course, const v1::Appointment& last_fulfilled,
                         int maintenance_months, absl::Time now);

// FAILED_PRECONDITION COURSE_STATE unless the course is PLANNED or ACTIVE
// (or only ACTIVE when `require_active`).
absl::Status CheckCourseOpen(const v1::Course& course, bool require_active);

// "PLANNED", "ACTIVE", ...
std::string CourseStateName(v1::CourseState state);

}  // namespace dermaflow::scheduling
