// ClinicCache on Redis: one small hash per clinic (`df:{org}:rem:clinic:<id>`
// with name, tz, phone), latest write wins.
//
//   RedisClinicCache clinics(runtime->redis());
//   DF_ASSIGN_OR_RETURN(auto known, clinics.GetClinics(org, {"clinic-1"}));
#pragma once

#include "common/redis/redis_client.h"
#include "services/notification/store/clinic_cache.h"

namespace dermaflow::notification {

class RedisClinicCache : public ClinicCache {
 public:
  explicit RedisClinicCache(common::RedisClient& redis) : redis_(redis) {}

  absl::Status PutClinics(const std::string& org, const std::vector<ClinicInfo>& clinics) override;
  absl::StatusOr<std::map<std::string, ClinicInfo>> GetClinics(
      const std::string& org, const std::vector<std::string>& clinic_ids) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::notification
