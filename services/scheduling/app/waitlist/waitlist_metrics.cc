#include "services/scheduling/app/waitlist/waitlist_metrics.h"

namespace dermaflow::scheduling {
namespace {

prometheus::Family<prometheus::Counter>& Offers(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("dermaflow_scheduling_waitlist_offers_total")
      .Help("Waitlist offers by outcome: sent, accepted, expired, taken, declined")
      .Register(registry);
}

prometheus::Family<prometheus::Counter>& Failures(prometheus::Registry& registry) {
  return prometheus::BuildCounter()
      .Name("dermaflow_scheduling_waitlist_failures_total")
      .Help("Freed slots that could not be offered yet (retried), by stage: intake, sweep")
      .Register(registry);
}

}  // namespace

WaitlistMetrics::WaitlistMetrics(prometheus::Registry& registry)
    : sent(Offers(registry).Add({{"outcome", "sent"}})),
      accepted(Offers(registry).Add({{"outcome", "accepted"}})),
      expired(Offers(registry).Add({{"outcome", "expired"}})),
      taken(Offers(registry).Add({{"outcome", "taken"}})),
      declined(Offers(registry).Add({{"outcome", "declined"}})),
      slots_filled(prometheus::BuildCounter()
                       .Name("dermaflow_scheduling_waitlist_slots_filled_total")
                       .Help("Freed slots booked through a waitlist offer")
                       .Register(registry)
                       .Add({})),
      fill_minutes(prometheus::BuildHistogram()
                       .Name("dermaflow_scheduling_waitlist_fill_minutes")
                       .Help("Minutes from a slot being freed to its booking from an offer")
                       .Register(registry)
                       .Add({}, prometheus::Histogram::BucketBoundaries{5, 15, 30, 60, 120, 240,
                                                                        480, 1440, 4320})),
      intake_failures(Failures(registry).Add({{"stage", "intake"}})),
      sweep_failures(Failures(registry).Add({{"stage", "sweep"}})) {}

void WaitlistMetrics::Filled(absl::Duration freed_to_filled) {
  slots_filled.Increment();
  fill_minutes.Observe(absl::ToDoubleMinutes(freed_to_filled));
}

}  // namespace dermaflow::scheduling
