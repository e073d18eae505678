// Tells the error replies by which a node says it cannot serve right now
// (LOADING, BUSY, OOM, MISCONF, READONLY) from those about the command
// itself (a script's CONFLICT, WRONGTYPE, NOPERM, MOVED), so per-node error
// counts show a sick node and not a caller's mistake. Pure.
//
//   std::string_view kind = NodeErrorKindOfReply(reply);
//   if (!kind.empty()) metrics->OnNodeError(node, kind);
#pragma once

#include <string_view>

#include "common/redis/redis_reply.h"

namespace dermaflow::common::redis_internal {

// One of kRedisNodeErrorKinds (redis_metrics.h) for such a reply; "" for
// every other reply, error or not.
std::string_view NodeErrorKindOfReply(const RedisReply& reply);

}  // namespace dermaflow::common::redis_internal
