#include "bench/notification/bench_redis.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <stdexcept>
#include <thread>

#include "common/redis/redis_options.h"
#include "tests/support/process.h"

namespace dermaflow::bench {
namespace {

// Live server pids, read by the signal handler (lock-free atomics only).
std::array<std::atomic<pid_t>, 8> g_live{};

void Register(pid_t pid) {
  for (auto& slot : g_live) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return;
  }
}

void Unregister(pid_t pid) {
  for (auto& slot : g_live) {
    pid_t mine = pid;
    slot.compare_exchange_strong(mine, 0);
  }
}

extern "C" void KillServersAndDie(int sig) {
  for (auto& slot : g_live) {
    const pid_t pid = slot.load();
    if (pid > 0) kill(pid, SIGKILL);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

bool HaveSetpriv() { return access("/usr/bin/setpriv", X_OK) == 0; }

}  // namespace

void InstallRedisCleanupOnSignals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) signal(sig, KillServersAndDie);
}

BenchRedis::BenchRedis(BenchRedisOptions options) : port_(testing::PickFreePort()) {
  std::vector<std::string> argv;
  if (HaveSetpriv()) argv = {"/usr/bin/setpriv", "--pdeathsig", "KILL"};
  for (const char* a : {"redis-server", "--port"}) argv.emplace_back(a);
  argv.push_back(std::to_string(port_));
  for (const char* a : {"--bind", "127.0.0.1", "--dir", dir_.path().c_str(), "--save", "",
                        "--appendonly", options.aof ? "yes" : "no", "--appendfsync", "everysec",
                        "--daemonize", "no", "--loglevel", "warning"}) {
    argv.emplace_back(a);
  }
  process_ = std::make_unique<testing::ChildProcess>(argv, dir_.path() + "/redis.log");
  Register(process_->pid());  // setpriv execs redis-server in place: same pid
  if (!testing::WaitForPort(port_, std::chrono::seconds(10))) {
    throw std::runtime_error("redis-server did not start: " + process_->ReadLog());
  }
  common::RedisOptions redis = *common::ParseRedisUrl(url());
  redis.command_timeout = absl::Seconds(120);
  redis.pool_size = 2;
  admin_ = std::make_unique<common::RedisClient>(redis);
}

BenchRedis::~BenchRedis() {
  admin_.reset();
  testing::StopServerProcess(process_.get());
  Unregister(process_->pid());
}

std::string BenchRedis::url() const { return "redis://127.0.0.1:" + std::to_string(port_) + "/0"; }

double BenchRedis::InfoField(const std::string& section, const std::string& field) {
  absl::StatusOr<common::RedisReply> info = admin_->Command({"INFO", section});
  if (!info.ok()) throw std::runtime_error("INFO failed: " + info.status().ToString());
  const std::string& text = info->str();
  const std::string key = "\n" + field + ":";
  const size_t at = ("\n" + text).find(key);
  if (at == std::string::npos) throw std::runtime_error("INFO has no " + field);
  return std::strtod(text.c_str() + at + key.size() - 1, nullptr);
}

double BenchRedis::CpuSeconds() {
  return InfoField("cpu", "used_cpu_sys") + InfoField("cpu", "used_cpu_user");
}

void BenchRedis::SettleAof() {
  if (InfoField("persistence", "aof_enabled") == 0) return;
  auto busy = [&] {
    return InfoField("persistence", "aof_rewrite_in_progress") +
               InfoField("persistence", "aof_rewrite_scheduled") >
           0;
  };
  while (busy()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  (void)admin_->Command({"BGREWRITEAOF"});
  while (busy()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

int64_t BenchRedis::UsedMemory() {
  return static_cast<int64_t>(InfoField("memory", "used_memory"));
}

}  // namespace dermaflow::bench
