// ProtocolStore on Redis. Key layout (all in the tenant's hash slot, so each
// script below is atomic also on Redis Cluster; docs/protocol.md has more):
//
//   df:{org}:protocol:<id>                HASH  version -> latest version number,
//                                               latest -> Protocol bytes of it,
//                                               "<n>"  -> Protocol bytes of version n
//   df:{org}:protocols                    ZSET  "<category 2 digits>:<id>", score 0
//                                               (lexicographic = ListProtocols order)
//   df:{org}:protocol_catalog             HASH  catalog key -> id
//   df:{org}:protocol_catalog_revision    STRING catalog revision fully seeded
//   df:{org}:protocol_request:<sha1>      STRING "<fingerprint> <id>", EX 48 h
//
//   RedisProtocolStore store(runtime->redis());
//   DF_ASSIGN_OR_RETURN(v1::Protocol p, store.Get("clinic-a", id, 0));
#pragma once

#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "services/protocol/store/protocol_store.h"

namespace dermaflow::protocol {

class RedisProtocolStore : public ProtocolStore {
 public:
  // How long a CreateProtocol request id is remembered (the API promises at
  // least 24 hours).
  static constexpr absl::Duration kRequestIdTtl = absl::Hours(48);

  // `redis` must outlive the store. Thread-safe.
  explicit RedisProtocolStore(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<std::string> PageTokenSecret() override;

  absl::StatusOr<v1::Protocol> Get(std::string_view org, std::string_view id,
                                   int64_t version) override;
  absl::StatusOr<ProtocolPage> List(std::string_view org, const ProtocolQuery& query) override;
  absl::StatusOr<VersionPage> ListVersions(std::string_view org, std::string_view id,
                                           int64_t from_version, int page_size) override;
  absl::StatusOr<CreateResult> Create(std::string_view org, const v1::Protocol& first,
                                      std::string_view request_id,
                                      std::string_view fingerprint) override;
  absl::Status AddVersion(std::string_view org, const v1::Protocol& next) override;
  absl::StatusOr<std::vector<SeedResult>> Seed(std::string_view org,
                                               const std::vector<v1::Protocol>& first_versions,
                                               int mark_revision) override;
  absl::StatusOr<int> SeededRevision(std::string_view org) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::protocol
