// Having Redis rewrite its persistence files: an AOF rewrite (BGREWRITEAOF)
// when the AOF is on, and a new RDB snapshot (BGSAVE) when snapshots are
// configured, each started after any fork already running (which may predate
// what the caller wants out of the files) and waited for until Redis reports
// it finished well. Used after erasures (patient's ErasureRewriter), so that
// deleted data does not stay readable on disk.
//
//   DF_RETURN_IF_ERROR(RewritePersistenceFiles(redis, absl::Now() + absl::Minutes(15), pause));
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_reply.h"

namespace dermaflow::common {

// The "key:value" lines of one INFO section.
using RedisInfo = std::map<std::string, std::string, std::less<>>;
absl::StatusOr<RedisInfo> ReadRedisInfo(RedisClient& redis, const std::string& section);
// A field of it, "" when absent.
std::string InfoField(const RedisInfo& info, const std::string& key);

// TIME's reply in milliseconds: Redis's clock, the one every replica shares.
absl::StatusOr<int64_t> RedisTimeMs(const RedisReply& reply);

// True for a command the server will never run for us: an ACL refusal
// ("NOPERM") or a command renamed away, as managed Redis services do.
// Retrying does not help; the operator must act.
bool IsRefusedCommand(const absl::Status& status);

// Sleeps up to `d`; false when the caller is stopping (the wait then ends
// with CANCELLED, and Redis finishes a started rewrite by itself).
using PauseFn = std::function<bool(absl::Duration)>;

// Rewrites the AOF (if on) and takes an RDB snapshot (if `save` is
// configured, or if CONFIG is refused: an old snapshot may hold the data).
// DEADLINE_EXCEEDED when not done by `deadline`; the command's error when
// refused; INTERNAL when Redis reports the rewrite or save failed.
absl::Status RewritePersistenceFiles(RedisClient& redis, absl::Time deadline, const PauseFn& pause);

}  // namespace dermaflow::common
