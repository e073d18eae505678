// Confirmation metrics, declared in one place (no tenant or patient labels):
//
//   dermaflow_scheduling_confirmations_total{outcome, via}
//     outcome: requested | confirmed | declined | reschedule_requested |
//     no_answer; via: staff | link | sms | none (the sweeper's steps).
//   dermaflow_scheduling_confirmation_sweep_failures_total
//     sweeper passes (per organization) that failed; alert
//     DermaflowConfirmationSweepFailing.
//
//   metrics.Record(v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_CHANNEL_STAFF);
#pragma once

#include "dermaflow/scheduling/v1/appointment.pb.h"
#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace dermaflow::scheduling {

class ConfirmationMetrics {
 public:
  explicit ConfirmationMetrics(prometheus::Registry& registry);

  // One appointment's confirmation reached `outcome`.
  void Record(v1::ConfirmationState outcome, v1::ConfirmationChannel via, double count = 1);
  void RecordSweepFailure();

 private:
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Counter& sweep_failures_;
};

}  // namespace dermaflow::scheduling
