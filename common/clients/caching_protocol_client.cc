#include "common/clients/caching_protocol_client.h"

namespace dermaflow::common {

absl::StatusOr<protocol::v1::Protocol> CachingProtocolClient::GetProtocol(const CallOrigin& origin,
                                                                          const std::string& id,
                                                                          int64_t version) {
  const absl::Time asked = clock_.Now();
  {
    absl::MutexLock lock(&mu_);
    int64_t wanted = version;
    if (version == 0) {
      auto latest = latest_.find({origin.organization(), id});
      // Measured from when it was asked: the answer is at least that fresh.
      if (latest != latest_.end() && asked - latest->second.asked < latest_ttl_) {
        wanted = latest->second.version;
      }
    }
    if (wanted > 0) {
      auto it = cache_.find({origin.organization(), id, wanted});
      if (it != cache_.end()) return it->second;
    }
  }
  absl::StatusOr<protocol::v1::Protocol> protocol = inner_.GetProtocol(origin, id, version);
  if (!protocol.ok()) return protocol;
  absl::MutexLock lock(&mu_);
  if (cache_.size() >= max_cached_) {
    cache_.clear();
    latest_.clear();
  }
  cache_[{origin.organization(), id, protocol->version()}] = *protocol;
  if (version == 0 && latest_ttl_ > absl::ZeroDuration()) {
    Latest& latest = latest_[{origin.organization(), id}];
    // Of two answers in flight, the one asked later wins.
    if (asked >= latest.asked) latest = {protocol->version(), asked};
  }
  return protocol;
}

}  // namespace dermaflow::common
