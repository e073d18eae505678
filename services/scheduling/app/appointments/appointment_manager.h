// Everything about appointments after booking, as one object the gRPC edge
// holds: the life cycle (appointment_life_cycle.h), the read side
// (schedule_reader.h) and ending courses (course_ending.h), each in a file
// of its own beside this one; this class only forwards.
//
//   AppointmentManager appointments(deps);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, appointments.CheckInAppointment(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/appointments/appointment_life_cycle.h"
#include "services/scheduling/app/appointments/course_ending.h"
#include "services/scheduling/app/appointments/schedule_reader.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

class AppointmentManager {
 public:
  explicit AppointmentManager(SchedulingDeps deps)
      : page_tokens_([r = &deps.resources] { return r->PageTokenSecret(); }),
        life_cycle_(deps),
        reader_(deps, page_tokens_),
        ending_(deps) {}
  // reader_ refers to page_tokens_.
  AppointmentManager(const AppointmentManager&) = delete;
  AppointmentManager& operator=(const AppointmentManager&) = delete;

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
  common::PageTokenCodec page_tokens_;
  AppointmentLifeCycle life_cycle_;
  ScheduleReader reader_;
  CourseEnding ending_;
};

}  // namespace dermaflow::scheduling
