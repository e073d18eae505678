#include "common/redis/internal/transport.h"

#include "absl/strings/match.h"
#include "common/redis/internal/cluster_transport.h"

namespace dermaflow::common::redis_internal {

bool RefusedAsNotPrimary(const RedisReply& reply) {
  return reply.is_error() && (absl::StrContains(reply.str(), "READONLY") ||
                              absl::StartsWith(reply.str(), "NOREPLICAS"));
}

absl::StatusOr<std::vector<RedisReply>> SentinelTransport::Execute(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  absl::StatusOr<std::shared_ptr<ConnectionPool>> pool = primary_.Pool();
  if (!pool.ok()) return pool.status();
  absl::StatusOr<std::vector<RedisReply>> replies;
  if (absl::StatusOr<ConnectionPool::Lease> connection = (*pool)->Acquire(); connection.ok()) {
    replies = (*connection)->Execute(commands, timeout);
  } else {
    replies = connection.status();
  }
  bool refused = !replies.ok();
  for (size_t i = 0; !refused && i < replies->size(); ++i)
    refused = RefusedAsNotPrimary((*replies)[i]);
  if (refused) primary_.Suspect();
  return replies;
}

std::unique_ptr<Transport> MakeTransport(RedisOptions options, RedisMetrics* metrics) {
  if (options.mode == RedisMode::kCluster) {
    return std::make_unique<ClusterTransport>(std::move(options), metrics);
  }
  if (options.mode == RedisMode::kSentinel) {
    return std::make_unique<SentinelTransport>(options, metrics);
  }
  return std::make_unique<SingleNodeTransport>(std::move(options), metrics);
}

}  // namespace dermaflow::common::redis_internal
