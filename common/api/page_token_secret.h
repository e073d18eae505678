// The secrets tokens are sealed under (page_token.h, action_token.h), kept in
// Redis so every replica — and for action tokens every service — seals
// alike and nothing needs configuring: made from random bytes on first use,
// never replaced (SET NX).
//
//   PageTokenCodec tokens([&redis] { return LoadPageTokenSecret(redis, "scheduling"); });
//   ActionTokenCodec actions([&redis] { return LoadActionTokenSecret(redis); });
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/redis_client.h"

namespace dermaflow::common {

inline constexpr size_t kTokenSecretSize = 32;

// The secret at `df:page_token_secret:<service>`, created when missing.
absl::StatusOr<std::string> LoadPageTokenSecret(RedisClient& redis, std::string_view service);

// The secret at `df:action_token_secret`, shared by the service that mints
// action tokens (notification) and the one that opens them (scheduling).
absl::StatusOr<std::string> LoadActionTokenSecret(RedisClient& redis);

// A secret read once through `source` and then kept; a failure (e.g.
// UNAVAILABLE) is returned and the source asked again next time.
class CachedSecret {
 public:
  using Source = std::function<absl::StatusOr<std::string>()>;
  explicit CachedSecret(Source source) : source_(std::move(source)) {}

  absl::StatusOr<std::string> Get() const;

 private:
  Source source_;
  mutable absl::Mutex mu_;
  mutable std::string secret_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
