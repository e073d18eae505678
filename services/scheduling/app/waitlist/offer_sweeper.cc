#include "services/scheduling/app/waitlist/offer_sweeper.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/logging/log.h"

namespace dermaflow::scheduling {
namespace {

constexpr int64_t kSlotsPerPass = 500;  // per organization

}  // namespace

OfferSweeper::OfferSweeper(WaitlistStore& store, SlotOffers& offers, WaitlistMetrics& metrics,
                           const common::Clock& clock, absl::Duration interval)
    : store_(store), offers_(offers), metrics_(metrics), clock_(clock), thread_(interval, [this] {
        (void)SweepOnce();
      }) {}

absl::Status OfferSweeper::SweepOnce() {
  absl::Status first = absl::OkStatus();
  auto failed = [&](const std::string& org, const absl::Status& status) {
    metrics_.sweep_failures.Increment();
    if (first.ok()) first = status;
    // The organization names the tenant for ops; no patient data.
    if (std::optional<int64_t> suppressed = failures_.ShouldLog(absl::Now())) {
      common::LogError("cannot move a freed slot along the waitlist; retried next sweep",
                       {{"organization", org},
                        {"error", std::string(status.message())},
                        {"suppressed", absl::StrCat(*suppressed)}});
    }
  };
  absl::StatusOr<std::vector<std::string>> orgs = store_.Organizations();
  if (!orgs.ok()) {
    failed("-", orgs.status());
    return first;
  }
  for (const std::string& org : *orgs) {
    absl::StatusOr<std::vector<std::string>> due =
        store_.DueSlots(org, clock_.Now(), kSlotsPerPass);
    if (!due.ok()) {
      failed(org, due.status());
      continue;
    }
    for (const std::string& slot_id : *due) {
      absl::Status advanced = offers_.Advance(org, slot_id);
      if (!advanced.ok()) failed(org, advanced);
    }
  }
  return first;
}

}  // namespace dermaflow::scheduling
