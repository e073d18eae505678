#include "services/scheduling/app/scheduling_metrics.h"

#include "services/scheduling/domain/screening.h"

namespace dermaflow::scheduling {

SchedulingMetrics::SchedulingMetrics(prometheus::Registry& registry)
    : bookings_(prometheus::BuildCounter()
                    .Name("dermaflow_bookings_total")
                    .Help("BookAppointment and PlanCourse requests by outcome.")
                    .Register(registry)),
      booked_(bookings_.Add({{"result", "booked"}})),
      conflict_(bookings_.Add({{"result", "conflict"}})),
      contraindicated_(bookings_.Add({{"result", "contraindicated"}})),
      invalid_(bookings_.Add({{"result", "invalid"}})) {}

void SchedulingMetrics::RecordBooking(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kOk:
      booked_.Increment();
      return;
    case absl::StatusCode::kAlreadyExists:
      conflict_.Increment();
      return;
    case absl::StatusCode::kFailedPrecondition:
      (IsContraindicationRefusal(status) ? contraindicated_ : invalid_).Increment();
      return;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kPermissionDenied:
      invalid_.Increment();
      return;
    default:
      return;  // storage or dependency trouble, not a booking outcome
  }
}

}  // namespace dermaflow::scheduling
