#include "services/patient/store/erasure_ledger.h"

#include "common/redis/keys.h"
#include "common/redis/lua_script.h"
#include "services/patient/lua/record_erasure_lua.h"

namespace dermaflow::patient {

std::string PendingErasuresKey() { return common::GlobalKey("ops", "erasures_pending"); }
std::string ErasureRewriteLockKey() { return common::GlobalKey("ops", "erasure_rewrite_lock"); }
std::string LastErasureRewriteKey() { return common::GlobalKey("ops", "erasure_last_rewrite"); }

absl::Status RecordPendingErasure(common::RedisClient& redis, std::string_view org,
                                  std::string_view patient_id) {
  const std::string member = common::Sha1Hex(std::string(org) + "/" + std::string(patient_id));
  return redis.Eval(RecordErasureScript(), {PendingErasuresKey()}, {member}).status();
}

}  // namespace dermaflow::patient
