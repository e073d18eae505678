// The production tests (production_config_test.cc, production_tenants_test.cc)
// on a 3-primary Redis Cluster with replicas. One process runs them all on
// one cluster (SharedRedisCluster, emptied per test), as the other
// cluster-sharing binaries do (WHOLE_BINARY in CMakeLists.txt).
#include "tests/e2e/production/production_fixture.h"

namespace dermaflow::e2e {

INSTANTIATE_TEST_SUITE_P(Redis, ProductionConfigTest, ::testing::Values(RedisBackendKind::kCluster),
                         RedisBackendName);

}  // namespace dermaflow::e2e
