// Having Redis rewrite its persistence files on every primary: an AOF
// rewrite (BGREWRITEAOF) where the AOF is on, and a new RDB snapshot
// (BGSAVE) where snapshots are configured, each decided, started and waited
// for per node (its own INFO persistence and `save`), all nodes at once
// (each forks on its own). A job starts after any fork already running on
// its node (which may predate what the caller wants out of the files) and is
// waited for until the node reports it finished well. Used after erasures
// (patient's ErasureRewriter), so that deleted data does not stay readable
// on disk. One server and Sentinel: one node, the primary.
//
//   DF_ASSIGN_OR_RETURN(std::vector<NodeRewrite> nodes,
//                       RewritePersistenceFiles(redis, absl::Now() + absl::Minutes(15), pause));
//   if (!AllRewritten(nodes)) ...  // each failed node's status names its error
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"

namespace dermaflow::common {

// The "key:value" lines of one INFO section's text.
using RedisInfo = std::map<std::string, std::string, std::less<>>;
RedisInfo ParseRedisInfo(absl::string_view text);
// A field of it, "" when absent.
std::string InfoField(const RedisInfo& info, const std::string& key);

// True for a command the server will never run for us: an ACL refusal
// ("NOPERM") or a command renamed away, as managed Redis services do.
// Retrying does not help; the operator must act.
bool IsRefusedCommand(const absl::Status& status);

// Sleeps up to `d`; false when the caller is stopping (the wait then ends
// with CANCELLED, and Redis finishes a started rewrite by itself).
using PauseFn = std::function<bool(absl::Duration)>;

// What one primary did.
struct NodeRewrite {
  std::string node;  // "host:port"
  // OK: every file the node keeps was rewritten after the call began (or it
  // keeps none). Else why not: the command's error when refused; INTERNAL
  // when the node reported the rewrite or save failed; DEADLINE_EXCEEDED
  // when not done by the deadline; UNAVAILABLE when the node could not be
  // asked, or became or stopped being a primary meanwhile (a fail-over).
  absl::Status status;
  bool aof_rewritten = false;
  bool rdb_saved = false;
};

// Rewrites the AOF (where on) and takes an RDB snapshot (where `save` is
// configured, or CONFIG is refused: an old snapshot may hold the data) on
// every primary. One entry per primary; a node that turned primary during
// the call is listed as failed (its files were not rewritten). A status of
// its own only when no primary can be asked (UNAVAILABLE) or `pause` says
// stop (CANCELLED).
absl::StatusOr<std::vector<NodeRewrite>> RewritePersistenceFiles(RedisClient& redis,
                                                                 absl::Time deadline,
                                                                 const PauseFn& pause);

// True iff every node's files were rewritten.
bool AllRewritten(const std::vector<NodeRewrite>& nodes);

}  // namespace dermaflow::common
