#include "common/quota/org_in_flight_limiter.h"

#include <utility>

namespace dermaflow::common {

OrgInFlightLimiter::Slot::Slot(Slot&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)), org_(std::move(other.org_)) {}

OrgInFlightLimiter::Slot& OrgInFlightLimiter::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    Release();
    limiter_ = std::exchange(other.limiter_, nullptr);
    org_ = std::move(other.org_);
  }
  return *this;
}

void OrgInFlightLimiter::Slot::Release() {
  if (limiter_ == nullptr) return;
  std::exchange(limiter_, nullptr)->Release(org_);
}

std::optional<OrgInFlightLimiter::Slot> OrgInFlightLimiter::TryAcquire(std::string_view org) {
  std::string key(org);
  absl::MutexLock lock(&mu_);
  int& running = running_[key];
  if (running >= limit_) return std::nullopt;
  ++running;
  return Slot(this, std::move(key));
}

void OrgInFlightLimiter::Release(const std::string& org) {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(org);
  if (it == running_.end()) return;
  if (--it->second <= 0) running_.erase(it);
}

int OrgInFlightLimiter::InFlight(std::string_view org) const {
  absl::MutexLock lock(&mu_);
  auto it = running_.find(absl::string_view(org.data(), org.size()));
  return it == running_.end() ? 0 : it->second;
}

}  // namespace dermaflow::common
