// Booking: single appointments (BookAppointment), whole courses
// (PlanCourse) and moves (RescheduleAppointment). Each checks the request,
// the booking rules, screens the patient through the protocol service (with
// the practitioner's override where warnings need one), then lets the store
// decide conflicts and write everything atomically; a lost race is
// ALREADY_EXISTS naming the busy resource.
//
//   BookingManager booking(deps, &metrics);
//   DF_ASSIGN_OR_RETURN(v1::Appointment a, booking.BookAppointment(call, request));
#pragma once

#include "absl/status/statusor.h"
#include "dermaflow/scheduling/v1/scheduling_service.pb.h"
#include "services/scheduling/domain/scheduling_deps.h"
#include "services/scheduling/scheduling_metrics.h"

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
  absl::StatusOr<v1::Appointment> Book(const CallContext& call,
                                       const v1::BookAppointmentRequest& request);
  absl::StatusOr<v1::Course> Plan(const CallContext& call, const v1::PlanCourseRequest& request);
  absl::StatusOr<v1::Appointment> Move(const CallContext& call,
                                       const v1::RescheduleAppointmentRequest& request);

  SchedulingDeps deps_;
  SchedulingMetrics* metrics_;
};

}  // namespace dermaflow::scheduling
