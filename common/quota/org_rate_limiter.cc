#include "common/quota/org_rate_limiter.h"

#include <utility>

namespace dermaflow::common {

std::optional<absl::Duration> OrgRateLimiter::Admit(std::string_view org, absl::Time now) {
  absl::MutexLock lock(&mu_);
  auto it = buckets_.find(absl::string_view(org.data(), org.size()));
  if (it == buckets_.end()) {
    if (buckets_.size() >= prune_at_size_) PruneFullLocked(now);
    it = buckets_.emplace(std::string(org), TokenBucket(rate_, burst_, now)).first;
  }
  if (it->second.TryTake(now)) return std::nullopt;
  return it->second.TimeUntilToken();
}

void OrgRateLimiter::PruneFullLocked(absl::Time now) {
  absl::erase_if(buckets_, [now](const auto& entry) { return entry.second.IsFullAt(now); });
  prune_at_size_ = buckets_.size() + kPruneEvery;
}

size_t OrgRateLimiter::TrackedOrganizations() const {
  absl::MutexLock lock(&mu_);
  return buckets_.size();
}

}  // namespace dermaflow::common
