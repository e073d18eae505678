#include "services/scheduling/app/booking/booking_manager.h"

#include "services/scheduling/app/appointment_support.h"
#include "services/scheduling/app/booking/book_appointment.h"
#include "services/scheduling/app/booking/plan_course.h"
#include "services/scheduling/app/booking/reschedule_appointment.h"

namespace dermaflow::scheduling {

absl::StatusOr<v1::Appointment> BookingManager::BookAppointment(
    const CallContext& call, const v1::BookAppointmentRequest& request) {
  absl::StatusOr<v1::Appointment> result = BookOneAppointment(deps_, call, request);
  if (metrics_ != nullptr && !request.validate_only()) metrics_->RecordBooking(result.status());
  if (result.ok()) RedactForCaller(*result, call.caller);
  return result;
}

absl::StatusOr<v1::Course> BookingManager::PlanCourse(const CallContext& call,
                                                      const v1::PlanCourseRequest& request) {
  absl::StatusOr<v1::Course> result = BookCourse(deps_, call, request);
  if (metrics_ != nullptr && !request.validate_only()) metrics_->RecordBooking(result.status());
  if (result.ok()) {
    for (auto& a : *result->mutable_appointments()) RedactForCaller(a, call.caller);
  }
  return result;
}

absl::StatusOr<v1::Appointment> BookingManager::RescheduleAppointment(
    const CallContext& call, const v1::RescheduleAppointmentRequest& request) {
  absl::StatusOr<v1::Appointment> result = MoveAppointment(deps_, call, request);
  if (result.ok()) RedactForCaller(*result, call.caller);
  return result;
}

}  // namespace dermaflow::scheduling
