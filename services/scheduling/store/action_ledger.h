// The replay ledger of patient action tokens (common/api/action_token.h):
// a token is claimed before its action runs, so a second use — a double tap,
// a forwarded link, a replayed request — finds it taken and changes
// nothing. A failed action gives its claim back, so the patient can try
// again. Entries expire a day after their token does.
//
//   DF_ASSIGN_OR_RETURN(bool mine, ledger.Claim(org, token_id, expire_time));
//   if (!mine) return AlreadyUsed();
//   if (!(status = Act()).ok()) ledger.Release(org, token_id);
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

class ActionLedger {
 public:
  virtual ~ActionLedger() = default;

  // True when this call claimed the token, false when it was used before.
  virtual absl::StatusOr<bool> Claim(const std::string& org, const std::string& token_id,
                                     absl::Time expire_time) = 0;
  virtual absl::Status Release(const std::string& org, const std::string& token_id) = 0;
  virtual absl::StatusOr<bool> IsUsed(const std::string& org, const std::string& token_id) = 0;
};

}  // namespace dermaflow::scheduling
