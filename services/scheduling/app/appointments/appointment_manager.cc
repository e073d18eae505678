#include "services/scheduling/app/appointments/appointment_manager.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Appointment> AppointmentManager::GetAppointment(
    const CallContext& call, const v1::GetAppointmentRequest& request) {
  return reader_.GetAppointment(call, request);
}

absl::StatusOr<v1::Appointment> AppointmentManager::UpdateAppointment(
    const CallContext& call, const v1::UpdateAppointmentRequest& request) {
  return life_cycle_.UpdateAppointment(call, request);
}

absl::StatusOr<v1::ListAppointmentsResponse> AppointmentManager::ListAppointments(
    const CallContext& call, const v1::ListAppointmentsRequest& request) {
  return reader_.ListAppointments(call, request);
}

absl::StatusOr<v1::Appointment> AppointmentManager::CancelAppointment(
    const CallContext& call, const v1::CancelAppointmentRequest& request) {
  return life_cycle_.CancelAppointment(call, request);
}

absl::StatusOr<v1::Appointment> AppointmentManager::CheckInAppointment(
    const CallContext& call, const v1::CheckInAppointmentRequest& request) {
  return life_cycle_.CheckInAppointment(call, request);
}

absl::StatusOr<v1::Appointment> AppointmentManager::CompleteAppointment(
    const CallContext& call, const v1::CompleteAppointmentRequest& request) {
  return life_cycle_.CompleteAppointment(call, request);
}

absl::StatusOr<v1::Appointment> AppointmentManager::MarkNoShow(
    const CallContext& call, const v1::MarkNoShowRequest& request) {
  return life_cycle_.MarkNoShow(call, request);
}

absl::StatusOr<v1::Course> AppointmentManager::GetCourse(const CallContext& call,
                                                         const v1::GetCourseRequest& request) {
  return reader_.GetCourse(call, request);
}

absl::StatusOr<v1::ListCoursesResponse> AppointmentManager::ListCourses(
    const CallContext& call, const v1::ListCoursesRequest& request) {
  return reader_.ListCourses(call, request);
}

absl::StatusOr<v1::Course> AppointmentManager::CancelCourse(
    const CallContext& call, const v1::CancelCourseRequest& request) {
  return ending_.CancelCourse(call, request);
}

absl::StatusOr<v1::Course> AppointmentManager::CompleteCourse(
    const CallContext& call, const v1::CompleteCourseRequest& request) {
  return ending_.CompleteCourse(call, request);
}

}  // namespace dermaflow::scheduling
