#include "tests/support/redis_server.h"

#include <signal.h>

#include <stdexcept>

namespace dermaflow::testing {

RedisServer::RedisServer() : port_(PickFreePort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

void RedisServer::Start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind",
                               "127.0.0.1", "--dir", dir_.path(), "--save", "", "--appendonly",
                               "yes", "--appendfsync", "no", "--daemonize", "no",
                               "--protected-mode", "yes", "--loglevel", "warning"},
      dir_.path() + "/redis.log");
  if (!WaitForPort(port_, std::chrono::seconds(10))) {
    throw std::runtime_error("redis-server did not start: " + process_->ReadLog());
  }
}

void RedisServer::Stop() {
  if (process_ && process_->Running()) {
    process_->Signal(SIGTERM);
    process_->Wait(std::chrono::seconds(10));
  }
  process_.reset();
}

void RedisServer::Kill() {
  if (process_) process_->Signal(SIGKILL);
  if (process_) process_->Wait();
  process_.reset();
}

std::string RedisServer::url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

}  // namespace dermaflow::testing
