#include "common/metrics/failure_log_limiter.h"

namespace dermaflow::common {

std::optional<int64_t> FailureLogLimiter::ShouldLog(absl::Time now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (last_logged_ != absl::InfinitePast() && now - last_logged_ < interval_) {
    ++suppressed_;
    return std::nullopt;
  }
  last_logged_ = now;
  int64_t suppressed = suppressed_;
  suppressed_ = 0;
  return suppressed;
}

}  // namespace dermaflow::common
