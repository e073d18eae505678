#include "common/api/page_token_secret.h"

#include <openssl/rand.h>

#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

absl::StatusOr<std::string> LoadSecret(RedisClient& redis, const std::string& key) {
  std::string fresh(kTokenSecretSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()), kTokenSecretSize) != 1) {
    return absl::InternalError("no randomness for a token secret");
  }
  // SET NX keeps the first secret ever made.
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                      redis.Pipeline({{"SET", key, std::move(fresh), "NX"}, {"GET", key}}));
  DF_RETURN_IF_ERROR(replies[0].ToStatus());
  DF_ASSIGN_OR_RETURN(std::string stored, replies[1].AsString());
  if (stored.size() != kTokenSecretSize) {
    return absl::InternalError("a token secret in Redis has the wrong size");
  }
  return stored;
}

}  // namespace

absl::StatusOr<std::string> LoadPageTokenSecret(RedisClient& redis, std::string_view service) {
  return LoadSecret(redis, GlobalKey("page_token_secret", service));
}

absl::StatusOr<std::string> LoadActionTokenSecret(RedisClient& redis) {
  return LoadSecret(redis, GlobalKey("action_token_secret"));
}

absl::StatusOr<std::string> CachedSecret::Get() const {
  {
    absl::MutexLock lock(&mu_);
    if (!secret_.empty()) return secret_;
  }
  DF_ASSIGN_OR_RETURN(std::string secret, source_());
  if (secret.size() != kTokenSecretSize)
    return absl::InternalError("a token secret has the wrong size");
  absl::MutexLock lock(&mu_);
  secret_ = secret;
  return secret;
}

}  // namespace dermaflow::common
