#include "tests/support/redis_sentinel.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace dermaflow::testing {
namespace {

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

// Each port is picked just before its server starts: picked all at once,
// one could be taken by an outgoing connection (a replica's sync) meanwhile.
RedisSentinelSetup::RedisSentinelSetup(int replicas) {
  primary_port_ = PickFreePort();
  primary_ = StartRedis(primary_port_, "primary", {});
  for (int i = 0; i < replicas; ++i) {
    const int port = PickFreePort();
    replica_ports_.push_back(port);
    others_.push_back(StartRedis(port, "replica-" + std::to_string(i),
                                 {"--replicaof", "127.0.0.1", std::to_string(primary_port_)}));
  }
  // A sentinel learns the replicas from the primary's INFO, which it asks
  // at once and then every 10 s: a replica not yet attached at the first
  // look would keep WaitUntilReady waiting 10 s more (1 start in ~10).
  WaitUntilReplicasInSync();
  for (int i = 0; i < 3; ++i) {
    const int port = PickFreePort();
    sentinel_ports_.push_back(port);
    const std::string conf = dir_.path() + "/sentinel-" + std::to_string(port) + ".conf";
    // Sentinels rewrite their config file, so each has its own.
    std::ofstream(conf) << "port " << port << "\nbind 127.0.0.1\ndaemonize no\ndir " << dir_.path()
                        << "\nsentinel monitor " << kMaster << " 127.0.0.1 " << primary_port_
                        << " 2\nsentinel down-after-milliseconds " << kMaster
                        << " 1000\nsentinel failover-timeout " << kMaster
                        << " 5000\nsentinel parallel-syncs " << kMaster << " 1\n";
    others_.push_back(
        StartServerProcess({"redis-server", conf, "--sentinel"}, conf + ".log", port, "sentinel"));
  }
  WaitUntilReady();
}

RedisSentinelSetup::~RedisSentinelSetup() {
  for (auto& p : others_) StopServerProcess(p.get());
  StopServerProcess(primary_.get());
}

std::unique_ptr<ChildProcess> RedisSentinelSetup::StartRedis(int port, const std::string& name,
                                                             std::vector<std::string> extra) {
  const std::string dir = dir_.path() + "/" + name;
  std::filesystem::create_directories(dir);
  std::vector<std::string> argv = {
      "redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1", "--dir", dir, "--save",
      "", "--appendonly", "yes", "--daemonize", "no", "--loglevel", "warning",
      // Redis waits 5 s for more replicas before a diskless sync by default.
      "--repl-diskless-sync-delay", "0"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return StartServerProcess(argv, dir + ".log", port, name);
}

void RedisSentinelSetup::WaitUntilReplicasInSync() {
  const bool in_sync = Eventually(std::chrono::seconds(30), [&] {
    for (int port : replica_ports_) {
      if (RedisCli(port, {"INFO", "replication"}).find("master_link_status:up") ==
          std::string::npos) {
        return false;
      }
    }
    return true;
  });
  if (!in_sync) ThrowWithLogs("replicas did not sync with the primary in 30 s");
}

void RedisSentinelSetup::WaitUntilReady() {
  auto field = [&](int sentinel, const std::string& name) {
    const std::string info = RedisCli(sentinel, {"SENTINEL", "master", kMaster});
    const size_t at = info.find(name + "\n");
    if (at == std::string::npos) return std::string();
    const size_t start = at + name.size() + 1;
    return info.substr(start, info.find('\n', start) - start);
  };
  const std::string replicas = std::to_string(replica_ports_.size());
  const bool ready = Eventually(std::chrono::seconds(30), [&] {
    for (int port : replica_ports_) {
      if (RedisCli(port, {"INFO", "replication"}).find("master_link_status:up") ==
          std::string::npos) {
        return false;
      }
    }
    for (int s : sentinel_ports_) {
      if (field(s, "num-other-sentinels") != "2" || field(s, "num-slaves") != replicas) {
        return false;
      }
    }
    return true;
  });
  if (!ready) ThrowWithLogs("sentinel setup did not come up in 30 s");
}

void RedisSentinelSetup::ThrowWithLogs(const std::string& what) {
  std::string logs = primary_->log_path() + ":\n" + primary_->ReadLog() + "\n";
  for (auto& p : others_) logs += p->log_path() + ":\n" + p->ReadLog() + "\n";
  throw std::runtime_error(what + ":\n" + logs);
}

std::string RedisSentinelSetup::url() const {
  std::string url = "redis+sentinel://";
  for (size_t i = 0; i < sentinel_ports_.size(); ++i) {
    url += (i ? ",127.0.0.1:" : "127.0.0.1:") + std::to_string(sentinel_ports_[i]);
  }
  return url + "/" + kMaster;
}

void RedisSentinelSetup::KillPrimary() {
  primary_->Signal(SIGKILL);
  primary_->Wait();
}

void RedisSentinelSetup::ForceFailover() {
  // -NOGOODSLAVE while a replica's state is not yet known to the sentinel.
  const bool started = Eventually(std::chrono::seconds(15), [&] {
    return RedisCli(sentinel_ports_[0], {"SENTINEL", "FAILOVER", kMaster}) == "OK";
  });
  if (!started) throw std::runtime_error("SENTINEL FAILOVER was not accepted within 15 s");
}

}  // namespace dermaflow::testing
