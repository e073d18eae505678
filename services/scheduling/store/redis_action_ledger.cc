#include "services/scheduling/store/redis_action_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/scheduling/store/scheduling_keys.h"

namespace dermaflow::scheduling {

absl::StatusOr<bool> RedisActionLedger::Claim(const std::string& org, const std::string& token_id,
                                              absl::Time expire_time) {
  DF_ASSIGN_OR_RETURN(const std::string key, keys::UsedActionToken(org, token_id));
  // Kept a day past the token's expiry: by then Open refuses it anyway.
  const int64_t until_ms = absl::ToUnixMillis(expire_time + absl::Hours(24));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Command({"SET", key, "1", "NX", "PXAT", absl::StrCat(until_ms)}));
  DF_RETURN_IF_ERROR(reply.ToStatus());
  return !reply.is_nil();
}

absl::Status RedisActionLedger::Release(const std::string& org, const std::string& token_id) {
  DF_ASSIGN_OR_RETURN(const std::string key, keys::UsedActionToken(org, token_id));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"DEL", key}));
  return reply.ToStatus();
}

absl::StatusOr<bool> RedisActionLedger::IsUsed(const std::string& org,
                                               const std::string& token_id) {
  DF_ASSIGN_OR_RETURN(const std::string key, keys::UsedActionToken(org, token_id));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"EXISTS", key}));
  DF_RETURN_IF_ERROR(reply.ToStatus());
  DF_ASSIGN_OR_RETURN(int64_t n, reply.AsInt());
  return n > 0;
}

}  // namespace dermaflow::scheduling
