// The replay ledger of patient action tokens (common/api/action_token.h):
// a token is claimed before its action runs, so a second use — a double tap,
// a forwarded link, a replayed request — finds it taken and changes
// nothing. A failed action gives its claim back, so the patient can try
// again, and a claim whose outcome never came (a crash) lapses on its own.
//
//   DF_ASSIGN_OR_RETURN(bool mine, ledger.Claim(org, token_id, absl::Seconds(60)));
//   if (!mine) return AlreadyUsed();
//   if (!(status = Act()).ok()) ledger.Release(org, token_id);
//   else ledger.Keep(org, token_id, expire_time + absl::Hours(24) - now);
//
// Times are durations from now, so Redis's own clock counts them (tests run
// the service on a fake clock).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace dermaflow::scheduling {

class ActionLedger {
 public:
  virtual ~ActionLedger() = default;

  // True when this call claimed the token (held for `hold`), false when it
  // is used or claimed already.
  virtual absl::StatusOr<bool> Claim(const std::string& org, const std::string& token_id,
                                     absl::Duration hold) = 0;
  // The claimed token's action succeeded: it stays used for `keep`.
  virtual absl::Status Keep(const std::string& org, const std::string& token_id,
                            absl::Duration keep) = 0;
  virtual absl::Status Release(const std::string& org, const std::string& token_id) = 0;
  virtual absl::StatusOr<bool> IsUsed(const std::string& org, const std::string& token_id) = 0;
};

}  // namespace dermaflow::scheduling
