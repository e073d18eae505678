#include "services/notification/store/redis_settings_store.h"

#include "absl/strings/str_cat.h"
#include "common/redis/redis_reply.h"
#include "common/status/api_errors.h"
#include "common/status/macros.h"
#include "services/notification/domain/notification_errors.h"
#include "services/notification/domain/time_rules.h"
#include "services/notification/lua/update_settings_lua.h"
#include "services/notification/store/notification_keys.h"

namespace dermaflow::notification {

absl::StatusOr<v1::NotificationSettings> RedisSettingsStore::Get(const std::string& org) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Command({"HMGET", keys.settings, "v", "etag"}));
  v1::NotificationSettings settings;
  const auto& f = reply.elements();
  if (f.size() == 2 && !f[0].is_nil()) {
    if (!settings.ParseFromString(f[0].str())) {
      return absl::InternalError("notification settings unreadable for " + org);
    }
    settings.set_etag(f[1].str());
  } else {
    settings.set_etag("0");
  }
  return settings;
}

absl::StatusOr<v1::NotificationSettings> RedisSettingsStore::Update(
    const std::string& org, v1::NotificationSettings settings, const std::string& expected_etag,
    absl::Time now) {
  DF_ASSIGN_OR_RETURN(NotificationKeys keys, NotificationKeys::For(org));
  settings.clear_etag();
  *settings.mutable_update_time() = ToTimestamp(now);
  absl::StatusOr<common::RedisReply> reply = redis_.Eval(
      UpdateSettingsScript(), {keys.settings}, {expected_etag, settings.SerializeAsString()});
  if (common::IsRedisError(reply.status(), "ETAG_MISMATCH")) {
    return common::EtagMismatchError(kErrorDomain, kSettingsType, org);
  }
  if (!reply.ok()) return reply.status();
  DF_ASSIGN_OR_RETURN(std::string etag, reply->AsString());
  settings.set_etag(etag);
  return settings;
}

}  // namespace dermaflow::notification
