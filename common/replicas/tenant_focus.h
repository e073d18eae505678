// Which organizations one replica's loop (the notification dispatcher, the
// event intake) looks at on a pass, given the TenantShare: its home
// organizations every pass; the others once every `look_around`, and on every
// pass while they have a backlog their home replica has not worked off (so
// a large chain gets every replica's help, a quiet one costs one replica).
// Without a share (a lone replica, tests) it looks at everything, always.
//
//   TenantFocus focus(share, absl::Milliseconds(250));
//   for (const std::string& org : focus.Pick(all_orgs, absl::Now())) {
//     int due = Probe(org);
//     if (!focus.IsHome(org) && !focus.Help(org, due >= batch)) continue;
//     Work(org);
//   }
#pragma once

#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "common/replicas/tenant_share.h"

namespace dermaflow::common {

class TenantFocus {
 public:
  // `share` may be null (look at everything); it must outlive the focus.
  TenantFocus(const TenantShare* share, absl::Duration look_around)
      : share_(share), look_around_(look_around) {}

  // The organizations of `orgs` to look at now, in their order. `now` is
  // real time (this paces load, it is no domain clock).
  std::vector<std::string> Pick(const std::vector<std::string>& orgs, absl::Time now);

  bool IsHome(const std::string& org) const { return share_ == nullptr || share_->IsHome(org); }

  // After looking at an organization that is not home: whether it has a
  // backlog worth helping with. Returns `backlog`; while true the org is
  // picked on every pass.
  bool Help(const std::string& org, bool backlog);

  // How long until every organization is looked at again (infinite without
  // a share: everything is looked at every pass): a blocking read should not
  // wait past it.
  absl::Duration UntilLookAround(absl::Time now) const;

 private:
  const TenantShare* share_;
  const absl::Duration look_around_;
  absl::Time next_look_around_ = absl::InfinitePast();
  std::set<std::string> helping_;
};

}  // namespace dermaflow::common
