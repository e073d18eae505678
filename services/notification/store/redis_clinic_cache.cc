#include "services/notification/store/redis_clinic_cache.h"

#include <utility>

#include "common/status/macros.h"
#include "services/notification/store/notification_keys.h"

namespace dermaflow::notification {

using common::RedisReply;

absl::Status RedisClinicCache::PutClinics(const std::string& org,
                                          const std::vector<ClinicInfo>& clinics) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::vector<std::vector<std::string>> commands;
  for (const ClinicInfo& c : clinics) {
    DF_ASSIGN_OR_RETURN(std::string key, keys.Clinic(c.id));
    std::vector<std::string> cmd = {"HSET", key, "name", c.display_name, "tz", c.time_zone};
    if (c.has_contact_phone) cmd.insert(cmd.end(), {"phone", c.contact_phone});
    if (c.has_patient_app_url) cmd.insert(cmd.end(), {"app", c.patient_app_url});
    commands.push_back(std::move(cmd));
  }
  if (commands.empty()) return absl::OkStatus();
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (const RedisReply& r : replies) DF_RETURN_IF_ERROR(r.ToStatus());
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, ClinicInfo>> RedisClinicCache::GetClinics(
    const std::string& org, const std::vector<std::string>& clinic_ids) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  std::map<std::string, ClinicInfo> out;
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : clinic_ids) {
    DF_ASSIGN_OR_RETURN(std::string key, keys.Clinic(id));
    commands.push_back({"HMGET", key, "name", "tz", "phone", "app"});
  }
  if (commands.empty()) return out;
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies, redis_.Pipeline(commands));
  for (size_t i = 0; i < clinic_ids.size(); ++i) {
    DF_RETURN_IF_ERROR(replies[i].ToStatus());
    const auto& f = replies[i].elements();
    if (f.size() < 4 || (f[0].is_nil() && f[1].is_nil())) continue;
    out[clinic_ids[i]] = ClinicInfo{clinic_ids[i],  f[0].str(), f[1].str(),    f[2].str(),
                                    !f[2].is_nil(), f[3].str(), !f[3].is_nil()};
  }
  return out;
}

}  // namespace dermaflow::notification
