// The request rate of each organization on this server: one TokenBucket per
// organization (rate per second, burst), so one tenant's burst spends only
// its own tokens. Buckets that have refilled are dropped, so memory follows
// the tenants active in the last `burst / rate` seconds, not all that ever
// called. Thread-safe.
//
//   OrgRateLimiter limiter(/*rate=*/200, /*burst=*/400);
//   if (auto wait = limiter.Admit(caller.organization, clock.Now())) Refuse(*wait);
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/quota/token_bucket.h"

namespace dermaflow::common {

class OrgRateLimiter {
 public:
  // `rate` > 0 per second, `burst` >= 1.
  OrgRateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

  // nullopt when `org` may send a request at `now` (it took a token); else
  // how long until it may.
  std::optional<absl::Duration> Admit(std::string_view org, absl::Time now);

  // Organizations with a bucket (tests check that idle ones are dropped).
  size_t TrackedOrganizations() const;

 private:
  // Drops the buckets that are full again; called when the map has grown by
  // kPruneEvery since the last prune, so the cost per request stays O(1).
  void PruneFullLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  static constexpr size_t kPruneEvery = 256;

  const double rate_;
  const double burst_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, TokenBucket> buckets_ ABSL_GUARDED_BY(mu_);
  size_t prune_at_size_ ABSL_GUARDED_BY(mu_) = kPruneEvery;
};

}  // namespace dermaflow::common
