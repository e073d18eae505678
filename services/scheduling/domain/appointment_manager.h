// The appointment life cycle after booking (check-in, completion,
// cancellation, no-show, staff notes) and the read side (appointments and
// courses, single and listed), plus ending courses (CancelCourse,
// CompleteCourse). Each change is computed by the pure state functions
// (appointment_state.h, course_progress.h) on what was read and committed
// with its events only if nothing changed meanwhile; a lost race is retried.
//
//   AppointmentManager appointments(deps);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, appointments.CheckIn(call, request));
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/domain/appointment_events.h"
#include "services/scheduling/domain/scheduling_deps.h"

namespace dermaflow::scheduling {

class AppointmentManager {
 public:
  explicit AppointmentManager(SchedulingDeps deps)
      : deps_(deps), page_tokens_([r = &deps.resources] { return r->PageTokenSecret(); }) {}

  absl::StatusOr<v1::Appointment> GetAppointment(const CallContext& call,
                                                 const v1::GetAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> UpdateAppointment(const CallContext& call,
                                                    const v1::UpdateAppointmentRequest& request);
  absl::StatusOr<v1::ListAppointmentsResponse> ListAppointments(
      const CallContext& call, const v1::ListAppointmentsRequest& request);
  absl::StatusOr<v1::Appointment> CancelAppointment(const CallContext& call,
                                                    const v1::CancelAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> CheckInAppointment(const CallContext& call,
                                                     const v1::CheckInAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> CompleteAppointment(
      const CallContext& call, const v1::CompleteAppointmentRequest& request);
  absl::StatusOr<v1::Appointment> MarkNoShow(const CallContext& call,
                                             const v1::MarkNoShowRequest& request);

  absl::StatusOr<v1::Course> GetCourse(const CallContext& call,
                                       const v1::GetCourseRequest& request);
  absl::StatusOr<v1::ListCoursesResponse> ListCourses(const CallContext& call,
                                                      const v1::ListCoursesRequest& request);
  absl::StatusOr<v1::Course> CancelCourse(const CallContext& call,
                                          const v1::CancelCourseRequest& request);
  absl::StatusOr<v1::Course> CompleteCourse(const CallContext& call,
                                            const v1::CompleteCourseRequest& request);

 private:
  // Changes one appointment with `apply` (given the clinic's zone), and its
  // course when it was the course's last session; publishes the event of
  // its new state. `etag` empty: not checked.
  using Apply = std::function<absl::Status(v1::Appointment&, absl::TimeZone)>;
  absl::StatusOr<v1::Appointment> Transition(const CallContext& call, const std::string& id,
                                             const std::string& etag, const Apply& apply);
  // Ends a course: its open sessions cancelled, then `finish` on the course.
  using Finish = std::function<absl::StatusOr<events::v1::Event>(
      v1::Course&, const CourseSnapshot&, const v1::Clinic&, const EventEnvelope&)>;
  absl::StatusOr<v1::Course> EndCourse(const CallContext& call, const std::string& id,
                                       const std::string& etag, bool require_active,
                                       const std::string& note, const Finish& finish);

  SchedulingDeps deps_;
  common::PageTokenCodec page_tokens_;
};

}  // namespace dermaflow::scheduling
