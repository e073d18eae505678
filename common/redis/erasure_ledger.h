// Erasures that are committed in Redis's memory but may still be readable in
// its persistence files (the AOF keeps every past write until Redis rewrites
// it; an RDB snapshot keeps what was live when it was taken). Every service
// that deletes a patient's data adds the erasure here once its delete has
// committed (patient's store, notification's reminders and texts); patient's
// ErasureRewriter rewrites the files and clears what the rewrite covered. The keys are global
// (`df:ops:...`), not per tenant: one Redis has one set of files.
//
//   DF_RETURN_IF_ERROR(RecordPendingErasure(redis));
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace dermaflow::common {

// Sorted set: member = a random token per erasure (nothing derived from the
// patient or organization), score = Redis time (ms) when it was recorded.
std::string PendingErasuresKey();
// The rewriter's lock (SET NX PX, token) and the Redis time (ms) the last
// rewrite started, shared by all replicas.
std::string ErasureRewriteLockKey();
std::string LastErasureRewriteKey();

// Records an erasure that has committed. A repeated erasure adds another
// entry; the next rewrite clears both.
absl::Status RecordPendingErasure(RedisClient& redis);

// The ledger as its own node sees it. On a Redis Cluster every node has
// its own clock; the entries' scores are on the ledger node's, so the
// rewriter's "now" (and cut-off) must be too.
struct PendingErasures {
  int64_t now_ms = 0;  // TIME on the ledger's node
  int64_t count = 0;
  std::optional<int64_t> oldest_ms;  // the oldest entry's time; none when empty
};
absl::StatusOr<PendingErasures> ReadPendingErasures(RedisClient& redis);

}  // namespace dermaflow::common
