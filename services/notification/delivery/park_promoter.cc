#include "services/notification/delivery/park_promoter.h"

#include "common/logging/log.h"
#include "services/notification/domain/parking.h"
#include "services/notification/domain/time_rules.h"

namespace dermaflow::notification {

ParkPromoter::ParkPromoter(ReminderParking& parking, NotificationMetrics& metrics,
                           ParkPromoterOptions options)
    : parking_(parking), metrics_(metrics), options_(options) {}

void ParkPromoter::MaybePromote(const std::string& org, absl::Time now) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const OrgState& state = orgs_[org];
    // A clock set back (tests) counts as due too.
    const bool due = state.resume || now - state.last >= options_.interval || now < state.last;
    if (!due) return;
  }
  (void)PromoteOnce(org, now);
}

absl::StatusOr<PromotionResult> ParkPromoter::PromoteOnce(const std::string& org, absl::Time now) {
  std::optional<ParkCursor> resume;
  {
    std::lock_guard<std::mutex> lock(mu_);
    resume = orgs_[org].resume;
  }
  const absl::Duration window =
      options_.park_after > absl::ZeroDuration() ? options_.park_after : absl::Hours(48);
  absl::StatusOr<PromotionResult> result = parking_.PromoteDays(
      org, LastPromotableDay(ToMillis(now), window), options_.max_entries_per_pass, resume);
  std::lock_guard<std::mutex> lock(mu_);
  OrgState& state = orgs_[org];
  state.last = now;
  if (!result.ok()) {
    // Retried next interval; a reminder is promoted a day ahead (48 h
    // default), so a failure has a day to clear before one is late.
    state.resume.reset();  // the next try starts the day over: repeats, loses nothing
    metrics_.ParkPromotions("failed", 1);
    common::LogWarning("parked reminders not promoted; next pass retries",
                       {{"organization", org}, {"error", std::string(result.status().message())}});
    return result;
  }
  state.resume = result->resume;
  metrics_.ParkPromotions("promoted", result->promoted);
  metrics_.ParkPromotions("skipped_stale", result->skipped_stale);
  return result;
}

}  // namespace dermaflow::notification
