// Test support: a real Sentinel setup on loopback — a primary, one replica
// and three sentinels (quorum 2) watching master "dfmaster", each a child
// process on a free port, stopped (by PID) by the destructor. Sentinels are
// tuned for tests: a primary counts as down after 1 s.
//
//   RedisSentinelSetup setup;          // replica in sync, sentinels agree
//   setup.url();                       // "redis+sentinel://127.0.0.1:P1,.../dfmaster"
//   setup.KillPrimary();               // SIGKILL, as a crash would
//   setup.ForceFailover();             // SENTINEL FAILOVER
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.h"

namespace dermaflow::testing {

class RedisSentinelSetup {
 public:
  static constexpr const char* kMaster = "dfmaster";

  RedisSentinelSetup();  // Throws (with logs) when it does not come up in 30 s.
  ~RedisSentinelSetup();

  int primary_port() const { return primary_port_; }
  int replica_port() const { return replica_port_; }
  const std::vector<int>& sentinel_ports() const { return sentinel_ports_; }
  std::string url() const;

  void KillPrimary();
  // SENTINEL FAILOVER: the replica is promoted without a failure.
  void ForceFailover();

 private:
  std::string SentinelConfig(int port) const;
  void WaitUntilReady();

  TempDir dir_;
  int primary_port_, replica_port_;
  std::vector<int> sentinel_ports_;
  std::vector<std::unique_ptr<ChildProcess>> processes_;  // primary, replica, sentinels
};

// One command on a fresh connection to 127.0.0.1:port (inline, no auth);
// the reply's text as redis-cli prints it (empty when unreachable).
std::string RedisCli(int port, const std::vector<std::string>& args);

}  // namespace dermaflow::testing
