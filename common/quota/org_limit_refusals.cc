#include "common/quota/org_limit_refusals.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::common {

OrgLimitRefusals::OrgLimitRefusals(prometheus::Registry& registry, absl::Duration log_interval)
    : refusals_(prometheus::BuildCounter()
                    .Name("dermaflow_org_limit_refusals_total")
                    .Help("Calls refused because the caller's organization was over a limit on "
                          "this server, by limit (its flag) and method; the organization is in "
                          "the 'request refused' log line (docs/operations.md)")
                    .Register(registry)),
      log_interval_(log_interval) {}

void OrgLimitRefusals::Record(std::string_view limit, std::string_view org, std::string_view method,
                              absl::Time now) {
  refusals_.Add({{"limit", std::string(limit)}, {"grpc_method", std::string(method)}}).Increment();
  std::optional<int64_t> suppressed;
  {
    absl::MutexLock lock(&mu_);
    if (log_limiters_.size() >= kMaxTracked) log_limiters_.clear();
    const std::string key = absl::StrCat(absl::string_view(limit.data(), limit.size()), "/",
                                         absl::string_view(org.data(), org.size()));
    suppressed = log_limiters_.try_emplace(key, log_interval_).first->second.ShouldLog(now);
  }
  if (!suppressed) return;
  LogWarning("request refused: organization over its limit",
             {{"org", std::string(org)},
              {"limit", std::string(limit)},
              {"grpc_method", std::string(method)},
              {"suppressed", absl::StrCat(*suppressed)}});
}

}  // namespace dermaflow::common
