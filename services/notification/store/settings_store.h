// Where each organization's NotificationSettings live (one record per
// organization, defaults until first changed), with etag-checked updates.
//
//   DF_ASSIGN_OR_RETURN(v1::NotificationSettings s, store.Get(org));   // etag "0": defaults
//   DF_ASSIGN_OR_RETURN(s, store.Update(org, merged, request_etag, now));  // ABORTED if stale
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "dermaflow/notification/v1/notification.pb.h"

namespace dermaflow::notification {

class SettingsStore {
 public:
  virtual ~SettingsStore() = default;
  // With `etag` set; defaults (etag "0", no update_time) until first updated.
  virtual absl::StatusOr<v1::NotificationSettings> Get(const std::string& org) = 0;
  // Replaces the settings iff `expected_etag` is current; ABORTED with
  // ErrorInfo reason ETAG_MISMATCH otherwise. Returns them with the new etag.
  virtual absl::StatusOr<v1::NotificationSettings> Update(const std::string& org,
                                                          v1::NotificationSettings settings,
                                                          const std::string& expected_etag,
                                                          absl::Time now) = 0;
};

}  // namespace dermaflow::notification
