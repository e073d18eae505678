// Reads the error replies by which a Redis Cluster node says it did not run
// a command: MOVED / ASK (another node serves the slot) and TRYAGAIN /
// CLUSTERDOWN (it cannot now). Any other reply is the command's own answer.
//
//   ClusterError e = ClassifyClusterError(reply);
//   if (e.kind == ClusterError::Kind::kMoved) { map.Assign(e.slot, e.node); ... }
#pragma once

#include <string_view>

#include "common/redis/redis_options.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common::redis_internal {

struct ClusterError {
  enum class Kind { kNone, kMoved, kAsk, kTryAgain, kClusterDown };
  Kind kind = Kind::kNone;
  int slot = -1;          // kMoved, kAsk
  RedisNodeAddress node;  // kMoved, kAsk; host empty if the node did not say
};

// kNone for every reply but the four errors above (a MOVED or ASK whose
// target cannot be read is kNone too: the caller then sees it as it came).
ClusterError ClassifyClusterError(const RedisReply& reply);

// "moved", "ask", "tryagain", "clusterdown": the metric label of a kind.
std::string_view ClusterErrorLabel(ClusterError::Kind kind);

}  // namespace dermaflow::common::redis_internal
