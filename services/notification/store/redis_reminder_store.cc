#include "services/notification/store/redis_reminder_store.h"

#include "common/api/page_token_secret.h"

namespace dermaflow::notification {

absl::StatusOr<std::string> RedisReminderStore::PageTokenSecret() {
  return common::LoadPageTokenSecret(redis_, "notification");
}

}  // namespace dermaflow::notification
