// Which organizations one replica's loop (the notification dispatcher, the
// event intake) looks at on a pass, given which are its home (TenantShare):
// its home organizations every pass; the others once every `look_around`,
// and on every pass while the loop finds they need help (a backlog, or work
// left waiting) -- so a quiet tenant costs one replica, a large chain gets
// every replica's hands, and a stuck home replica is covered for.
// Without `is_home` (a lone replica, tests) it looks at everything, always.
//
//   TenantFocus focus([&](const std::string& org) { return share.IsHome(org); },
//                     absl::Milliseconds(250));
//   for (const std::string& org : focus.Pick(all_orgs, absl::Now())) {
//     if (!focus.IsHome(org) && !focus.Help(org, NeedsHelp(org))) continue;
//     Work(org);
//   }
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace dermaflow::common {

class TenantFocus {
 public:
  using IsHomeFn = std::function<bool(const std::string& org)>;

  // `is_home` may be null: every organization is home.
  TenantFocus(IsHomeFn is_home, absl::Duration look_around)
      : is_home_(std::move(is_home)), look_around_(look_around) {}

  // The organizations of `orgs` to look at now, in their order. `now` is
  // real time (this paces load; it is no domain clock).
  std::vector<std::string> Pick(const std::vector<std::string>& orgs, absl::Time now);

  bool IsHome(const std::string& org) const { return !is_home_ || is_home_(org); }

  // After looking at an organization that is not home: whether it needs
  // help. Returns `needed`; while true the org is picked on every pass.
  bool Help(const std::string& org, bool needed);

  // How long until every organization is looked at again (infinite without
  // `is_home`: everything is looked at every pass): a blocking read should
  // not wait past it.
  absl::Duration UntilLookAround(absl::Time now) const;

 private:
  const IsHomeFn is_home_;
  const absl::Duration look_around_;
  absl::Time next_look_around_ = absl::InfinitePast();
  std::set<std::string> helping_;
};

}  // namespace dermaflow::common
