// SmsReplyBook on Redis: one hash per phone number, `df:sms_reply:<digest>`,
// expiring with its appointment. The digest is an HMAC of the number under
// a key derived from the action token secret, so Redis holds no phone
// number, and a dump of it cannot be searched for one without the secret.
#pragma once

#include <string>

#include "common/api/page_token_secret.h"
#include "common/redis/redis_client.h"
#include "services/notification/store/sms_reply_book.h"

namespace dermaflow::notification {

class RedisSmsReplyBook : public SmsReplyBook {
 public:
  // `redis` must outlive this; `secret` is the action token secret.
  RedisSmsReplyBook(common::RedisClient& redis, common::CachedSecret::Source secret)
      : redis_(redis), secret_(std::move(secret)) {}

  absl::Status Remember(const std::string& phone, const SmsReplyTarget& target,
                        absl::Time expire_time) override;
  absl::StatusOr<std::optional<SmsReplyTarget>> Find(const std::string& phone) override;
  absl::StatusOr<bool> FirstPost(const std::string& message_id) override;
  absl::Status Forget(const std::string& message_id) override;

 private:
  absl::StatusOr<std::string> Key(const std::string& phone) const;
  static std::string PostKey(const std::string& message_id);

  common::RedisClient& redis_;
  common::CachedSecret secret_;
};

}  // namespace dermaflow::notification
