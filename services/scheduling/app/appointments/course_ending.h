// Ending a course early or by hand: CancelCourse (every open session
// cancelled, the course CANCELLED) and CompleteCourse (open sessions
// cancelled, the course COMPLETED from its last fulfilled session, with its
// maintenance due date); CancelForErasedPatient is CancelCourse done by the
// service itself when the patient is erased. One commit with every event,
// retried on a race.
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
  // No role check (the service acts on patient.erased, not a person): the
  // course and its open sessions cancelled with reason PATIENT_ERASED.
  // FAILED_PRECONDITION when the course is no longer PLANNED or ACTIVE.
  absl::StatusOr<v1::Course> CancelForErasedPatient(const CallContext& call, const std::string& id);

 private:
  // Ends a course: its open sessions cancelled (`session_reason`), then
  // `finish` on the course. `etag` empty: not checked.
  using Finish = std::function<absl::StatusOr<events::v1::Event>(
      v1::Course&, const CourseSnapshot&, const v1::Clinic&, const EventEnvelope&)>;
  struct Ending {
    bool require_active = false;
    v1::CancellationReason session_reason = v1::CANCELLATION_REASON_COURSE_ENDED;
    std::string note;
  };
  absl::StatusOr<v1::Course> EndCourse(const CallContext& call, const std::string& id,
                                       const std::string& etag, const Ending& ending,
                                       const Finish& finish);
  // The course CANCELLED with `cancellation` (CancelCourse's finish).
  Finish Cancelled(const CallContext& call, const v1::Cancellation& cancellation);

  SchedulingDeps deps_;
};

}  // namespace dermaflow::scheduling
