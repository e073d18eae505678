// Runs the confirmation sweep (app/confirmations/confirmation_sweep.h) in
// the background: every `interval` (--confirmation_sweep_interval, 15 s), over
// every organization in `df:orgs`, one bounded batch each (an organization
// whose batch was full is swept again at once, up to a few rounds). Every
// scheduling replica runs one; their commits are compare-and-set, so they
// never publish an event twice.
//
// A failing pass is never silent: an error log line (the first of a burst,
// then one per 30 s with the count left out),
// dermaflow_scheduling_confirmation_sweep_failures_total, and the alert
// DermaflowConfirmationSweepFailing (deploy/prometheus).
//
//   ConfirmationSweeper sweeper(deps, &metrics, absl::Seconds(15));
//   sweeper.Start();  ...  sweeper.Stop();
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/clock/periodic_thread.h"
#include "common/metrics/failure_log_limiter.h"
#include "services/scheduling/app/confirmations/confirmation_metrics.h"
#include "services/scheduling/app/confirmations/confirmation_sweep.h"

namespace dermaflow::scheduling {

class ConfirmationSweeper {
 public:
  // `deps` and `metrics` (may be null) must outlive the sweeper.
  ConfirmationSweeper(SchedulingDeps deps, ConfirmationMetrics* metrics, absl::Duration interval,
                      int batch = 200);

  void Start();
  void Stop();  // waits for a pass in progress

  // One pass over every organization; the first error (the other
  // organizations are still swept). Tests call it with a fake clock.
  absl::Status RunOnce();

 private:
  absl::Status SweepOrganization(const std::string& org);

  SchedulingDeps deps_;
  ConfirmationMetrics* metrics_;
  ConfirmationSweep sweep_;
  common::FailureLogLimiter failures_{absl::Seconds(30)};
  common::PeriodicThread thread_;
};

}  // namespace dermaflow::scheduling
