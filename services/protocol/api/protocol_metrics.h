// The protocol service's own metrics (gRPC RED metrics come from the server
// bootstrap). No patient data in labels: outcomes only.
//
//   ProtocolMetrics metrics(runtime->metrics().registry());
//   metrics.screened_blocked.Increment();
#pragma once

#include "prometheus/counter.h"
#include "prometheus/registry.h"

namespace dermaflow::protocol {

struct ProtocolMetrics {
  explicit ProtocolMetrics(prometheus::Registry& registry);

  // dermaflow_protocol_screenings_total{outcome}
  prometheus::Family<prometheus::Counter>& screenings;
  prometheus::Counter& screened_eligible;        // outcome="eligible"
  prometheus::Counter& screened_needs_override;  // outcome="requires_override"
  prometheus::Counter& screened_blocked;         // outcome="blocked"
};

}  // namespace dermaflow::protocol
