// Test support: a real Redis Cluster on loopback: 6 redis-server processes
// (--cluster-enabled yes, free ports, a data dir each) joined by
// `redis-cli --cluster create ... --cluster-replicas 1` into 3 primaries and
// 3 replicas (or 9 with two replicas each); every node is killed by PID when
// the object goes away.
//
//   RedisCluster cluster;                  // started, cluster_state:ok
//   RedisClient redis(ParseRedisUrl(cluster.url()).value());
//   int owner = cluster.PortOwning(cluster.KeySlot("df:{acme}:x"));
//   cluster.MoveSlot(slot, other_port);    // as `redis-cli --cluster reshard`
//   cluster.KillNode(owner);               // SIGKILL; its replica takes over
//
// Starting one takes about 1.5 s, so a test binary shares one
// (SharedRedisCluster) and each test leaves the slot layout as it found it
// or does not depend on it.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/redis/redis_client.h"
#include "tests/support/process.h"

namespace dermaflow::testing {

class RedisCluster {
 public:
  struct Options {
    // cluster-node-timeout: a node silent this long is failed over. 5 s is
    // long enough that a busy 2-core machine never triggers one by accident.
    int node_timeout_ms = 5000;
    // Two keep a replica behind the promoted one after a fail-over (what
    // durable writes with --redis_durable_replicas=1 need to go on).
    int replicas_per_primary = 1;
    // appendonly yes on every node (the default appendfsync everysec), for
    // tests of what reaches the nodes' files.
    bool append_only = false;
  };

  // 3 primaries; throws std::runtime_error with the nodes' logs on failure.
  RedisCluster() : RedisCluster(Options{}) {}
  explicit RedisCluster(Options options);
  ~RedisCluster();

  RedisCluster(const RedisCluster&) = delete;
  RedisCluster& operator=(const RedisCluster&) = delete;

  // "redis+cluster://127.0.0.1:<port>,127.0.0.1:<port>" (two seeds).
  std::string url() const;
  // Every node's client port, primaries and replicas (killed ones too).
  const std::vector<int>& ports() const { return ports_; }
  // The node's data directory (its AOF is in appendonlydir/).
  const std::string& NodeDir(int port) const;

  // SIGKILL of the node on `port`, as a crash. The other nodes notice after
  // cluster-node-timeout and promote its replica if it was a primary; this
  // object's queries (and WaitUntilHealthy) skip it from now on.
  void KillNode(int port);

  // The cluster's own view (CLUSTER SLOTS, CLUSTER KEYSLOT on a node), never
  // the client under test's.
  std::vector<int> PrimaryPorts();
  int PortOwning(int slot);
  int KeySlot(const std::string& key);
  std::string NodeId(int port);

  // One command on one node, with no routing and no redirection followed.
  // Throws if the node cannot be reached (an error reply is returned).
  common::RedisReply NodeCommand(int port, std::vector<std::string> argv);

  // A slot migration in the steps redis-cli --cluster reshard takes:
  // IMPORTING on the target, MIGRATING on the owner, MIGRATE of the keys,
  // then SETSLOT NODE on the target, the source and the other primaries.
  void BeginMigration(int slot, int to_port);
  // MIGRATEs these keys (of the migrating slot) to the target now.
  void MigrateKeys(int slot, const std::vector<std::string>& keys);
  // Moves the slot's remaining keys and makes the target its owner.
  void FinishMigration(int slot);
  void MoveSlot(int slot, int to_port);

  // Unassigns `slot` on every node: with cluster-require-full-coverage
  // (the default) every node then answers CLUSTERDOWN. RestoreSlot gives it
  // back to `owner_port`.
  void UnassignSlot(int slot);
  void RestoreSlot(int slot, int owner_port);

  // Until every live node says cluster_state:ok and they all agree on the
  // owner of every slot; throws after 15 s.
  void WaitUntilHealthy();

  // FLUSHALL on every primary.
  void FlushAll();

 private:
  common::RedisClient& Node(int port);
  std::vector<int> LivePorts() const;

  struct Migration {
    int from = 0;
    int to = 0;
  };

  std::vector<int> ports_;
  std::vector<std::unique_ptr<TempDir>> dirs_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;
  std::map<int, std::unique_ptr<common::RedisClient>> nodes_;
  std::map<int, Migration> migrations_;
  std::vector<int> killed_;
};

// One cluster for the whole test binary, started on first use and stopped
// at exit (its test binary runs as one ctest test; see CMakeLists.txt).
RedisCluster& SharedRedisCluster();

}  // namespace dermaflow::testing
