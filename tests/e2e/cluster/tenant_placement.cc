#include "tests/e2e/cluster/tenant_placement.h"

#include "absl/strings/str_cat.h"
#include "common/redis/hash_slot.h"

namespace dermaflow::e2e {

std::vector<PlacedTenant> TenantsOnEveryPrimary(testing::RedisCluster& cluster, int count,
                                                const std::string& prefix) {
  const std::vector<int> primaries = cluster.PrimaryPorts();
  std::vector<PlacedTenant> tenants;
  int candidate = 0;
  while (static_cast<int>(tenants.size()) < count) {
    const int wanted = primaries[tenants.size() % primaries.size()];
    // The next free name whose slot that primary owns (about one in three).
    while (true) {
      std::string org = absl::StrCat(prefix, "-", candidate++);
      // Every tenant key is df:{org}:..., so its slot is the slot of `org`.
      const int slot = common::KeyHashSlot(absl::StrCat("df:{", org, "}:events"));
      if (cluster.PortOwning(slot) != wanted) continue;
      tenants.push_back({.organization = std::move(org), .slot = slot, .primary_port = wanted});
      break;
    }
  }
  return tenants;
}

std::map<int, int> TenantsPerPrimary(const std::vector<PlacedTenant>& tenants) {
  std::map<int, int> spread;
  for (const PlacedTenant& tenant : tenants) ++spread[tenant.primary_port];
  return spread;
}

}  // namespace dermaflow::e2e
