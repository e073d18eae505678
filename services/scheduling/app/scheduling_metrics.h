// Scheduling's own metrics, declared in one place (gRPC and Redis metrics
// come from common/). No patient data in labels.
//
//   dermaflow_bookings_total{result="booked|conflict|contraindicated|invalid"}
//     BookAppointment and PlanCourse outcomes (one per request, not per
//     session); failures of storage or other services are not counted here
//     (grpc_server_handled_total has them).
#pragma once

#include "absl/status/status.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace dermaflow::scheduling {

class SchedulingMetrics {
 public:
  explicit SchedulingMetrics(prometheus::Registry& registry);

  // Counts one booking attempt by its outcome.
  void RecordBooking(const absl::Status& status);

 private:
  prometheus::Family<prometheus::Counter>& bookings_;
  prometheus::Counter& booked_;
  prometheus::Counter& conflict_;
  prometheus::Counter& contraindicated_;
  prometheus::Counter& invalid_;
};

}  // namespace dermaflow::scheduling
