#include "common/clients/caching_protocol_client.h"

namespace dermaflow::common {

absl::StatusOr<protocol::v1::Protocol> CachingProtocolClient::GetProtocol(const CallOrigin& origin,
                                                                          const std::string& id,
                                                                          int64_t version) {
  if (version > 0) {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find({origin.organization(), id, version});
    if (it != cache_.end()) return it->second;
  }
  absl::StatusOr<protocol::v1::Protocol> protocol = inner_.GetProtocol(origin, id, version);
  if (!protocol.ok()) return protocol;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= max_cached_) cache_.clear();
  cache_[{origin.organization(), id, protocol->version()}] = *protocol;
  return protocol;
}

}  // namespace dermaflow::common
