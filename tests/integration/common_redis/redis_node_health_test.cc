// Per-node health as /metrics shows it (RedisPrometheusMetrics behind a
// RedisClient), against real servers: one redis-server, then a Redis
// Cluster whose primary is SIGKILLed (its series shows 0, then goes once
// the map names the promoted replica); and RunOnEveryPrimary/RunOnPrimary,
// which keep each primary's reply apart.
#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/metrics/metrics_registry.h"
#include "common/metrics/redis_prometheus_metrics.h"
#include "common/redis/redis_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/http_get.h"
#include "tests/support/redis_cluster.h"
#include "tests/support/redis_server.h"

namespace dermaflow::common {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAreArray;

std::string Node(int port) { return absl::StrCat("127.0.0.1:", port); }
std::string UpSeries(int port) {
  return absl::StrCat("dermaflow_redis_node_up{node=\"", Node(port), "\"}");
}
std::string ErrorSeries(int port, const std::string& kind) {
  return absl::StrCat("dermaflow_redis_node_errors_total{kind=\"", kind, "\",node=\"", Node(port),
                      "\"}");
}

// A client reporting to Prometheus metrics served on a loopback port.
class NodeHealthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registry = MetricsRegistry::Create("127.0.0.1:0");
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = *std::move(registry);
    metrics_ = std::make_unique<RedisPrometheusMetrics>(registry_->registry());
  }

  std::unique_ptr<RedisClient> Client(const std::string& url) {
    RedisOptions options = ParseRedisUrl(url).value();
    options.connect_timeout = absl::Milliseconds(300);
    options.command_timeout = absl::Milliseconds(500);
    return RedisClient::Create(options, metrics_.get()).value();
  }

  // The value of one series on /metrics, or nullopt when it is not there.
  std::optional<double> Sample(const std::string& series) {
    for (const std::string& line : testing::ScrapeLines(registry_->port())) {
      if (line.rfind(series + " ", 0) != 0) continue;
      double value = 0;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &value)) return value;
    }
    return std::nullopt;
  }
  // Every node that has an up series.
  std::vector<std::string> NodesShown() {
    std::vector<std::string> nodes;
    const std::string prefix = "dermaflow_redis_node_up{node=\"";
    for (const std::string& line : testing::ScrapeLines(registry_->port())) {
      if (line.rfind(prefix, 0) != 0) continue;
      nodes.push_back(line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size()));
    }
    return nodes;
  }

  std::unique_ptr<MetricsRegistry> registry_;
  std::unique_ptr<RedisPrometheusMetrics> metrics_;
};

