// The read side of appointments and courses: one by id, and listed by
// clinic, practitioner, patient or course (appointments, by start time, in
// sealed pages) or by patient or clinic (courses, newest first). What only
// practitioners may read is redacted for other callers.
//
//   ScheduleReader reader(deps, page_tokens);
//   DF_ASSIGN_OR_RETURN(v1::ListAppointmentsResponse page, reader.ListAppointments(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "common/api/page_token.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"

namespace dermaflow::scheduling {

class ScheduleReader {
 public:
  // `page_tokens` must outlive the reader.
  ScheduleReader(SchedulingDeps deps, const common::PageTokenCodec& page_tokens)
      : deps_(deps), page_tokens_(page_tokens) {}

  absl::StatusOr<v1::Appointment> GetAppointment(const CallContext& call,
                                                 const v1::GetAppointmentRequest& request);
  absl::StatusOr<v1::ListAppointmentsResponse> ListAppointments(
      const CallContext& call, const v1::ListAppointmentsRequest& request);
  absl::StatusOr<v1::Course> GetCourse(const CallContext& call,
                                       const v1::GetCourseRequest& request);
  absl::StatusOr<v1::ListCoursesResponse> ListCourses(const CallContext& call,
                                                      const v1::ListCoursesRequest& request);

 private:
  SchedulingDeps deps_;
  const common::PageTokenCodec& page_tokens_;
};

}  // namespace dermaflow::scheduling
