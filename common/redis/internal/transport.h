// How RedisClient gets commands to Redis and replies back: to one server
// through one pool, or routed over a Redis Cluster (cluster_transport.h).
// RedisClient adds metrics and the script cache fallback on top, the same
// for both.
//
//   std::unique_ptr<Transport> transport = MakeTransport(options, metrics);
//   DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
//                       transport->Execute({{"GET", key}}, options.command_timeout));
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/internal/connection_pool.h"
#include "common/redis/redis_metrics.h"
#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common::redis_internal {

class Transport {
 public:
  virtual ~Transport() = default;

  // One reply per command, in the callers' order; an error reply stands in
  // the place of its command. A status instead only when the replies cannot
  // be trusted or were never asked for: connection trouble (UNAVAILABLE)
  // or a command refused before sending (INVALID_ARGUMENT).
  virtual absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) = 0;
};

// One server through one pool: what RedisClient always did.
class SingleNodeTransport : public Transport {
 public:
  SingleNodeTransport(RedisOptions options, RedisMetrics* metrics)
      : pool_(std::move(options), metrics) {}

  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) override {
    absl::StatusOr<ConnectionPool::Lease> connection = pool_.Acquire();
    if (!connection.ok()) return connection.status();
    return (*connection)->Execute(commands, timeout);
  }

 private:
  ConnectionPool pool_;
};

// SingleNodeTransport or ClusterTransport, as options.mode says.
std::unique_ptr<Transport> MakeTransport(RedisOptions options, RedisMetrics* metrics);

}  // namespace dermaflow::common::redis_internal
