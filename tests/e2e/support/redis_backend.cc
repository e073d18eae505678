#include "tests/e2e/support/redis_backend.h"

namespace dermaflow::e2e {
namespace {

const char* Name(RedisBackendKind kind) {
  switch (kind) {
    case RedisBackendKind::kSingleNode:
      return "SingleNode";
    case RedisBackendKind::kSentinel:
      return "Sentinel";
    case RedisBackendKind::kCluster:
      return "Cluster";
  }
  return "Unknown";
}

}  // namespace

RedisBackend::RedisBackend(RedisBackendKind kind) : kind_(kind) {
  switch (kind) {
    case RedisBackendKind::kSingleNode:
      break;  // the Suite starts its own
    case RedisBackendKind::kSentinel:
      // Two replicas: after a fail-over the promoted primary still has one
      // to confirm durable writes (docs/operations.md, "Durable writes").
      sentinel_ = std::make_unique<testing::RedisSentinelSetup>(/*replicas=*/2);
      break;
    case RedisBackendKind::kCluster:
      // Starting a cluster takes ~1.5 s; the tests of one binary share it,
      // each on an empty one (its own services start after this).
      cluster_ = &testing::SharedRedisCluster();
      cluster_->FlushAll();
      break;
  }
}

RedisBackend::~RedisBackend() = default;

SuiteOptions RedisBackend::Configure(SuiteOptions options) const {
  if (sentinel_) {
    options.redis_url = sentinel_->url();
    // insert: a value the test set itself wins.
    options.service_env.insert({"DERMAFLOW_REDIS_DURABLE_REPLICAS", "1"});
  }
  if (cluster_ != nullptr) options.redis_url = cluster_->url();
  return options;
}

std::string RedisBackendName(const ::testing::TestParamInfo<RedisBackendKind>& info) {
  return Name(info.param);
}

void PrintTo(RedisBackendKind kind, std::ostream* os) { *os << Name(kind); }

}  // namespace dermaflow::e2e
