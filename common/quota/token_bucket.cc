#include "common/quota/token_bucket.h"

#include <algorithm>

namespace dermaflow::common {

TokenBucket::TokenBucket(double rate, double burst, absl::Time now)
    : rate_(rate), burst_(burst), tokens_(burst), updated_(now) {}

double TokenBucket::TokensAt(absl::Time now) const {
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - updated_));
  return std::min(burst_, tokens_ + elapsed * rate_);
}

bool TokenBucket::TryTake(absl::Time now) {
  tokens_ = TokensAt(now);
  updated_ = std::max(updated_, now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

absl::Duration TokenBucket::TimeUntilToken() const {
  if (tokens_ >= 1) return absl::ZeroDuration();
  return absl::Seconds((1 - tokens_) / rate_);
}

bool TokenBucket::IsFullAt(absl::Time now) const { return TokensAt(now) >= burst_; }

}  // namespace dermaflow::common
