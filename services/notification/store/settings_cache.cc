#include "services/notification/store/settings_cache.h"

namespace dermaflow::notification {

absl::StatusOr<v1::NotificationSettings> SettingsCache::Get(const std::string& org) {
  const absl::Time now = clock_.Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(org);
    if (it != cache_.end() && it->second.second > now) return it->second.first;
  }
  absl::StatusOr<v1::NotificationSettings> settings = store_.Get(org);
  if (!settings.ok()) return settings;
  std::lock_guard<std::mutex> lock(mu_);
  cache_[org] = {*settings, now + ttl_};
  return settings;
}

void SettingsCache::Forget(const std::string& org) {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.erase(org);
}

}  // namespace dermaflow::notification
