#include "tests/support/redis_sentinel.h"

#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace dermaflow::testing {
namespace {

std::vector<std::string> RedisArgs(int port, const std::string& dir) {
  return {"redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--dir", dir,
          "--save", "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "warning",
          // Redis waits 5 s for more replicas before a diskless sync by default.
          "--repl-diskless-sync-delay", "0"};
}

// Polls `check` every 50 ms until it is true or `timeout` passes.
template <typename Check>
bool Eventually(std::chrono::milliseconds timeout, Check check) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

std::string RedisCli(int port, const std::vector<std::string>& args) {
  std::string command = "redis-cli -h 127.0.0.1 -p " + std::to_string(port);
  for (const std::string& a : args) command += " '" + a + "'";
  command += " 2>/dev/null";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[512];
    while (fgets(buffer, sizeof(buffer), pipe) != nullptr) out += buffer;
    pclose(pipe);
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

RedisSentinelSetup::RedisSentinelSetup()
    : primary_port_(PickFreePort()), replica_port_(PickFreePort()) {
  for (int i = 0; i < 3; ++i) sentinel_ports_.push_back(PickFreePort());
  const std::string& dir = dir_.path();
  std::filesystem::create_directories(dir + "/primary");
  std::filesystem::create_directories(dir + "/replica");
  processes_.push_back(StartServerProcess(RedisArgs(primary_port_, dir + "/primary"),
                                          dir + "/primary.log", primary_port_, "primary"));
  std::vector<std::string> replica = RedisArgs(replica_port_, dir + "/replica");
  replica.insert(replica.end(), {"--replicaof", "127.0.0.1", std::to_string(primary_port_)});
  processes_.push_back(StartServerProcess(replica, dir + "/replica.log", replica_port_, "replica"));
  for (int port : sentinel_ports_) {
    const std::string conf = dir + "/sentinel-" + std::to_string(port) + ".conf";
    std::ofstream(conf) << SentinelConfig(port);
    processes_.push_back(
        StartServerProcess({"redis-server", conf, "--sentinel"}, conf + ".log", port, "sentinel"));
  }
  WaitUntilReady();
}

RedisSentinelSetup::~RedisSentinelSetup() {
  for (auto& p : processes_) StopServerProcess(p.get());
}

std::string RedisSentinelSetup::SentinelConfig(int port) const {
  // The data dirs must exist before redis-server starts; sentinels rewrite
  // their own config file, so each has its own.
  return "port " + std::to_string(port) + "\nbind 127.0.0.1\ndaemonize no\ndir " + dir_.path() +
         "\nsentinel monitor " + kMaster + " 127.0.0.1 " + std::to_string(primary_port_) +
         " 2\nsentinel down-after-milliseconds " + kMaster + " 1000\nsentinel failover-timeout " +
         kMaster + " 5000\nsentinel parallel-syncs " + kMaster + " 1\n";
}

void RedisSentinelSetup::WaitUntilReady() {
  auto field = [&](int sentinel, const std::string& name) {
    const std::string info = RedisCli(sentinel, {"SENTINEL", "master", kMaster});
    const size_t at = info.find(name + "\n");
    if (at == std::string::npos) return std::string();
    const size_t start = at + name.size() + 1;
    return info.substr(start, info.find('\n', start) - start);
  };
  const bool ready = Eventually(std::chrono::seconds(30), [&] {
    if (RedisCli(replica_port_, {"INFO", "replication"}).find("master_link_status:up") ==
        std::string::npos) {
      return false;
    }
    for (int s : sentinel_ports_) {
      if (field(s, "num-other-sentinels") != "2" || field(s, "num-slaves") != "1") return false;
    }
    return true;
  });
  if (!ready) {
    std::string logs;
    for (auto& p : processes_) logs += p->log_path() + ":\n" + p->ReadLog() + "\n";
    throw std::runtime_error("sentinel setup did not come up in 30 s:\n" + logs);
  }
}

std::string RedisSentinelSetup::url() const {
  std::string url = "redis+sentinel://";
  for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
    url += (i ? ",127.0.0.1:" : "127.0.0.1:") + std::to_string(sentinel_ports_[i]);
  }
  return url + "/" + kMaster;
}

void RedisSentinelSetup::KillPrimary() {
  processes_[0]->Signal(SIGKILL);
  processes_[0]->Wait();
}

void RedisSentinelSetup::ForceFailover() {
  RedisCli(sentinel_ports_[0], {"SENTINEL", "FAILOVER", kMaster});
}

}  // namespace dermaflow::testing
