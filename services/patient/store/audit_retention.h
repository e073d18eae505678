// How long the audit trail of access to patient records is kept
// (--audit_retention; docs/security.md says why 3 years). Each script that
// appends an audit entry trims the same streams to the cutoff, and
// AuditRetentionSweeper trims the streams nobody writes to any more.
//
//   const std::string cutoff = AuditCutoff(clock.Now(), options.retention);  // XADD MINID
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace dermaflow::patient {

// About 3 years (1096 days): see docs/security.md, "Audit trail".
inline constexpr absl::Duration kDefaultAuditRetention = absl::Hours(24 * 1096);

struct AuditRetentionOptions {
  // Audit entries older than this are removed; zero keeps them forever.
  absl::Duration retention = kDefaultAuditRetention;
  // The sweep of streams nobody writes to: a pass every `sweep_interval`,
  // each looking at up to `keys_per_pass` Redis keys (SCAN), so it costs
  // Redis little however large the keyspace.
  absl::Duration sweep_interval = absl::Minutes(1);
  int keys_per_pass = 10'000;
};

// INVALID_ARGUMENT naming --audit_retention unless it is zero or at least a
// day (a shorter trail is no audit trail, and the cutoff must stay clear of
// the clock skew between replicas and Redis, whose clock stamps entries).
absl::Status ValidateAuditRetention(absl::Duration retention);

// The cutoff as a stream id for XADD/XTRIM MINID: the Unix milliseconds of
// `now - retention` (stream ids are Redis's millisecond clock), or "0"
// (trims nothing) when the retention is zero.
std::string AuditCutoff(absl::Time now, absl::Duration retention);

}  // namespace dermaflow::patient
