// Fair limits per organization on one server (issue 16): no tenant's burst
// or pile of expensive calls can starve the others of a replica.
//
// - Request rate: each organization's calls take tokens from its own bucket
//   (--org_request_rate per second, --org_request_burst at once).
// - Expensive calls (searches, lists, exports: `expensive_methods`): at most
//   --org_expensive_in_flight of them per organization run at once.
//
// A refusal is RESOURCE_EXHAUSTED with google.rpc.QuotaFailure {subject
// "organization:<org>", description naming the flag and when to retry} (and
// google.rpc.RetryInfo for the rate), counts in
// dermaflow_org_limit_refusals_total{limit, grpc_method} and may log a line
// naming the organization (org_limit_refusals.h). Calls our own services make on
// their own behalf (service tokens) are not limited: their pace is set by
// the service, and refusing them would fail reminders, not a noisy client.
// Limits are per replica: N replicas admit N times as much.
//
//   TenantLimits limits({.request_rate = 200, .request_burst = 400}, clock, registry);
//   DF_ASSIGN_OR_RETURN(OrgInFlightLimiter::Slot slot, limits.Admit(caller, method_path));
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/auth/caller.h"
#include "common/clock/clock.h"
#include "common/quota/org_in_flight_limiter.h"
#include "common/quota/org_limit_refusals.h"
#include "common/quota/org_rate_limiter.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

struct TenantLimitOptions {
  // Calls per second per organization; 0: no rate limit.
  double request_rate = 0;
  // Calls an organization may make at once after a quiet spell (>= 1).
  double request_burst = 0;
  // Expensive calls running at once per organization; 0: no limit.
  int expensive_in_flight = 0;
  // gRPC method paths ("/dermaflow.scheduling.v1.SchedulingService/
  // FindAvailableSlots") that count as expensive.
  std::vector<std::string> expensive_methods;
};

// INVALID_ARGUMENT naming the flag when a value is out of range.
absl::Status ValidateTenantLimitOptions(const TenantLimitOptions& options);

class TenantLimits {
 public:
  // `options` must be valid; `clock` and `registry` must outlive this.
  TenantLimits(TenantLimitOptions options, const Clock& clock, prometheus::Registry& registry);

  // Admits a call of `method_path` ("" when unknown) by the authenticated
  // `caller`: OK with the slot the call holds until it ends (holding nothing
  // unless the call is expensive), or RESOURCE_EXHAUSTED as above.
  absl::StatusOr<OrgInFlightLimiter::Slot> Admit(const Caller& caller,
                                                 std::string_view method_path);

  const TenantLimitOptions& options() const { return options_; }

 private:
  bool IsExpensive(std::string_view method_path) const;
  absl::Status Refuse(std::string_view limit, const Caller& caller, std::string_view method_path,
                      std::string_view description, absl::Duration retry_delay);

  const TenantLimitOptions options_;
  const Clock& clock_;
  std::unique_ptr<OrgRateLimiter> rate_;           // null: no rate limit
  std::unique_ptr<OrgInFlightLimiter> in_flight_;  // null: no in-flight limit
  OrgLimitRefusals refusals_;
};

}  // namespace dermaflow::common
