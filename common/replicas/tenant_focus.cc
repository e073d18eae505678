#include "common/replicas/tenant_focus.h"

#include <algorithm>

namespace dermaflow::common {

std::vector<std::string> TenantFocus::Pick(const std::vector<std::string>& orgs, absl::Time now) {
  const bool everything = !is_home_ || now >= next_look_around_;
  if (is_home_ && everything) next_look_around_ = now + look_around_;
  std::vector<std::string> picked;
  for (const std::string& org : orgs) {
    if (everything || helping_.contains(org) || is_home_(org)) picked.push_back(org);
  }
  return picked;
}

bool TenantFocus::Help(const std::string& org, bool needed) {
  if (needed) {
    helping_.insert(org);
  } else {
    helping_.erase(org);
  }
  return needed;
}

absl::Duration TenantFocus::UntilLookAround(absl::Time now) const {
  if (!is_home_) return absl::InfiniteDuration();
  return std::max(absl::ZeroDuration(), next_look_around_ - now);
}

}  // namespace dermaflow::common
