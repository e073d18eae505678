// A ProtocolClient decorator that keeps protocol versions in memory: a
// version never changes, so each (organization, id, version) is asked for
// once. "Latest" (version 0) is asked every time unless the client was given
// a clock and a `latest_ttl`: then the version "latest" resolved to is
// trusted for that long, so a new version is seen by every call that starts
// at most `latest_ttl` after the version was published (scheduling's
// --protocol_latest_ttl). Screening passes through. Thread-safe.
//
//   GrpcProtocolClient grpc_protocols(channel, options);
//   CachingProtocolClient protocols(grpc_protocols, SystemClock(), absl::Seconds(5));
//   protocols.GetProtocol(origin, "p1", 3);  // the second call is served from memory
//   protocols.GetProtocol(origin, "p1", 0);  // asked again only after 5 s
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clients/protocol_client.h"
#include "common/clock/clock.h"

namespace dermaflow::common {

class CachingProtocolClient : public ProtocolClient {
 public:
  // `inner` must outlive this. A cache that reaches `max_cached` starts
  // over (versions are few; simpler than LRU). "Latest" is always asked.
  explicit CachingProtocolClient(ProtocolClient& inner, size_t max_cached = 4096)
      : CachingProtocolClient(inner, SystemClock(), absl::ZeroDuration(), max_cached) {}
  // As above, and "latest" is trusted for `latest_ttl` by `clock` (zero:
  // always asked). `clock` must outlive this.
  CachingProtocolClient(ProtocolClient& inner, const Clock& clock, absl::Duration latest_ttl,
                        size_t max_cached = 4096)
      : inner_(inner), clock_(clock), latest_ttl_(latest_ttl), max_cached_(max_cached) {}

  absl::StatusOr<protocol::v1::Protocol> GetProtocol(const CallOrigin& origin,
                                                     const std::string& id,
                                                     int64_t version) override;
  absl::StatusOr<protocol::v1::ScreenEligibilityResponse> ScreenEligibility(
      const CallOrigin& origin, const protocol::v1::ScreenEligibilityRequest& request) override {
    return inner_.ScreenEligibility(origin, request);
  }

 private:
  using VersionKey = std::tuple<std::string, std::string, int64_t>;  // org, id, version
  using ProtocolKey = std::pair<std::string, std::string>;           // org, id
  // What "latest" resolved to, asked at `asked` (before the answer came).
  struct Latest {
    int64_t version = 0;
    absl::Time asked = absl::InfinitePast();
  };

  ProtocolClient& inner_;
  const Clock& clock_;
  const absl::Duration latest_ttl_;
  const size_t max_cached_;
  absl::Mutex mu_;
  std::map<VersionKey, protocol::v1::Protocol> cache_ ABSL_GUARDED_BY(mu_);
  std::map<ProtocolKey, Latest> latest_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
