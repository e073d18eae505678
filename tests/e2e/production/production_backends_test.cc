// The production tests (production_config_test.cc, production_tenants_test.cc)
// on the one server and on Sentinel with durable writes: one process and
// one Redis setup per test, so ctest runs them side by side. The Cluster's
// run is production_cluster_test.cc.
#include "tests/e2e/production/production_fixture.h"

namespace dermaflow::e2e {

INSTANTIATE_TEST_SUITE_P(Redis, ProductionConfigTest,
                         ::testing::Values(RedisBackendKind::kSingleNode,
                                           RedisBackendKind::kSentinel),
                         RedisBackendName);

}  // namespace dermaflow::e2e
