// Moves freed slots along when nobody else does: every interval it reads
// each organization's due set (holds that ran out, slots whose next round
// is due, slots the event intake recorded but could not offer yet) and
// advances each slot (SlotOffers::Advance). Safe with several replicas: the
// scripts compare the slot's round, so one replica wins each step and the
// others find nothing to do.
//
// Failures are never silent: a log line (first of a burst, then one per
// 30 s with the count), dermaflow_scheduling_waitlist_failures_total
// {stage="sweep"}, the alert DermaflowWaitlistOffersFailing.
//
//   OfferSweeper sweeper(store, offers, metrics, absl::Seconds(15));
//   sweeper.Start();  ...  sweeper.Stop();
#pragma once

#include "absl/status/status.h"
#include "common/clock/clock.h"
#include "common/clock/periodic_thread.h"
#include "common/metrics/failure_log_limiter.h"
#include "services/scheduling/app/waitlist/slot_offers.h"

namespace dermaflow::scheduling {

class OfferSweeper {
 public:
  // Everything referenced must outlive the sweeper.
  OfferSweeper(WaitlistStore& store, SlotOffers& offers, WaitlistMetrics& metrics,
               const common::Clock& clock, absl::Duration interval);

  void Start() { thread_.Start(); }
  void Stop() { thread_.Stop(); }

  // One pass over every organization (tests call it with a fake clock).
  // Returns the first failure; the other slots are still tried.
  absl::Status SweepOnce();

 private:
  WaitlistStore& store_;
  SlotOffers& offers_;
  WaitlistMetrics& metrics_;
  const common::Clock& clock_;
  common::FailureLogLimiter failures_{absl::Seconds(30)};
  common::PeriodicThread thread_;
};

}  // namespace dermaflow::scheduling
