// Times what cluster mode costs a caller of RedisClient, against one
// redis-server in the same run (interleaved rounds, so machine load hits
// every variant alike):
//   GET    one key per call (tenant keys df:{org-i}:bench, 100-byte values)
//          - single:  redis:// to one redis-server
//          - direct:  redis:// to one cluster primary, keys it owns
//                     (a cluster-enabled server, no client routing)
//          - cluster: redis+cluster://, the same keys, routed
//   PIPE   100 GETs in one Pipeline call
//          - single:        100 tenants, one server, one round trip
//          - cluster:       the same 100 tenants, split over 3 primaries,
//                           written to all, then read
//          - direct 1node:  100 GETs of keys one primary owns, redis:// to it
//          - cluster 1node: the same keys through the cluster client
//   route  RouteCommand + hash slot for one GET, no I/O (ns)
//
//   redis_cluster_bench [rounds]   (default 20 rounds of 1000 GETs / 100 pipelines)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/redis/hash_slot.h"
#include "common/redis/internal/command_route.h"
#include "common/redis/redis_client.h"
#include "common/redis/redis_options.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_server.h"

namespace dermaflow::bench {
namespace {

using common::RedisClient;
using Clock = std::chrono::steady_clock;

constexpr int kTenants = 300;

std::string Key(int tenant) { return absl::StrCat("df:{org-", tenant, "}:bench"); }

std::unique_ptr<RedisClient> Client(const std::string& url) {
  common::RedisOptions options = common::ParseRedisUrl(url).value();
  options.pool_size = 2;
  return RedisClient::Create(options).value();
}

void Check(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "bench: %s failed\n", what.c_str());
    std::exit(1);
  }
}

struct Series {
  std::string name;
  std::vector<double> micros;
};

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

void Time(Series& series, int n, const std::function<void(int)>& call) {
  for (int i = 0; i < n; ++i) {
    const auto start = Clock::now();
    call(i);
    series.micros.push_back(
        std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
}

void Print(const std::vector<Series*>& rows, double baseline_median) {
  for (const Series* s : rows) {
    const double median = Percentile(s->micros, 0.5);
    std::printf("%-22s %8zu %9.1f %9.1f %9.1f %8.2fx\n", s->name.c_str(), s->micros.size(), median,
                Percentile(s->micros, 0.9), Percentile(s->micros, 0.99), median / baseline_median);
  }
}

int Run(int rounds) {
  testing::RedisServer single_server;
  testing::RedisCluster cluster;
  const int node = cluster.PrimaryPorts()[0];
  std::unique_ptr<RedisClient> single = Client(single_server.url());
  std::unique_ptr<RedisClient> direct = Client(absl::StrCat("redis://127.0.0.1:", node));
  std::unique_ptr<RedisClient> routed = Client(cluster.url());

  const std::string value(100, 'v');
  std::vector<std::vector<std::string>> writes;
  writes.reserve(kTenants);
  for (int t = 0; t < kTenants; ++t) writes.push_back({"SET", Key(t), value});
  Check(single->Pipeline(writes).ok() && routed->Pipeline(writes).ok(), "loading keys");
  // Keys the `direct` node owns, so it and `cluster` read the same keys.
  std::vector<std::string> on_node;
  for (int t = 0; t < kTenants; ++t) {
    if (cluster.PortOwning(common::KeyHashSlot(Key(t))) == node) on_node.push_back(Key(t));
  }
  std::vector<std::vector<std::string>> pipeline;
  pipeline.reserve(100);
  for (int t = 0; t < 100; ++t) pipeline.push_back({"GET", Key(t * 3)});
  std::vector<std::vector<std::string>> one_node_pipeline;
  one_node_pipeline.reserve(100);
  for (int i = 0; i < 100; ++i) one_node_pipeline.push_back({"GET", on_node[i % on_node.size()]});

  Series get_single{"GET single"}, get_direct{"GET direct"}, get_cluster{"GET cluster"};
  Series pipe_single{"PIPE100 single"}, pipe_cluster{"PIPE100 cluster"};
  Series pipe_direct{"PIPE100 direct 1node"}, pipe_cluster_one{"PIPE100 cluster 1node"};
  auto get = [&](RedisClient& client) {
    return [&](int i) { Check(client.Command({"GET", on_node[i % on_node.size()]}).ok(), "GET"); };
  };
  auto pipe = [&](RedisClient& client, const std::vector<std::vector<std::string>>& commands) {
    return [&](int) {
      absl::StatusOr<std::vector<common::RedisReply>> replies = client.Pipeline(commands);
      Check(replies.ok() && replies->size() == 100 && (*replies)[99].str() == value, "PIPE");
    };
  };
  // Warm-up (connections, slot map), not counted.
  Series warm{"warm"};
  for (RedisClient* c : {single.get(), direct.get(), routed.get()}) Time(warm, 200, get(*c));
  for (RedisClient* c : {single.get(), routed.get()}) Time(warm, 20, pipe(*c, pipeline));

  for (int round = 0; round < rounds; ++round) {
    Time(get_single, 1000, get(*single));
    Time(get_direct, 1000, get(*direct));
    Time(get_cluster, 1000, get(*routed));
    Time(pipe_single, 100, pipe(*single, pipeline));
    Time(pipe_cluster, 100, pipe(*routed, pipeline));
    Time(pipe_direct, 100, pipe(*direct, one_node_pipeline));
    Time(pipe_cluster_one, 100, pipe(*routed, one_node_pipeline));
  }

  // Client-side routing alone: parse the command, hash the key's tag.
  const std::vector<std::string> argv = {"GET", Key(7)};
  constexpr int kRoutes = 1000000;
  int64_t sink = 0;
  const auto start = Clock::now();
  for (int i = 0; i < kRoutes; ++i) {
    sink += common::redis_internal::RouteCommand(argv)->slot;
  }
  const double route_ns =
      std::chrono::duration<double, std::nano>(Clock::now() - start).count() / kRoutes;

  std::printf("%-22s %8s %9s %9s %9s %9s\n", "call (us)", "n", "median", "p90", "p99", "vs single");
  Print({&get_single, &get_direct, &get_cluster}, Percentile(get_single.micros, 0.5));
  Print({&pipe_single, &pipe_cluster, &pipe_direct, &pipe_cluster_one},
        Percentile(pipe_single.micros, 0.5));
  std::printf("route (RouteCommand + slot, no I/O): %.0f ns per GET (checksum %lld)\n", route_ns,
              static_cast<long long>(sink % 7));
  return 0;
}

}  // namespace
}  // namespace dermaflow::bench

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20;
  return dermaflow::bench::Run(std::max(1, rounds));
}
