// Booking: single appointments (BookAppointment), whole courses
// (PlanCourse) and moves (RescheduleAppointment), each in a file of its own
// beside this one. This class only adds what the three share at the edge:
// the bookings metric and redacting what the caller may not read.
//
//   BookingManager booking(deps, &metrics);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, booking.BookAppointment(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/app/scheduling_metrics.h"

namespace dermaflow::scheduling {

class BookingManager {
 public:
  // `metrics` may be null (benches, some tests).
  BookingManager(SchedulingDeps deps, SchedulingMetrics* metrics)
      : deps_(deps), metrics_(metrics) {}

  absl::StatusOr<v1::Appointment> BookAppointment(const CallContext& call,
                                                  const v1::BookAppointmentRequest& request);
  absl::StatusOr<v1::Course> PlanCourse(const CallContext& call,
                                        const v1::PlanCourseRequest& request);
  absl::StatusOr<v1::Appointment> RescheduleAppointment(
      const CallContext& call, const v1::RescheduleAppointmentRequest& request);

 private:
  SchedulingDeps deps_;
  SchedulingMetrics* metrics_;
};

}  // namespace dermaflow::scheduling
