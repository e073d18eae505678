// The log line ops find a noisy tenant by. Metrics count refusals per limit
// only (an organization label would grow without bound), so each refusal
// may also write a JSON line naming the organization (an id, never patient
// data), the limit and the method: at most one line per organization and
// limit every `interval`, carrying how many of its refusals were left out
// since its last line. A tenant hammering the server writes a few lines a
// minute, each one naming it; a quiet tenant's first refusal is never lost.
//
//   RefusalLog log;
//   log.Record("org_request_rate", caller.organization, "GetPatient", clock.Now());
#pragma once

#include <string>
#include <string_view>

#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/failure_log_limiter.h"

namespace dermaflow::common {

class RefusalLog {
 public:
  explicit RefusalLog(absl::Duration interval = absl::Seconds(10)) : interval_(interval) {}

  // Writes the warning line when due.
  void Record(std::string_view limit, std::string_view org, std::string_view method,
              absl::Time now);

 private:
  // Past this many organization-limit pairs the table starts over (each
  // pair then logs its next refusal again), so it stays bounded.
  static constexpr size_t kMaxTracked = 4096;

  const absl::Duration interval_;
  absl::Mutex mu_;
  // Keyed by "<limit>/<org>"; node-based because a limiter cannot move.
  absl::node_hash_map<std::string, FailureLogLimiter> limiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
