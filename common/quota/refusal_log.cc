#include "common/quota/refusal_log.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace dermaflow::common {

void RefusalLog::Record(std::string_view limit, std::string_view org, std::string_view method,
                        absl::Time now) {
  std::optional<int64_t> suppressed;
  {
    absl::MutexLock lock(&mu_);
    if (limiters_.size() >= kMaxTracked) limiters_.clear();
    const std::string key = absl::StrCat(absl::string_view(limit.data(), limit.size()), "/",
                                         absl::string_view(org.data(), org.size()));
    suppressed = limiters_.try_emplace(key, interval_).first->second.ShouldLog(now);
  }
  if (!suppressed) return;
  LogWarning("request refused: organization over its limit",
             {{"org", std::string(org)},
              {"limit", std::string(limit)},
              {"grpc_method", std::string(method)},
              {"suppressed", absl::StrCat(*suppressed)}});
}

}  // namespace dermaflow::common
