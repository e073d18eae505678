#include "common/api/page_token_secret.h"

#include <openssl/rand.h>

#include "common/api/page_token.h"
#include "common/redis/keys.h"
#include "common/status/macros.h"

namespace dermaflow::common {

absl::StatusOr<std::string> LoadPageTokenSecret(RedisClient& redis, std::string_view service) {
  const std::string key = GlobalKey("page_token_secret", service);
  std::string fresh(kPageTokenSecretSize, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(fresh.data()), kPageTokenSecretSize) != 1) {
    return absl::InternalError("no randomness for a page token secret");
  }
  // SET NX keeps the first secret ever made.
  DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                      redis.Pipeline({{"SET", key, std::move(fresh), "NX"}, {"GET", key}}));
  DF_RETURN_IF_ERROR(replies[0].ToStatus());
  DF_ASSIGN_OR_RETURN(std::string stored, replies[1].AsString());
  if (stored.size() != kPageTokenSecretSize) {
    return absl::InternalError("the page token secret has the wrong size");
  }
  return stored;
}

}  // namespace dermaflow::common
