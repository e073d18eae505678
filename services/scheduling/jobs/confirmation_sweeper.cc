#include "services/scheduling/jobs/confirmation_sweeper.h"

#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"
#include "common/status/macros.h"

namespace dermaflow::scheduling {
namespace {

// Full batches of one organization swept in a row before the others' turn.
constexpr int kRoundsPerPass = 5;

}  // namespace

ConfirmationSweeper::ConfirmationSweeper(SchedulingDeps deps, ConfirmationMetrics* metrics,
                                         absl::Duration interval, int batch)
    : deps_(deps),
      metrics_(metrics),
      sweep_(deps, batch),
      thread_(
          interval, [this] { (void)RunOnce(); }, /*run_at_start=*/true) {}

void ConfirmationSweeper::Start() { thread_.Start(); }

void ConfirmationSweeper::Stop() { thread_.Stop(); }

absl::Status ConfirmationSweeper::RunOnce() {
  absl::StatusOr<std::vector<std::string>> orgs = deps_.appointments.ListOrganizations();
  absl::Status first_error = orgs.status();
  if (orgs.ok()) {
    for (const std::string& org : *orgs) {
      absl::Status status = SweepOrganization(org);
      if (!status.ok() && first_error.ok()) first_error = std::move(status);
    }
  }
  if (!first_error.ok()) {
    if (metrics_ != nullptr) metrics_->RecordSweepFailure();
    if (std::optional<int64_t> suppressed = failures_.ShouldLog(absl::Now())) {
      common::LogError(
          "confirmation sweep failed; due requests and deadlines wait for the next pass",
          {{"error", std::string(first_error.message())},
           {"suppressed", absl::StrCat(*suppressed)}});
    }
  }
  return first_error;
}

absl::Status ConfirmationSweeper::SweepOrganization(const std::string& org) {
  for (int round = 0; round < kRoundsPerPass; ++round) {
    DF_ASSIGN_OR_RETURN(SweepTotals totals, sweep_.SweepOrganization(org));
    if (totals.requested + totals.unanswered > 0) {
      common::LogInfo("confirmation sweep", {{"organization", org},
                                             {"requested", absl::StrCat(totals.requested)},
                                             {"unanswered", absl::StrCat(totals.unanswered)},
                                             {"raced", absl::StrCat(totals.raced)}});
    }
    if (!totals.more) break;
  }
  return absl::OkStatus();
}

}  // namespace dermaflow::scheduling
