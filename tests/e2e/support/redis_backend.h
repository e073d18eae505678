// The Redis an e2e suite keeps its state on, as a test parameter: the
// suite's own redis-server, Sentinel with durable writes, or a 3-primary
// Cluster, each wired as a chain deploys it (docs/operations.md, "Redis
// high availability"), so one test body runs the same flow on each.
//
//   class MyTest : public ::testing::TestWithParam<RedisBackendKind> {
//     RedisBackend redis_{GetParam()};
//     Suite suite_{redis_.Configure({.production = true})};
//   };
//   INSTANTIATE_TEST_SUITE_P(Redis, MyTest, ::testing::Values(RedisBackendKind::kSentinel),
//                            RedisBackendName);
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "gtest/gtest.h"
#include "tests/e2e/support/suite.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_sentinel.h"

namespace dermaflow::e2e {

enum class RedisBackendKind {
  kSingleNode,  // the Suite's own redis-server (redis://)
  // A primary, two replicas and three sentinels (redis+sentinel://), with
  // --redis_durable_replicas=1: one replica may fail and writes go on.
  kSentinel,
  // 3 primaries + 3 replicas (redis+cluster://): the test binary's shared
  // cluster (SharedRedisCluster), emptied for each test.
  kCluster,
};

class RedisBackend {
 public:
  // Starts (or, for the cluster, empties) the backend; throws on failure.
  explicit RedisBackend(RedisBackendKind kind);
  ~RedisBackend();

  RedisBackendKind kind() const { return kind_; }
  // `options` pointed at this backend: its URL and the services'
  // environment it needs (durable writes on Sentinel).
  SuiteOptions Configure(SuiteOptions options) const;

  // The backend's servers; nullptr when it is of another kind.
  testing::RedisSentinelSetup* sentinel() { return sentinel_.get(); }
  testing::RedisCluster* cluster() { return cluster_; }

 private:
  RedisBackendKind kind_;
  std::unique_ptr<testing::RedisSentinelSetup> sentinel_;
  testing::RedisCluster* cluster_ = nullptr;  // shared by the test binary
};

// "SingleNode", "Sentinel", "Cluster": names for INSTANTIATE_TEST_SUITE_P.
std::string RedisBackendName(const ::testing::TestParamInfo<RedisBackendKind>& info);
// So gtest prints the kind by name in failure messages.
void PrintTo(RedisBackendKind kind, std::ostream* os);

}  // namespace dermaflow::e2e
