// notification_bench: a private redis-server per phase, so no phase inherits
// another's data (and no FLUSHALL of gigabytes has to fit a command timeout).
// The server is always stopped: by the destructor, and on SIGINT/SIGTERM/SIGHUP
// by a signal handler that SIGKILLs every live bench server; where setpriv
// exists it is also started with a parent-death signal, so even a SIGKILLed
// bench takes its Redis with it.
//
//   InstallRedisCleanupOnSignals();          // once, first thing in main
//   BenchRedis redis({.aof = true});         // AOF on, appendfsync everysec
//   double cpu0 = redis.CpuSeconds();        // Redis's own CPU (INFO cpu)
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/redis/redis_client.h"
#include "tests/support/process.h"

namespace dermaflow::bench {

void InstallRedisCleanupOnSignals();

struct BenchRedisOptions {
  bool aof = true;  // appendonly yes, appendfsync everysec (as deployed)
};

class BenchRedis {
 public:
  explicit BenchRedis(BenchRedisOptions options);  // throws if it does not come up
  ~BenchRedis();
  BenchRedis(const BenchRedis&) = delete;
  BenchRedis& operator=(const BenchRedis&) = delete;

  std::string url() const;
  pid_t pid() const { return process_->pid(); }  // redis-server itself (setpriv execs in place)
  // A client for the bench's own reads (INFO, checks): long timeouts, since
  // a big HMGET or INFO on a loaded server may take seconds.
  common::RedisClient& admin() { return *admin_; }

  // used_cpu_sys + used_cpu_user of the server process (INFO cpu), seconds.
  double CpuSeconds();
  int64_t UsedMemory();  // INFO memory used_memory
  // Rewrites the AOF now and waits for it, so a short measurement that
  // follows is not interrupted by an automatic rewrite (a fork of the
  // whole dataset). No-op without AOF.
  void SettleAof();
  // One numeric field of an INFO section, e.g. ("persistence", "aof_enabled").
  double InfoField(const std::string& section, const std::string& field);

 private:
  int port_;
  testing::TempDir dir_;
  std::unique_ptr<testing::ChildProcess> process_;
  std::unique_ptr<common::RedisClient> admin_;
};

}  // namespace dermaflow::bench
