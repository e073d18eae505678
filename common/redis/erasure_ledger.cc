#include "common/redis/erasure_ledger.h"

#include "common/random/random_hex.h"
#include "common/redis/keys.h"
#include "common/redis/lua_script.h"

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

}  // namespace dermaflow::common
