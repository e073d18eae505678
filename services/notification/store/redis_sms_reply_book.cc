#include "services/notification/store/redis_sms_reply_book.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/api/sealed_box.h"
#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace dermaflow::notification {

// The provider's message id (Twilio's "SM" + 32 hex) is not personal data;
// hashed all the same, so any id fits in a key.
std::string RedisSmsReplyBook::PostKey(const std::string& message_id) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(message_id.data()), message_id.size(), digest);
  return common::GlobalKey("sms_reply_post", absl::BytesToHexString(absl::string_view(
                                                 reinterpret_cast<const char*>(digest), 16)));
}

absl::StatusOr<std::string> RedisSmsReplyBook::Key(const std::string& phone) const {
  DF_ASSIGN_OR_RETURN(const std::string secret, secret_.Get());
  DF_ASSIGN_OR_RETURN(const std::string digest,
                      common::DeriveKey(secret, absl::StrCat("dermaflow sms reply v1/", phone)));
  return common::GlobalKey("sms_reply", absl::BytesToHexString(digest.substr(0, 16)));
}

absl::Status RedisSmsReplyBook::Remember(const std::string& phone, const SmsReplyTarget& target,
                                         absl::Time expire_time) {
  DF_ASSIGN_OR_RETURN(const std::string key, Key(phone));
  DF_ASSIGN_OR_RETURN(
      std::vector<common::RedisReply> replies,
      redis_.Pipeline({{"HSET", key, "org", target.organization, "confirm", target.confirm_token,
                        "cancel", target.cancel_token},
                       {"PEXPIREAT", key, absl::StrCat(absl::ToUnixMillis(expire_time))}}));
  for (const common::RedisReply& r : replies) DF_RETURN_IF_ERROR(r.ToStatus());
  return absl::OkStatus();
}

absl::StatusOr<std::optional<SmsReplyTarget>> RedisSmsReplyBook::Find(const std::string& phone) {
  DF_ASSIGN_OR_RETURN(const std::string key, Key(phone));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Command({"HMGET", key, "org", "confirm", "cancel"}));
  DF_RETURN_IF_ERROR(reply.ToStatus());
  const auto& f = reply.elements();
  if (f.size() != 3 || f[0].is_nil()) return std::nullopt;
  return SmsReplyTarget{f[0].str(), f[1].str(), f[2].str()};
}

absl::StatusOr<bool> RedisSmsReplyBook::FirstPost(const std::string& message_id) {
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Command({"SET", PostKey(message_id), "1", "NX", "PX",
                                      absl::StrCat(absl::ToInt64Milliseconds(absl::Hours(24)))}));
  DF_RETURN_IF_ERROR(reply.ToStatus());
  return !reply.is_nil();
}

absl::Status RedisSmsReplyBook::Forget(const std::string& message_id) {
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"DEL", PostKey(message_id)}));
  return reply.ToStatus();
}

}  // namespace dermaflow::notification
