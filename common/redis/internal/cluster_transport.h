// Commands over a Redis Cluster. Each goes to the primary owning its keys'
// hash slot (command_route.h, slot_map.h), through one ConnectionPool per
// primary. A node's answer that it did not run a command is followed:
//   MOVED        the slot lives elsewhere: point the slot at the named node,
//                send the command there, reload the whole map before the
//                next command;
//   ASK          the slot is migrating and this key is already gone: ASKING
//                and the command on the named node, this once, map kept;
//   TRYAGAIN,    the cluster cannot serve it right now: wait (backoff from
//   CLUSTERDOWN  10 ms, doubling to 200 ms) and send again;
// MOVED and ASK at most cluster_max_redirections times per command, the
// waits as long as the command's timeout lasts (a slot migration or a
// fail-over ends after a time, not after a number of tries); after that
// the caller gets the node's error reply. Commands sent together
// (ExecuteTogether) wait out an ASK as well.
// Nothing else is retried: after a connection error a command may have run,
// so the caller gets UNAVAILABLE as in single-node mode, and the map is
// reloaded before the next command (the node may have failed over).
//
// Pipelines are split by node: every node's share is written before any
// reply is read (one round trip in all) and the replies are put back in the
// caller's order. Commands for one node keep their order; commands for
// different nodes run concurrently. A redirected command is sent again on
// its own, not with the rest of the pipeline.
//
//   ClusterTransport cluster(options, metrics);  // options.mode == kCluster
//   cluster.Execute({{"GET", "df:{acme}:x"}, {"GET", "df:{other}:y"}}, timeout);
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "common/redis/internal/connection_pool.h"
#include "common/redis/internal/slot_map.h"
#include "common/redis/internal/transport.h"

namespace dermaflow::common::redis_internal {

class ClusterTransport : public Transport {
 public:
  // Connects lazily, like ConnectionPool: the first command loads the map.
  ClusterTransport(RedisOptions options, RedisMetrics* metrics);

  absl::StatusOr<std::vector<RedisReply>> Execute(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) override;
  absl::StatusOr<std::vector<RedisReply>> ExecuteTogether(
      const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) override;
  // Every primary of the map, in its order; a node that fails has the map
  // reloaded before the next command, as in Execute.
  absl::StatusOr<std::vector<RedisNodeReply>> ExecuteOnEveryPrimary(
      const std::vector<std::string>& command, absl::Duration timeout) override;
  absl::StatusOr<RedisReply> ExecuteOnPrimary(const std::string& node,
                                              const std::vector<std::string>& command,
                                              absl::Duration timeout) override;
  // A WAIT short of replicas may mean a fail-over: reload the map.
  void Suspect() override { MarkStale(); }

 private:
  using PoolPtr = std::shared_ptr<ConnectionPool>;
  struct Job;

  // Loads the map if there is none (callers wait for it), reloads it if a
  // MOVED or a connection error made it stale (at most every
  // kMinRefreshInterval, by one caller while the others go on with the old
  // map). UNAVAILABLE only when there is no map at all.
  absl::Status EnsureMap();
  // CLUSTER SLOTS from the known primaries, then the seeds, until one
  // answers; installs the map. Holds refresh_mu_.
  absl::Status Refresh();
  void MarkStale();
  void NoteMoved(int slot, const RedisNodeAddress& node);

  PoolPtr PoolFor(const RedisNodeAddress& node);
  PoolPtr PoolForLocked(const RedisNodeAddress& node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // The slot's primary; any primary if the map has none (it will answer
  // MOVED or CLUSTERDOWN itself).
  PoolPtr OwnerPool(int slot);
  PoolPtr OwnerPoolLocked(int slot) ABSL_SHARED_LOCKS_REQUIRED(mu_);
  PoolPtr AnyPoolLocked() ABSL_SHARED_LOCKS_REQUIRED(mu_);

  // One send-and-receive pass over `jobs` (each has its pool set).
  absl::Status RunRound(const std::vector<Job*>& jobs, absl::Duration timeout);
  // Decides what each job's reply asks for; returns the jobs to send again.
  std::vector<Job*> FollowRedirections(const std::vector<Job*>& jobs, absl::Time deadline,
                                       absl::Duration& backoff);
  absl::StatusOr<std::vector<RedisReply>> Scan(const std::vector<std::string>& argv,
                                               absl::Duration timeout);

  const RedisOptions options_;
  RedisMetrics* const metrics_;

  absl::Mutex refresh_mu_;  // one CLUSTER SLOTS at a time
  absl::Mutex mu_;
  SlotMap map_ ABSL_GUARDED_BY(mu_);
  std::vector<PoolPtr> primary_pools_ ABSL_GUARDED_BY(mu_);               // as map_.primaries()
  absl::flat_hash_map<std::string, PoolPtr> pools_ ABSL_GUARDED_BY(mu_);  // by node name
  bool stale_ ABSL_GUARDED_BY(mu_) = true;
  absl::Time last_refresh_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  std::atomic<uint32_t> next_any_{0};
};

}  // namespace dermaflow::common::redis_internal
