// Test support: a real redis-server on a free loopback port.
//
//   RedisServer redis;            // started, PING answered
//   redis.url();                  // "redis://127.0.0.1:PORT/0"
//   redis.Stop(); redis.Start();  // same port, same data dir (AOF on)
#pragma once

#include <memory>
#include <string>

#include "tests/support/process.h"

namespace dermaflow::testing {

class RedisServer {
 public:
  RedisServer();  // Starts; throws if redis-server does not come up.
  ~RedisServer();

  void Start();
  void Stop();  // SIGTERM and wait; the port stays reserved for Start().
  void Kill();  // SIGKILL, as a crash would.

  int port() const { return port_; }
  std::string url() const;
  const std::string& dir() const { return dir_.path(); }

 private:
  int port_;
  TempDir dir_;
  std::unique_ptr<ChildProcess> process_;
};

}  // namespace dermaflow::testing
