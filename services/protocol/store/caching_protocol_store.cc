#include "services/protocol/store/caching_protocol_store.h"

namespace dermaflow::protocol {

absl::StatusOr<v1::Protocol> CachingProtocolStore::Get(std::string_view org, std::string_view id,
                                                       int64_t version) {
  if (version <= 0 || max_cached_ == 0) return inner_.Get(org, id, version);
  const Key key{std::string(org), std::string(id), version};
  {
    absl::MutexLock lock(&mu_);
    auto it = versions_.find(key);
    if (it != versions_.end()) return it->second;
  }
  absl::StatusOr<v1::Protocol> protocol = inner_.Get(org, id, version);
  if (!protocol.ok()) return protocol;  // errors are never kept
  absl::MutexLock lock(&mu_);
  if (versions_.size() >= max_cached_) versions_.clear();
  versions_.emplace(key, *protocol);
  return protocol;
}

}  // namespace dermaflow::protocol
