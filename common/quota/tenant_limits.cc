#include "common/quota/tenant_limits.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace dermaflow::common {
namespace {

// Label and log values: the flag each limit is set by.
constexpr std::string_view kRateLimit = "org_request_rate";
constexpr std::string_view kInFlightLimit = "org_expensive_in_flight";

// "FindAvailableSlots" of "/dermaflow.scheduling.v1.SchedulingService/
// FindAvailableSlots"; "unknown" when there is none. Only methods a service
// registered reach a handler, so the label set stays bounded.
std::string RpcName(std::string_view method_path) {
  const size_t slash = method_path.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == method_path.size()) return "unknown";
  return std::string(method_path.substr(slash + 1));
}

// Whole milliseconds, at least 1: what a client waits before retrying.
absl::Duration RoundUpToMillis(absl::Duration d) {
  return std::max(absl::Milliseconds(1), absl::Ceil(d, absl::Milliseconds(1)));
}

}  // namespace

absl::Status ValidateTenantLimitOptions(const TenantLimitOptions& options) {
  if (!(options.request_rate >= 0) || !std::isfinite(options.request_rate)) {
    return absl::InvalidArgumentError("--org_request_rate must be 0 (no limit) or positive");
  }
  if (options.request_rate > 0 &&
      (!(options.request_burst >= 1) || !std::isfinite(options.request_burst))) {
    return absl::InvalidArgumentError("--org_request_burst must be at least 1");
  }
  if (options.expensive_in_flight < 0) {
    return absl::InvalidArgumentError("--org_expensive_in_flight must be 0 (no limit) or positive");
  }
  return absl::OkStatus();
}

TenantLimits::TenantLimits(TenantLimitOptions options, const Clock& clock,
                           prometheus::Registry& registry)
    : options_(std::move(options)), clock_(clock), refusals_(registry) {
  if (options_.request_rate > 0) {
    rate_ = std::make_unique<OrgRateLimiter>(options_.request_rate, options_.request_burst);
  }
  if (options_.expensive_in_flight > 0) {
    in_flight_ = std::make_unique<OrgInFlightLimiter>(options_.expensive_in_flight);
  }
}

bool TenantLimits::IsExpensive(std::string_view method_path) const {
  return std::find(options_.expensive_methods.begin(), options_.expensive_methods.end(),
                   method_path) != options_.expensive_methods.end();
}

absl::StatusOr<OrgInFlightLimiter::Slot> TenantLimits::Admit(const Caller& caller,
                                                             std::string_view method_path) {
  if (!caller.service.empty()) return OrgInFlightLimiter::Slot();
  if (rate_ != nullptr) {
    if (std::optional<absl::Duration> wait = rate_->Admit(caller.organization, clock_.Now())) {
      const absl::Duration retry = RoundUpToMillis(*wait);
      return Refuse(
          kRateLimit, caller, method_path,
          absl::StrCat("this organization sent more calls than --org_request_rate (",
                       options_.request_rate, " per second, bursts of ", options_.request_burst,
                       ") allows on this server; retry after ", absl::FormatDuration(retry)),
          retry);
    }
  }
  if (in_flight_ != nullptr && IsExpensive(method_path)) {
    std::optional<OrgInFlightLimiter::Slot> slot = in_flight_->TryAcquire(caller.organization);
    if (!slot) {
      return Refuse(kInFlightLimit, caller, method_path,
                    absl::StrCat("this organization already runs ", in_flight_->limit(),
                                 " expensive calls (searches, lists, exports) on this server, "
                                 "the most --org_expensive_in_flight allows; retry when one has "
                                 "finished, with backoff"),
                    absl::ZeroDuration());
    }
    return std::move(*slot);
  }
  return OrgInFlightLimiter::Slot();
}

absl::Status TenantLimits::Refuse(std::string_view limit, const Caller& caller,
                                  std::string_view method_path, std::string_view description,
                                  absl::Duration retry_delay) {
  refusals_.Record(limit, caller.organization, RpcName(method_path), clock_.Now());
  return QuotaExceededError(absl::StrCat("organization:", caller.organization), description,
                            retry_delay);
}

}  // namespace dermaflow::common
