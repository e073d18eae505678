// Ending a course early or by hand: CancelCourse (every open session
// cancelled, the course CANCELLED) and CompleteCourse (open sessions
// cancelled, the course COMPLETED from its last fulfilled session, with its
// maintenance due date). One commit with every event, retried on a race.
//
//   CourseEnding ending(deps);
//   DF_ASSIGN_OR_RETURN(v1::Course c, ending.CancelCourse(call, request));
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/domain/appointment_events.h"

namespace dermaflow::scheduling {

class CourseEnding {
 public:
  explicit CourseEnding(SchedulingDeps deps) : deps_(deps) {}

  absl::StatusOr<v1::Course> CancelCourse(const CallContext& call,
                                          const v1::CancelCourseRequest& request);
  absl::StatusOr<v1::Course> CompleteCourse(const CallContext& call,
                                            const v1::CompleteCourseRequest& request);

 private:
  // Ends a course: its open sessions cancelled, then `finish` on the course.
  using Finish = std::function<absl::StatusOr<events::v1::Event>(
      v1::Course&, const CourseSnapshot&, const v1::Clinic&, const EventEnvelope&)>;
  absl::StatusOr<v1::Course> EndCourse(const CallContext& call, const std::string& id,
                                       const std::string& etag, bool require_active,
                                       const std::string& note, const Finish& finish);

  SchedulingDeps deps_;
};

}  // namespace dermaflow::scheduling
