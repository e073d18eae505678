#include "common/redis/internal/transport.h"

#include "common/redis/internal/cluster_transport.h"

namespace dermaflow::common::redis_internal {

std::unique_ptr<Transport> MakeTransport(RedisOptions options, RedisMetrics* metrics) {
  if (options.mode == RedisMode::kCluster) {
    return std::make_unique<ClusterTransport>(std::move(options), metrics);
  }
  return std::make_unique<SingleNodeTransport>(std::move(options), metrics);
}

}  // namespace dermaflow::common::redis_internal
