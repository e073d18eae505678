#include "tests/support/redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

namespace dermaflow::testing {
namespace {

// One PING on a fresh connection: true on +PONG. An accepting port is not
// enough: while Redis loads its AOF it answers -LOADING.
bool AnswersPing(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool pong = false;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      send(fd, "PING\r\n", 6, 0) == 6) {
    char reply[64];
    const ssize_t n = recv(fd, reply, sizeof(reply), 0);
    pong = n >= 5 && std::string(reply, 5) == "+PONG";
  }
  close(fd);
  return pong;
}

bool WaitForPing(int port, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (AnswersPing(port)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

RedisServer::RedisServer() : port_(PickFreePort()) { Start(); }

RedisServer::~RedisServer() { Stop(); }

void RedisServer::Start() {
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{"redis-server", "--port", std::to_string(port_), "--bind",
                               "127.0.0.1", "--dir", dir_.path(), "--save", "", "--appendonly",
                               "yes", "--appendfsync", "no", "--daemonize", "no",
                               "--protected-mode", "yes", "--loglevel", "warning"},
      dir_.path() + "/redis.log");
  if (!WaitForPing(port_, std::chrono::seconds(10))) {
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
