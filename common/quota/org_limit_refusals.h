// What every refusal by a per-organization limit leaves for ops, the same for
// all limits (tenant_limits.h, notification's --max_watchers_per_org):
// - dermaflow_org_limit_refusals_total{limit, grpc_method}: `limit` is the
//   flag's name. No organization label: tenant ids would grow the series
//   without bound.
// - a JSON warning line naming the organization (an id, never patient data),
//   the limit and the method: at most one per organization and limit every
//   `interval`, carrying how many of its refusals were left out since its
//   last line. A tenant hammering a replica writes a few lines a minute, each
//   naming it; a quiet tenant's first refusal is never lost
//   (docs/operations.md, "Finding the noisy tenant").
//
//   OrgLimitRefusals refusals(registry);
//   refusals.Record("org_request_rate", caller.organization, "GetPatient", clock.Now());
#pragma once

#include <string>
#include <string_view>

#include "absl/container/node_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/metrics/failure_log_limiter.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

class OrgLimitRefusals {
 public:
  // Several may share a registry (they share the family). `registry` must
  // outlive this.
  explicit OrgLimitRefusals(prometheus::Registry& registry,
                            absl::Duration log_interval = absl::Seconds(10));

  // Counts one refusal and writes the log line when due. `method` is the
  // RPC's name ("ListPatients").
  void Record(std::string_view limit, std::string_view org, std::string_view method,
              absl::Time now);

 private:
  // Past this many organization-limit pairs the log table starts over (each
  // pair then logs its next refusal again), so it stays bounded.
  static constexpr size_t kMaxTracked = 4096;

  prometheus::Family<prometheus::Counter>& refusals_;
  const absl::Duration log_interval_;
  absl::Mutex mu_;
  // Keyed by "<limit>/<org>"; node-based because a limiter cannot move.
  absl::node_hash_map<std::string, FailureLogLimiter> log_limiters_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
