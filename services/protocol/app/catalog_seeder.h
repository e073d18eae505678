// Gives organizations the built-in catalog: all of it on their first call of
// any RPC (EnsureSeeded), or chosen entries through SeedCatalog. Seeding is
// one atomic, idempotent Lua script, so racing first calls from many threads
// or replicas still create each entry exactly once.
//
//   CatalogSeeder seeder(store, clock);
//   DF_RETURN_IF_ERROR(seeder.EnsureSeeded(caller.organization));
#pragma once

#include <string>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/clock/clock.h"
#include "dermaflow/protocol/v1/protocol_service.pb.h"
#include "services/protocol/store/protocol_store.h"

namespace dermaflow::protocol {

class CatalogSeeder {
 public:
  // Both must outlive the seeder. Thread-safe.
  CatalogSeeder(ProtocolStore& store, const common::Clock& clock) : store_(store), clock_(clock) {}

  // Seeds the whole catalog unless the organization has the current
  // revision. After the first success per organization this is a set lookup
  // in memory (nothing removes a seeded entry, so the answer cannot change).
  absl::Status EnsureSeeded(std::string_view org);

  // The entries named by `keys` (empty: all) that the organization does not
  // have yet. INVALID_ARGUMENT naming "catalog_keys[i]" for an unknown key.
  absl::StatusOr<v1::SeedCatalogResponse> Seed(
      std::string_view org, const google::protobuf::RepeatedPtrField<std::string>& keys);

 private:
  bool KnownSeeded(std::string_view org) const;
  void RememberSeeded(std::string_view org);

  ProtocolStore& store_;
  const common::Clock& clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_set<std::string> seeded_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::protocol
