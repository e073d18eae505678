// A ProtocolStore decorator that keeps protocol versions in memory. A stored
// version never changes (UpdateProtocol appends the next one), so
// Get(org, id, version > 0) reads Redis once per process; "latest"
// (version 0), lists and every write pass through. ScreenEligibility reads
// the exact version the booking resolved, so screening during a booking
// costs no Redis read. Thread-safe.
//
//   RedisProtocolStore redis_store(redis);
//   CachingProtocolStore store(redis_store);
//   store.Get(org, "p1", 3);  // the second call is served from memory
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <tuple>

#include "absl/synchronization/mutex.h"
#include "services/protocol/store/protocol_store.h"

namespace dermaflow::protocol {

class CachingProtocolStore : public ProtocolStore {
 public:
  // `inner` must outlive this. A cache that reaches `max_cached` starts over
  // (an organization has dozens of protocols; simpler than LRU); 0 keeps
  // nothing.
  explicit CachingProtocolStore(ProtocolStore& inner, size_t max_cached = 4096)
      : inner_(inner), max_cached_(max_cached) {}

  absl::StatusOr<v1::Protocol> Get(std::string_view org, std::string_view id,
                                   int64_t version) override;

  absl::StatusOr<std::string> PageTokenSecret() override { return inner_.PageTokenSecret(); }
  absl::StatusOr<ProtocolPage> List(std::string_view org, const ProtocolQuery& query) override {
    return inner_.List(org, query);
  }
  absl::StatusOr<VersionPage> ListVersions(std::string_view org, std::string_view id,
                                           int64_t from_version, int page_size) override {
    return inner_.ListVersions(org, id, from_version, page_size);
  }
  absl::StatusOr<CreateResult> Create(std::string_view org, const v1::Protocol& first,
                                      std::string_view request_id,
                                      std::string_view fingerprint) override {
    return inner_.Create(org, first, request_id, fingerprint);
  }
  absl::Status AddVersion(std::string_view org, const v1::Protocol& next) override {
    return inner_.AddVersion(org, next);
  }
  absl::StatusOr<std::vector<SeedResult>> Seed(std::string_view org,
                                               const std::vector<v1::Protocol>& first_versions,
                                               int mark_revision) override {
    return inner_.Seed(org, first_versions, mark_revision);
  }
  absl::StatusOr<int> SeededRevision(std::string_view org) override {
    return inner_.SeededRevision(org);
  }

 private:
  using Key = std::tuple<std::string, std::string, int64_t>;  // org, id, version

  ProtocolStore& inner_;
  const size_t max_cached_;
  absl::Mutex mu_;
  std::map<Key, v1::Protocol> versions_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::protocol
