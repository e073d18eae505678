// One primary's answer to a command run on every primary separately
// (RedisClient::RunOnEveryPrimary): which node, and its reply or error.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common {

struct RedisNodeReply {
  // "host:port", as Redis Cluster names its nodes: the name to give
  // RedisClient::RunOnPrimary, and safe to log (no patient data).
  std::string node;
  absl::StatusOr<RedisReply> reply;
};

}  // namespace dermaflow::common
