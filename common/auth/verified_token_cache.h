// A bounded cache of tokens JwtVerifier has already checked, so a caller who
// reuses a token for its lifetime (as people and services do) pays the JSON
// parsing and the RS256/ES256 signature check once, not on every RPC.
// Entries are keyed by the token's SHA-256 (no token text is kept), live
// until the token's `exp` or the TTL, whichever is first, and the least
// recently used is dropped when the cache is full. An entry remembers which
// key signed the token; the verifier only trusts a hit while that key is
// still among the current keys, so a key the provider removes stops
// vouching for its tokens at the next JWKS refresh (jwt_verifier.cc).
//
//   VerifiedTokenCache cache({.max_entries = 10000, .ttl = absl::Minutes(5)});
//   if (auto hit = cache.Find(token, now)) return hit->caller;
//   cache.Insert(token, verified, now);
#pragma once

#include <cstddef>
#include <list>
#include <optional>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/caller.h"
#include "common/auth/jws_key.h"

namespace dermaflow::common {

struct VerifiedTokenCacheOptions {
  size_t max_entries = 10000;  // 0: no caching
  absl::Duration ttl = absl::Minutes(5);
};

// What a successful check found out about a token.
struct VerifiedToken {
  Caller caller;
  absl::Time expires_at;       // the token's `exp`
  bool service_token = false;  // checked with the service-identity keys
  std::string kid;             // as in the token's header
  JwsKey key;                  // the key whose signature matched
};

class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(VerifiedTokenCacheOptions options) : options_(options) {}

  // The entry for `token` if it is still valid at `now` (not past its `exp`
  // nor its TTL); an expired entry is dropped.
  std::optional<VerifiedToken> Find(std::string_view token, absl::Time now);

  // Remembers `verified` until min(its exp, now + ttl); nothing when that is
  // not after `now` or the cache is disabled.
  void Insert(std::string_view token, const VerifiedToken& verified, absl::Time now);

  void Erase(std::string_view token);

  size_t size() const;

 private:
  struct Entry {
    std::string digest;
    VerifiedToken token;
    absl::Time valid_until;
  };
  using Lru = std::list<Entry>;  // most recently used first

  static std::string Digest(std::string_view token);

  const VerifiedTokenCacheOptions options_;
  mutable absl::Mutex mu_;
  Lru lru_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Lru::iterator> index_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
