// A ProtocolClient decorator that keeps protocol versions in memory: a
// version never changes, so each (organization, id, version) is asked for
// once. "Latest" (version 0) is always asked, and its answer kept under the
// version it resolved to. Screening passes through. Thread-safe.
//
//   GrpcProtocolClient grpc_protocols(channel, options);
//   CachingProtocolClient protocols(grpc_protocols);
//   protocols.GetProtocol(origin, "p1", 3);  // the second call is served from memory
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "common/clients/protocol_client.h"

namespace dermaflow::common {

class CachingProtocolClient : public ProtocolClient {
 public:
  // `inner` must outlive this. A cache that reaches `max_cached` starts
  // over (versions are few; simpler than LRU).
  explicit CachingProtocolClient(ProtocolClient& inner, size_t max_cached = 4096)
      : inner_(inner), max_cached_(max_cached) {}

  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin& origin,
                                                     const std::string& id,
                                                     int64_t version) override;
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) override {
    return inner_.ScreenEligibility(origin, request);
  }

 private:
  ProtocolClient& inner_;
  const size_t max_cached_;
  absl::Mutex mu_;
  std::map<std::tuple<std::string, std::string, int64_t>, protocol::v1::Protocol> cache_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
