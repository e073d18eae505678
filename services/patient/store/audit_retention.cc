#include "services/patient/store/audit_retention.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace dermaflow::patient {

absl::Status ValidateAuditRetention(absl::Duration retention) {
  if (retention == absl::ZeroDuration() || retention >= absl::Hours(24)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "--audit_retention must be 0 (keep forever) or at least 24h, e.g. 26304h for 3 years");
}

std::string AuditCutoff(absl::Time now, absl::Duration retention) {
  if (retention <= absl::ZeroDuration()) return "0";
  return absl::StrCat(std::max<int64_t>(0, absl::ToUnixMillis(now - retention)));
}

}  // namespace dermaflow::patient
