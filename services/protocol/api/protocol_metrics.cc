#include "services/protocol/api/protocol_metrics.h"

namespace dermaflow::protocol {

ProtocolMetrics::ProtocolMetrics(prometheus::Registry& registry)
    : screenings(prometheus::BuildCounter()
                     .Name("dermaflow_protocol_screenings_total")
                     .Help("ScreenEligibility answers by outcome")
                     .Register(registry)),
      screened_eligible(screenings.Add({{"outcome", "eligible"}})),
      screened_needs_override(screenings.Add({{"outcome", "requires_override"}})),
      screened_blocked(screenings.Add({{"outcome", "blocked"}})) {}

}  // namespace dermaflow::protocol
