#include "services/scheduling/app/confirmations/confirmation_metrics.h"

#include <string>

namespace dermaflow::scheduling {
namespace {

std::string OutcomeLabel(v1::ConfirmationState state) {
  switch (state) {
    case v1::CONFIRMATION_STATE_REQUESTED:
      return "requested";
    case v1::CONFIRMATION_STATE_CONFIRMED:
      return "confirmed";
    case v1::CONFIRMATION_STATE_DECLINED:
      return "declined";
    case v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED:
      return "reschedule_requested";
    case v1::CONFIRMATION_STATE_NO_ANSWER:
      return "no_answer";
    default:
      return "other";
  }
}

std::string ViaLabel(v1::ConfirmationChannel via) {
  switch (via) {
    case v1::CONFIRMATION_CHANNEL_STAFF:
      return "staff";
    case v1::CONFIRMATION_CHANNEL_LINK:
      return "link";
    case v1::CONFIRMATION_CHANNEL_SMS:
      return "sms";
    default:
      return "none";
  }
}

}  // namespace

ConfirmationMetrics::ConfirmationMetrics(prometheus::Registry& registry)
    : outcomes_(prometheus::BuildCounter()
                    .Name("dermaflow_scheduling_confirmations_total")
                    .Help("Appointment confirmations by outcome and answer channel.")
                    .Register(registry)),
      sweep_failures_(prometheus::BuildCounter()
                          .Name("dermaflow_scheduling_confirmation_sweep_failures_total")
                          .Help("Confirmation sweeper passes over an organization that failed.")
                          .Register(registry)
                          .Add({})) {
  // Every outcome from the start, so rates and alerts see zeros, not gaps.
  Record(v1::CONFIRMATION_STATE_REQUESTED, v1::CONFIRMATION_CHANNEL_UNSPECIFIED, 0);
  Record(v1::CONFIRMATION_STATE_NO_ANSWER, v1::CONFIRMATION_CHANNEL_UNSPECIFIED, 0);
  for (auto outcome : {v1::CONFIRMATION_STATE_CONFIRMED, v1::CONFIRMATION_STATE_DECLINED,
                       v1::CONFIRMATION_STATE_RESCHEDULE_REQUESTED}) {
    for (auto via : {v1::CONFIRMATION_CHANNEL_STAFF, v1::CONFIRMATION_CHANNEL_LINK,
                     v1::CONFIRMATION_CHANNEL_SMS}) {
      Record(outcome, via, 0);
    }
  }
}

void ConfirmationMetrics::Record(v1::ConfirmationState outcome, v1::ConfirmationChannel via,
                                 double count) {
  outcomes_.Add({{"outcome", OutcomeLabel(outcome)}, {"via", ViaLabel(via)}}).Increment(count);
}

void ConfirmationMetrics::RecordSweepFailure() { sweep_failures_.Increment(); }

}  // namespace dermaflow::scheduling
