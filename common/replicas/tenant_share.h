// Replicas of one service sharing its organizations: each organization has
// one home replica, the live replica that ranks highest for it by rendezvous
// hashing, so organizations spread evenly over the replicas, and when a
// replica comes or goes only its share moves (about 1/N of them).
//
// Home is a preference, never a lock: correctness rests on the atomic claims
// and consumer groups underneath, so two replicas working on one
// organization for a moment (views changing) is harmless. The home replica
// looks at its organizations on every pass; the others look at them rarely
// and help only with a backlog (see the notification dispatcher and intake),
// so one large chain still gets every replica's hands.
//
// Liveness: each replica beats every ttl / 3 into `df:replicas:<service>`
// (a sorted set scored by expiry on Redis's clock), and reads the live set
// back in the same call. A replica that stops cleanly leaves the set, and
// the others take its organizations at their next beat (within ttl / 3);
// one that dies drops out after `ttl`. A replica whose own beats have failed
// for longer than `ttl` works alone (every organization is home): the
// others have dropped it, and it must not leave its last view's
// organizations to replicas that may be gone.
//
//   TenantShare share(redis, registry, {.service = "notification", .replica_id = "pod-a-17"});
//   share.Start();
//   for (const std::string& org : orgs) if (share.IsHome(org)) Work(org);
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/clock/periodic_thread.h"
#include "common/redis/redis_client.h"
#include "common/replicas/tenant_focus.h"
#include "prometheus/gauge.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

struct TenantShareOptions {
  std::string service;     // e.g. "notification"
  std::string replica_id;  // unique per process, not empty: ThisReplicaId(service)
  // How long a replica that stopped beating still counts as alive.
  absl::Duration ttl = absl::Seconds(3);
};

// This process's name among its service's replicas: "<service>-<host name>-
// <pid>" (the host name is the pod's name on Kubernetes, so `ZRANGE
// df:replicas:notification 0 -1` and XINFO CONSUMERS name the pods).
std::string ThisReplicaId(std::string_view service);

// The home of `org` among `replicas` (rendezvous hashing; "" when there are
// none). Stable across processes and builds: every replica computes the same.
std::string HomeReplica(std::string_view org, const std::vector<std::string>& replicas);

class TenantShare;
// The home test for a TenantFocus: null (everything is home) without a share.
TenantFocus::IsHomeFn HomeTestOf(const TenantShare* share);

class TenantShare {
 public:
  // `redis` and `registry` must outlive the share.
  TenantShare(RedisClient& redis, prometheus::Registry& registry, TenantShareOptions options);
  ~TenantShare();  // Stop()

  // Beats at once, then every ttl / 3.
  void Start();
  // Leaves the set, so the others take this replica's organizations at once.
  void Stop();

  // One heartbeat: refreshes this replica's entry and the view of the live
  // replicas (exposed for tests).
  absl::Status Beat();

  // True when this replica is `org`'s home in its last view. Before the first
  // successful beat, and once beats have failed for longer than ttl, every
  // organization is home (a replica on its own does all).
  bool IsHome(std::string_view org) const;
  // The live replicas, sorted, as of the last successful beat.
  std::vector<std::string> replicas() const;
  const std::string& replica_id() const { return options_.replica_id; }

 private:
  absl::Status Leave();

  RedisClient& redis_;
  const TenantShareOptions options_;
  const std::string key_;
  prometheus::Gauge& replicas_gauge_;
  mutable absl::Mutex mu_;
  std::vector<std::string> replicas_ ABSL_GUARDED_BY(mu_);
  absl::Time last_beat_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<bool> failing_{false};
  PeriodicThread thread_;  // last: runs Beat on the members above
};

}  // namespace dermaflow::common
