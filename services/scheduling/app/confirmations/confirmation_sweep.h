// One pass of the confirmation sweeper: for each organization, the
// appointments whose confirmation check is due (the store's index, see
// scheduling_keys.h) advance by AdvanceConfirmation — REQUESTED with
// appointment.confirmation_requested, or NO_ANSWER with
// appointment.confirmation_unanswered — each committed only if the
// appointment is unchanged since read. Two sweepers (scheduling replicas)
// racing for one appointment: one commit wins, the other is ABORTED and
// skips it, so an event is never published twice. Work per pass is bounded
// (`batch` appointments per organization); the rest waits for the next.
//
//   ConfirmationSweep sweep(deps);
//   DF_ASSIGN_OR_RETURN(SweepTotals t, sweep.SweepOrganization(org));
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "services/scheduling/app/scheduling_deps.h"
#include "services/scheduling/store/appointment_store.h"

namespace dermaflow::scheduling {

// The actor of the sweeper's events.
inline constexpr char kConfirmationActor[] = "system:confirmations";

struct SweepTotals {
  int requested = 0;   // requests sent
  int unanswered = 0;  // deadlines passed
  int raced = 0;       // changed by someone else meanwhile; next pass looks again
  int checked = 0;     // index entries looked at
  bool more = false;   // the batch was full: more may be due
};

class ConfirmationSweep {
 public:
  explicit ConfirmationSweep(SchedulingDeps deps, int batch = 200) : deps_(deps), batch_(batch) {}

  absl::StatusOr<SweepTotals> SweepOrganization(const std::string& org);

 private:
  // Advances one appointment; adds to `totals`.
  absl::Status SweepOne(const std::string& org, const std::string& id, SweepTotals& totals);

  SchedulingDeps deps_;
  int batch_;
};

}  // namespace dermaflow::scheduling
