#include "common/auth/verified_token_cache.h"

#include <openssl/sha.h>

#include <algorithm>

namespace dermaflow::common {

std::string VerifiedTokenCache::Digest(std::string_view token) {
  std::string digest(SHA256_DIGEST_LENGTH, '\0');
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         reinterpret_cast<unsigned char*>(digest.data()));
  return digest;
}

std::optional<VerifiedToken> VerifiedTokenCache::Find(std::string_view token, absl::Time now) {
  if (options_.max_entries == 0) return std::nullopt;
  const std::string digest = Digest(token);
  absl::MutexLock lock(&mu_);
  auto it = index_.find(digest);
  if (it == index_.end()) return std::nullopt;
  if (now >= it->second->valid_until) {
    lru_.erase(it->second);
    index_.erase(it);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->token;
}

void VerifiedTokenCache::Insert(std::string_view token, const VerifiedToken& verified,
                                absl::Time now) {
  if (options_.max_entries == 0) return;
  const absl::Time valid_until = std::min(verified.expires_at, now + options_.ttl);
  if (valid_until <= now) return;
  std::string digest = Digest(token);
  absl::MutexLock lock(&mu_);
  auto it = index_.find(digest);
  if (it != index_.end()) {
    it->second->token = verified;
    it->second->valid_until = valid_until;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  while (lru_.size() >= options_.max_entries) {
    index_.erase(lru_.back().digest);
    lru_.pop_back();
  }
  lru_.push_front(Entry{digest, verified, valid_until});
  index_.emplace(std::move(digest), lru_.begin());
}

void VerifiedTokenCache::Erase(std::string_view token) {
  const std::string digest = Digest(token);
  absl::MutexLock lock(&mu_);
  auto it = index_.find(digest);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

size_t VerifiedTokenCache::size() const {
  absl::MutexLock lock(&mu_);
  return lru_.size();
}

}  // namespace dermaflow::common
