// Organization ids for e2e tests on a Redis Cluster, chosen so that their
// hash slots (the `{org}` tag of every tenant key) land on every primary in
// turn, as the cluster itself reports the owners (CLUSTER SLOTS).
//
//   std::vector<PlacedTenant> tenants = TenantsOnEveryPrimary(cluster, 50, "chain");
//   std::map<int, int> spread = TenantsPerPrimary(tenants);  // port -> tenants
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tests/support/redis_cluster.h"

namespace dermaflow::e2e {

struct PlacedTenant {
  std::string organization;
  int slot = 0;          // common::KeyHashSlot of the organization's keys
  int primary_port = 0;  // the primary owning that slot when placed
};

// `count` organizations "<prefix>-<n>", round-robin over the primaries.
std::vector<PlacedTenant> TenantsOnEveryPrimary(testing::RedisCluster& cluster, int count,
                                                const std::string& prefix);

// Primary port -> how many of `tenants` it owns.
std::map<int, int> TenantsPerPrimary(const std::vector<PlacedTenant>& tenants);

}  // namespace dermaflow::e2e
