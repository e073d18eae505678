// Test support: a real Sentinel setup on loopback — a primary, its
// replicas and three sentinels (quorum 2) watching master "dfmaster", each a
// child process on a free port, stopped (by PID) by the destructor. Sentinels
// are tuned for tests: a primary counts as down after 1 s.
//
//   RedisSentinelSetup setup;          // replicas in sync, sentinels agree
//   setup.url();                       // "redis+sentinel://127.0.0.1:P1,.../dfmaster"
//   setup.KillPrimary();               // SIGKILL, as a crash would
//   setup.ForceFailover();             // SENTINEL FAILOVER
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace dermaflow::testing {

class RedisSentinelSetup {
 public:
  static constexpr const char* kMaster = "dfmaster";

  // Throws (with the logs) when it does not come up in 30 s.
  explicit RedisSentinelSetup(int replicas = 1);
  ~RedisSentinelSetup();

  int primary_port() const { return primary_port_; }
  const std::vector<int>& replica_ports() const { return replica_ports_; }
  // Replica i's process (e.g. SIGSTOP: alive but silent, as behind a partition).
  ChildProcess& replica(int i) { return *others_[i]; }
  const std::vector<int>& sentinel_ports() const { return sentinel_ports_; }
  std::string url() const;

  void KillPrimary();
  // SENTINEL FAILOVER (retried while the sentinels are not ready for one):
  // a replica is promoted without a failure.
  void ForceFailover();

 private:
  std::unique_ptr<ChildProcess> StartRedis(int port, const std::string& name,
                                           std::vector<std::string> extra);
  void WaitUntilReplicasInSync();
  void WaitUntilReady();
  [[noreturn]] void ThrowWithLogs(const std::string& what);

  TempDir dir_;
  int primary_port_ = 0;
  std::vector<int> replica_ports_;
  std::vector<int> sentinel_ports_;
  std::unique_ptr<ChildProcess> primary_;
  std::vector<std::unique_ptr<ChildProcess>> others_;  // replicas, sentinels
};

// One command on a fresh connection to 127.0.0.1:port (no auth); the reply
// as redis-cli prints it (empty when unreachable).
std::string RedisCli(int port, const std::vector<std::string>& args);

}  // namespace dermaflow::testing
