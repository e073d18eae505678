#include "services/scheduling/store/redis_action_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/status/macros.h"
#include "services/scheduling/store/scheduling_keys.h"

namespace dermaflow::scheduling {
namespace {

// At least a millisecond: Redis refuses a zero or negative expiry.
std::string Millis(absl::Duration d) {
  return absl::StrCat(std::max<int64_t>(1, absl::ToInt64Milliseconds(d)));
}

}  // namespace

absl::StatusOr<bool> RedisActionLedger::Claim(const std::string& org, const std::string& token_id,
                                              absl::Duration hold) {
  DF_ASSIGN_OR_RETURN(const std::string key, keys::UsedActionToken(org, token_id));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply,
                      redis_.Command({"SET", key, "1", "NX", "PX", Millis(hold)}));
  DF_RETURN_IF_ERROR(reply.ToStatus());
  return !reply.is_nil();
}

absl::Status RedisActionLedger::Keep(const std::string& org, const std::string& token_id,
                                     absl::Duration keep) {
  DF_ASSIGN_OR_RETURN(const std::string key, keys::UsedActionToken(org, token_id));
  DF_ASSIGN_OR_RETURN(common::RedisReply reply, redis_.Command({"PEXPIRE", key, Millis(keep)}));
  return reply.ToStatus();
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