TEST_F(NodeHealthTest, OneServerIsOneNodeUpThenDownThenUp) {
  testing::RedisServer redis;
  std::unique_ptr<RedisClient> client = Client(redis.url());
  ASSERT_TRUE(client->Ping().ok());
  EXPECT_EQ(Sample(UpSeries(redis.port())), 1);
  EXPECT_THAT(NodesShown(), ElementsAre(Node(redis.port())));
  for (std::string_view kind : kRedisNodeErrorKinds) {
    EXPECT_EQ(Sample(ErrorSeries(redis.port(), std::string(kind))), 0) << kind;
  }
  EXPECT_EQ(Sample("dermaflow_redis_cluster_nodes{role=\"primary\"}"), std::nullopt)
      << "a cluster metric, only with redis+cluster://";

  absl::StatusOr<std::vector<RedisNodeReply>> info = client->RunOnEveryPrimary({"INFO", "server"});
  ASSERT_TRUE(info.ok()) << info.status();
  ASSERT_EQ(info->size(), 1u);
  EXPECT_EQ((*info)[0].node, Node(redis.port()));
  EXPECT_THAT((*info)[0].reply->str(), HasSubstr(absl::StrCat("tcp_port:", redis.port())));
  EXPECT_EQ(client->RunOnPrimary(Node(redis.port()), {"PING"})->str(), "PONG");
  EXPECT_EQ(client->RunOnPrimary("127.0.0.1:1", {"PING"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(client->RunOnEveryPrimary({"GET", "k"}).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "a command with keys runs on its key's node, not per node";

  redis.Kill();
  absl::Status down = client->Ping();
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(down.message()), HasSubstr(Node(redis.port())));
  EXPECT_EQ(Sample(UpSeries(redis.port())), 0);
  // The pooled connection broke (io), or a new one was refused (connect).
  EXPECT_GE(
      *Sample(ErrorSeries(redis.port(), "io")) + *Sample(ErrorSeries(redis.port(), "connect")), 1);

  redis.Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!client->Ping().ok() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(Sample(UpSeries(redis.port())), 1);
}

TEST_F(NodeHealthTest, ErrorRepliesOfASickNodeAreCountedAgainstIt) {
  testing::RedisServer redis;
  std::unique_ptr<RedisClient> client = Client(redis.url());
  ASSERT_TRUE(client->Ping().ok());
  ASSERT_TRUE(client->Command({"CONFIG", "SET", "maxmemory", "1"}).ok());
  absl::StatusOr<RedisReply> refused = client->Command({"SET", "k", "v"});
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("OOM"));
  ASSERT_TRUE(client->Command({"CONFIG", "SET", "maxmemory", "0"}).ok());
  // A command's own error is not the node's.
  ASSERT_TRUE(client->Command({"SET", "s", "x"}).ok());
  EXPECT_THAT(std::string(client->Command({"INCR", "s"}).status().message()),
              HasSubstr("not an integer"));
  EXPECT_EQ(Sample(ErrorSeries(redis.port(), "oom")), 1);
  EXPECT_EQ(Sample(ErrorSeries(redis.port(), "io")), 0);
  EXPECT_EQ(Sample(ErrorSeries(redis.port(), "readonly")), 0);
}

// Its own cluster: a primary is killed.
TEST_F(NodeHealthTest, KilledPrimaryShowsDownThenLeavesWhenItsReplicaTakesOver) {
  testing::RedisCluster cluster({.node_timeout_ms = 2000});
  std::unique_ptr<RedisClient> client = Client(cluster.url());
  const std::vector<int> primaries = cluster.PrimaryPorts();
  ASSERT_TRUE(client->Ping().ok());
  std::vector<std::string> names;
  for (int port : primaries) {
    names.push_back(Node(port));
    EXPECT_EQ(Sample(UpSeries(port)), 1) << port;
  }
  EXPECT_THAT(NodesShown(), UnorderedElementsAreArray(names));
  EXPECT_EQ(Sample("dermaflow_redis_cluster_nodes{role=\"primary\"}"), 3);

  // Each primary answers for itself.
  absl::StatusOr<std::vector<RedisNodeReply>> info = client->RunOnEveryPrimary({"INFO", "server"});
  ASSERT_TRUE(info.ok()) << info.status();
  std::vector<std::string> answered;
  for (const RedisNodeReply& reply : *info) {
    ASSERT_TRUE(reply.reply.ok()) << reply.node << ": " << reply.reply.status();
    EXPECT_THAT(reply.reply->str(), HasSubstr("tcp_port:" + reply.node.substr(10)));
    answered.push_back(reply.node);
  }
  EXPECT_THAT(answered, UnorderedElementsAreArray(names));
  EXPECT_EQ(client->RunOnPrimary(names[1], {"CONFIG", "GET", "port"})->elements()[1].str(),
            names[1].substr(10));

  const int victim = primaries[1];
  cluster.KillNode(victim);
  const auto killed = std::chrono::steady_clock::now();
  absl::Status down = client->Ping();
  EXPECT_EQ(down.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(down.message()), HasSubstr(Node(victim)));
  EXPECT_EQ(Sample(UpSeries(victim)), 0);
  EXPECT_EQ(Sample(UpSeries(primaries[0])), 1);
  EXPECT_EQ(Sample(UpSeries(primaries[2])), 1);
  EXPECT_GE(*Sample(ErrorSeries(victim, "io")) + *Sample(ErrorSeries(victim, "connect")), 1);
  absl::StatusOr<std::vector<RedisNodeReply>> during = client->RunOnEveryPrimary({"PING"});
  ASSERT_TRUE(during.ok()) << during.status();
  for (const RedisNodeReply& reply : *during) {
    EXPECT_EQ(reply.reply.ok(), reply.node != Node(victim)) << reply.node;
  }

  // The health check keeps looking, as the services' does every second.
  while (!client->Ping().ok() &&
         std::chrono::steady_clock::now() - killed < std::chrono::seconds(30)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_TRUE(client->Ping().ok()) << "no fail-over within 30 s";
  std::printf("every primary up again %lld ms after SIGKILL (node timeout 2000 ms)\n",
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                         std::chrono::steady_clock::now() - killed)
                                         .count()));
  const std::vector<int> now_primaries = cluster.PrimaryPorts();
  std::vector<std::string> now_names;
  for (int port : now_primaries) now_names.push_back(Node(port));
  EXPECT_THAT(NodesShown(), UnorderedElementsAreArray(now_names));
  EXPECT_EQ(Sample(UpSeries(victim)), std::nullopt) << "the dead node's series went";
  EXPECT_EQ(Sample(ErrorSeries(victim, "io")), std::nullopt);
  for (int port : now_primaries) EXPECT_EQ(Sample(UpSeries(port)), 1) << port;
  EXPECT_EQ(Sample("dermaflow_redis_cluster_nodes{role=\"primary\"}"), 3);
  EXPECT_EQ(client->RunOnPrimary(Node(victim), {"PING"}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace dermaflow::common
