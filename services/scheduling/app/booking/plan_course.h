// PlanCourse: every session of a treatment course planned around the busy
// calendars (course_planning.h decides where each session goes), then booked
// in one step by the store. A session taken by a racing booking meanwhile
// makes it plan again (up to three times). validate_only returns the plan.
//
//   DF_ASSIGN_OR_RETURN(v1::Course course, BookCourse(deps, call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Course> BookCourse(SchedulingDeps& deps, const CallContext& call,
                                      const v1::PlanCourseRequest& request);

}  // namespace dermaflow::scheduling
