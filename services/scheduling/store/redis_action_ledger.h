// ActionLedger on Redis: one key per used token,
// `df:{org}:action_used:<token id>`, set with SET NX and expiring on its own.
#pragma once

#include <string>

#include "common/redis/redis_client.h"
#include "services/scheduling/store/action_ledger.h"

namespace dermaflow::scheduling {

class RedisActionLedger : public ActionLedger {
 public:
  explicit RedisActionLedger(common::RedisClient& redis) : redis_(redis) {}

  absl::StatusOr<bool> Claim(const std::string& org, const std::string& token_id,
                             absl::Duration hold) override;
  absl::Status Keep(const std::string& org, const std::string& token_id,
                    absl::Duration keep) override;
  absl::Status Release(const std::string& org, const std::string& token_id) override;
  absl::StatusOr<bool> IsUsed(const std::string& org, const std::string& token_id) override;

 private:
  common::RedisClient& redis_;
};

}  // namespace dermaflow::scheduling
