// The pieces of durable writes (RedisOptions::durable_replicas) that callers
// see: the error a write gets when the replicas did not confirm it, and the
// key a durable write's probe goes to.
//
//   absl::Status s = redis.Eval(script, keys, args, Durability::kReplicated).status();
//   if (IsNotReplicated(s)) { /* it ran on the primary; record what must follow */ }
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace dermaflow::common {

// UNAVAILABLE, marked so IsNotReplicated tells it from a write that never
// ran (both are UNAVAILABLE to gRPC callers: retry idempotently).
absl::Status NotReplicatedError(std::string_view message);
bool IsNotReplicated(const absl::Status& status);

// A key in `key`'s hash slot that durable writes touch before WAIT:
// `df:{org}:replication_probe` for tenant keys, `{<key>}:replication_probe`
// for a key without braces (the suite's global keys).
std::string ReplicationProbeKey(std::string_view key);

}  // namespace dermaflow::common
