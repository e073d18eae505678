// The organizations' NotificationSettings as planning and dispatch read
// them: from the SettingsStore, kept a few seconds so a busy queue does not
// read them once per reminder. A changed setting applies within the TTL.
//
//   SettingsCache settings(settings_store, clock);
//   DF_ASSIGN_OR_RETURN(v1::NotificationSettings s, settings.Get(org));
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "absl/time/time.h"
#include "common/clock/clock.h"
#include "services/notification/store/settings_store.h"

namespace dermaflow::notification {

class SettingsCache {
 public:
  SettingsCache(SettingsStore& store, const common::Clock& clock,
                absl::Duration ttl = absl::Seconds(5))
      : store_(store), clock_(clock), ttl_(ttl) {}

  absl::StatusOr<v1::NotificationSettings> Get(const std::string& org);
  void Forget(const std::string& org);

 private:
  SettingsStore& store_;
  const common::Clock& clock_;
  const absl::Duration ttl_;
  std::mutex mu_;
  std::map<std::string, std::pair<v1::NotificationSettings, absl::Time>> cache_;
};

}  // namespace dermaflow::notification
