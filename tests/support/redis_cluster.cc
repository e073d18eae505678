#include "tests/support/redis_cluster.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <set>
#include <stdexcept>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/redis/redis_options.h"

namespace dermaflow::testing {
namespace {

using common::RedisReply;

constexpr int kPrimaries = 3;
constexpr auto kStartTimeout = std::chrono::seconds(15);

std::string Log(const std::vector<std::unique_ptr<ChildProcess>>& processes) {
  std::string log;
  for (const auto& process : processes) {
    if (process) absl::StrAppend(&log, "--- ", process->log_path(), "\n", process->ReadLog());
  }
  return log;
}

// [[start, end, [host, port, id], replicas...]...] -> the port serving `slot`.
int OwnerIn(const RedisReply& slots, int slot) {
  for (const RedisReply& range : slots.elements()) {
    if (range.elements().size() < 3) continue;
    if (range.elements()[0].integer() <= slot && slot <= range.elements()[1].integer()) {
      return static_cast<int>(range.elements()[2].elements()[1].integer());
    }
  }
  return 0;
}

// CLUSTER SLOTS as sorted (first slot, last slot, primary port) triples.
std::vector<std::array<int64_t, 3>> Ranges(const RedisReply& slots) {
  std::vector<std::array<int64_t, 3>> ranges;
  ranges.reserve(slots.elements().size());
  for (const RedisReply& range : slots.elements()) {
    if (range.elements().size() < 3) continue;
    ranges.push_back({range.elements()[0].integer(), range.elements()[1].integer(),
                      range.elements()[2].elements()[1].integer()});
  }
  std::sort(ranges.begin(), ranges.end());
  return ranges;
}

}  // namespace

RedisCluster::RedisCluster(Options options) {
  const int nodes = kPrimaries * (1 + options.replicas_per_primary);
  // Client and cluster-bus ports are picked apart: the default bus port
  // (port + 10000) may be taken or out of range.
  std::vector<int> bus_ports;
  std::set<int> taken;
  while (static_cast<int>(ports_.size()) < nodes) {
    const int port = PickFreePort();
    const int bus = PickFreePort();
    if (port == bus || !taken.insert(port).second || !taken.insert(bus).second) continue;
    ports_.push_back(port);
    bus_ports.push_back(bus);
  }
  for (int i = 0; i < nodes; ++i) {
    dirs_.push_back(std::make_unique<TempDir>());
    const std::string& dir = dirs_.back()->path();
    std::vector<std::string> argv;
    // setpriv execs redis-server in place with "kill me when my parent dies",
    // so a crashed test binary leaves no node behind.
    if (access("/usr/bin/setpriv", X_OK) == 0) argv = {"/usr/bin/setpriv", "--pdeathsig", "KILL"};
    for (const std::string& arg : std::vector<std::string>{
             "redis-server", "--port", std::to_string(ports_[i]), "--cluster-port",
             std::to_string(bus_ports[i]), "--bind", "127.0.0.1", "--dir", dir, "--cluster-enabled",
             "yes", "--cluster-config-file", "nodes.conf", "--cluster-node-timeout",
             std::to_string(options.node_timeout_ms), "--save", "", "--appendonly",
             options.append_only ? "yes" : "no", "--daemonize", "no", "--loglevel", "warning",
             // Replicas sync at once (Redis waits 5 s for more by default).
             "--repl-diskless-sync-delay", "0"}) {
      argv.push_back(arg);
    }
    processes_.push_back(std::make_unique<ChildProcess>(argv, dir + "/redis.log"));
  }
  for (int port : ports_) {
    if (!WaitForPort(port, kStartTimeout)) {
      throw std::runtime_error("redis-server (cluster node) did not start:\n" + Log(processes_));
    }
  }
  std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
  for (int port : ports_) create.push_back(absl::StrCat("127.0.0.1:", port));
  for (const std::string& arg :
       {std::string("--cluster-replicas"), std::to_string(options.replicas_per_primary),
        std::string("--cluster-yes")}) {
    create.push_back(arg);
  }
  ChildProcess cli(create, dirs_.front()->path() + "/cluster-create.log");
  const int code = cli.Wait(std::chrono::seconds(60));
  if (code != 0) {
    throw std::runtime_error("redis-cli --cluster create failed (" + std::to_string(code) + "):\n" +
                             cli.ReadLog() + Log(processes_));
  }
  WaitUntilHealthy();
}

RedisCluster::~RedisCluster() {
  nodes_.clear();
  for (auto& process : processes_) {
    process->Signal(SIGKILL);
    process->Wait(std::chrono::seconds(10));
  }
}

std::string RedisCluster::url() const {
  return absl::StrCat("redis+cluster://127.0.0.1:", ports_[0], ",127.0.0.1:", ports_[1]);
}

const std::string& RedisCluster::NodeDir(int port) const {
  const auto node = std::find(ports_.begin(), ports_.end(), port);
  if (node == ports_.end()) throw std::runtime_error(absl::StrCat("no cluster node on ", port));
  return dirs_[node - ports_.begin()]->path();
}

std::vector<int> RedisCluster::LivePorts() const {
  std::vector<int> live;
  for (int port : ports_) {
    if (std::find(killed_.begin(), killed_.end(), port) == killed_.end()) live.push_back(port);
  }
  return live;
}

void RedisCluster::KillNode(int port) {
  const auto node = std::find(ports_.begin(), ports_.end(), port);
  if (node == ports_.end()) throw std::runtime_error(absl::StrCat("no cluster node on ", port));
  ChildProcess& process = *processes_[node - ports_.begin()];
  process.Signal(SIGKILL);
  process.Wait(std::chrono::seconds(10));
  nodes_.erase(port);
  killed_.push_back(port);
}

common::RedisClient& RedisCluster::Node(int port) {
  std::unique_ptr<common::RedisClient>& node = nodes_[port];
  if (node == nullptr) {
    common::RedisOptions options =
        common::ParseRedisUrl(absl::StrCat("redis://127.0.0.1:", port)).value();
    options.pool_size = 2;
    node = std::make_unique<common::RedisClient>(options);
  }
  return *node;
}

RedisReply RedisCluster::NodeCommand(int port, std::vector<std::string> argv) {
  absl::StatusOr<std::vector<RedisReply>> replies = Node(port).Pipeline({std::move(argv)});
  if (!replies.ok()) {
    throw std::runtime_error(
        absl::StrCat("cluster node ", port, ": ", replies.status().ToString()));
  }
  return std::move(replies->front());
}

std::vector<int> RedisCluster::PrimaryPorts() {
  const RedisReply slots = NodeCommand(LivePorts().front(), {"CLUSTER", "SLOTS"});
  std::vector<int> primaries;
  for (const RedisReply& range : slots.elements()) {
    const int port = static_cast<int>(range.elements()[2].elements()[1].integer());
    if (std::find(primaries.begin(), primaries.end(), port) == primaries.end()) {
      primaries.push_back(port);
    }
  }
  std::sort(primaries.begin(), primaries.end());
  return primaries;
}

int RedisCluster::PortOwning(int slot) {
  return OwnerIn(NodeCommand(LivePorts().front(), {"CLUSTER", "SLOTS"}), slot);
}

int RedisCluster::KeySlot(const std::string& key) {
  return static_cast<int>(NodeCommand(LivePorts().front(), {"CLUSTER", "KEYSLOT", key}).integer());
}

std::string RedisCluster::NodeId(int port) { return NodeCommand(port, {"CLUSTER", "MYID"}).str(); }

namespace {

void Expect(const RedisReply& reply, const std::string& what) {
  if (reply.is_error()) throw std::runtime_error(what + ": " + reply.str());
}

}  // namespace

void RedisCluster::BeginMigration(int slot, int to_port) {
  const int from = PortOwning(slot);
  const std::string s = std::to_string(slot);
  Expect(NodeCommand(to_port, {"CLUSTER", "SETSLOT", s, "IMPORTING", NodeId(from)}), "IMPORTING");
  Expect(NodeCommand(from, {"CLUSTER", "SETSLOT", s, "MIGRATING", NodeId(to_port)}), "MIGRATING");
  migrations_[slot] = Migration{.from = from, .to = to_port};
}

void RedisCluster::MigrateKeys(int slot, const std::vector<std::string>& keys) {
  const Migration& m = migrations_.at(slot);
  std::vector<std::string> migrate = {"MIGRATE", "127.0.0.1", std::to_string(m.to), "", "0",
                                      "5000",    "KEYS"};
  migrate.insert(migrate.end(), keys.begin(), keys.end());
  Expect(NodeCommand(m.from, migrate), "MIGRATE");
}

void RedisCluster::FinishMigration(int slot) {
  const Migration m = migrations_.at(slot);
  const std::string s = std::to_string(slot);
  while (true) {
    RedisReply keys = NodeCommand(m.from, {"CLUSTER", "GETKEYSINSLOT", s, "100"});
    if (keys.elements().empty()) break;
    std::vector<std::string> names;
    for (const RedisReply& key : keys.elements()) names.push_back(key.str());
    MigrateKeys(slot, names);
  }
  const std::string to_id = NodeId(m.to);
  // Target first, then source, then the rest (the order the Redis docs give).
  std::vector<int> order = {m.to, m.from};
  for (int port : PrimaryPorts()) {
    if (port != m.to && port != m.from) order.push_back(port);
  }
  for (int port : order)
    Expect(NodeCommand(port, {"CLUSTER", "SETSLOT", s, "NODE", to_id}), "NODE");
  migrations_.erase(slot);
  WaitUntilHealthy();
}

void RedisCluster::MoveSlot(int slot, int to_port) {
  BeginMigration(slot, to_port);
  FinishMigration(slot);
}

void RedisCluster::UnassignSlot(int slot) {
  for (int port : LivePorts()) NodeCommand(port, {"CLUSTER", "DELSLOTS", std::to_string(slot)});
}

void RedisCluster::RestoreSlot(int slot, int owner_port) {
  const std::string id = NodeId(owner_port);
  // Replicas refuse SETSLOT and learn the owner from their primaries.
  for (int port : PrimaryPorts()) {
    Expect(NodeCommand(port, {"CLUSTER", "SETSLOT", std::to_string(slot), "NODE", id}), "NODE");
  }
  WaitUntilHealthy();
}

void RedisCluster::WaitUntilHealthy() {
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  std::string last;
  const std::vector<int> live = LivePorts();
  while (std::chrono::steady_clock::now() < deadline) {
    bool healthy = true;
    for (int port : live) {
      const RedisReply info = NodeCommand(port, {"CLUSTER", "INFO"});
      if (!absl::StrContains(info.str(), "cluster_state:ok")) {
        healthy = false;
        last = absl::StrCat("node ", port, " is not cluster_state:ok");
        break;
      }
    }
    if (healthy) {
      // Every node (replicas too) must see the same owner of every slot.
      const std::vector<std::array<int64_t, 3>> reference =
          Ranges(NodeCommand(live.front(), {"CLUSTER", "SLOTS"}));
      for (int port : live) {
        if (Ranges(NodeCommand(port, {"CLUSTER", "SLOTS"})) != reference) {
          healthy = false;
          last = absl::StrCat("node ", port, " sees other slot owners than node ", live.front());
          break;
        }
      }
    }
    if (healthy) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis cluster not healthy: " + last + "\n" + Log(processes_));
}

void RedisCluster::FlushAll() {
  for (int port : PrimaryPorts()) Expect(NodeCommand(port, {"FLUSHALL"}), "FLUSHALL");
}

RedisCluster& SharedRedisCluster() {
  // Destroyed at exit (nodes killed by PID), so a test binary that exits
  // normally leaves no redis-server behind.
  static RedisCluster cluster;
  return cluster;
}

}  // namespace dermaflow::testing
