// The one secret a service's page tokens are sealed under (page_token.h),
// kept in Redis so every replica seals alike and nothing needs configuring:
// made from random bytes on first use, never replaced (SET NX).
//
//   PageTokenCodec tokens([&redis] { return LoadPageTokenSecret(redis, "scheduling"); });
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace dermaflow::common {

// The secret at `df:page_token_secret:<service>`, created when missing.
absl::StatusOr<std::string> LoadPageTokenSecret(RedisClient& redis, std::string_view service);

}  // namespace dermaflow::common
