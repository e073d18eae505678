// SettingsStore on Redis: `df:{org}:notification:settings`, a hash holding
// the serialized settings and their etag, replaced by lua/update_settings.lua.
//
//   RedisSettingsStore settings(runtime->redis());
#pragma once

#include "common/redis/redis_client.h"
#include "services/notification/store/settings_store.h"

namespace dermaflow::notification {

class RedisSettingsStore : public SettingsStore {
 public:
  explicit RedisSettingsStore(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<v1::NotificationSettings> Get(const std::string& org) override;
  absl::StatusOr<v1::NotificationSettings> Update(const std::string& org,
                                                  v1::NotificationSettings settings,
                                                  const std::string& expected_etag,
                                                  absl::Time now) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::notification
