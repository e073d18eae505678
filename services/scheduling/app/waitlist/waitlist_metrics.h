// The waitlist's metrics, declared in one place. No tenant or patient in
// labels.
//
//   dermaflow_scheduling_waitlist_offers_total{outcome="sent|accepted|expired|taken|declined"}
//   dermaflow_scheduling_waitlist_slots_filled_total
//   dermaflow_scheduling_waitlist_fill_minutes   histogram, slot freed -> booked from an offer
//   dermaflow_scheduling_waitlist_failures_total{stage="intake|sweep"}
//     a freed slot that could not be offered (yet): retried, logged, alerted
//     on (DermaflowWaitlistOffersFailing)
#pragma once

#include "absl/time/time.h"
#include "prometheus/counter.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dermaflow::scheduling {

struct WaitlistMetrics {
  explicit WaitlistMetrics(prometheus::Registry& registry);

  void Filled(absl::Duration freed_to_filled);

  prometheus::Counter& sent;
  prometheus::Counter& accepted;
  prometheus::Counter& expired;
  prometheus::Counter& taken;
  prometheus::Counter& declined;
  prometheus::Counter& slots_filled;
  prometheus::Histogram& fill_minutes;
  prometheus::Counter& intake_failures;
  prometheus::Counter& sweep_failures;
};

}  // namespace dermaflow::scheduling
