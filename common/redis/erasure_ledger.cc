#include "common/redis/erasure_ledger.h"

#include "absl/strings/numbers.h"
#include "common/random/random_hex.h"
#include "common/redis/keys.h"
#include "common/redis/lua_script.h"
#include "common/status/macros.h"

namespace dermaflow::common {
namespace {

// The score is Redis's own clock, so every replica and the rewriter compare
// times on one clock.
const LuaScript& RecordErasureScript() {
  static const LuaScript kScript("record_erasure", R"lua(
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], ms, ARGV[1])
return ms
)lua");
  return kScript;
}

// TIME is read inside the script so it is the clock of the node holding
// the ledger, whichever node that is.
const LuaScript& ReadErasuresScript() {
  static const LuaScript kScript("read_erasures", R"lua(
local t = redis.call('TIME')
local ms = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {ms, redis.call('ZCARD', KEYS[1]), oldest[2] or false}
)lua");
  return kScript;
}

}  // namespace

std::string PendingErasuresKey() { return GlobalKey("ops", "erasures_pending"); }
std::string ErasureRewriteLockKey() { return GlobalKey("ops", "erasure_rewrite_lock"); }
std::string LastErasureRewriteKey() { return GlobalKey("ops", "erasure_last_rewrite"); }

absl::Status RecordPendingErasure(RedisClient& redis) {
  return redis
      .Eval(RecordErasureScript(), {PendingErasuresKey()}, {RandomHex128()},
            Durability::kReplicated)
      .status();
}

absl::StatusOr<PendingErasures> ReadPendingErasures(RedisClient& redis) {
  absl::StatusOr<RedisReply> reply = redis.Eval(ReadErasuresScript(), {PendingErasuresKey()}, {});
  if (!reply.ok()) return reply.status();
  if (!reply->is_array() || reply->elements().size() != 3) {
    return absl::InternalError("erasures_pending: unexpected reply");
  }
  const std::vector<RedisReply>& fields = reply->elements();
  PendingErasures pending;
  DF_ASSIGN_OR_RETURN(pending.now_ms, fields[0].AsInt());
  DF_ASSIGN_OR_RETURN(pending.count, fields[1].AsInt());
  if (!fields[2].is_nil()) {
    double score = 0;  // as ZRANGE prints it, a double
    if (!absl::SimpleAtod(fields[2].str(), &score)) {
      return absl::InternalError("erasures_pending: score is not a number");
    }
    pending.oldest_ms = static_cast<int64_t>(score);
  }
  return pending;
}

}  // namespace dermaflow::common
