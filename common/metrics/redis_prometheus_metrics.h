// Prometheus side of common/redis' RedisMetrics hooks: every command counted
// by name and result, timed in a histogram, and every connection attempt
// counted, so Redis trouble shows next to the gRPC metrics.
//   dermaflow_redis_commands_total{command,result}    result: OK, UNAVAILABLE, ...
//   dermaflow_redis_command_duration_seconds{command} histogram
//   dermaflow_redis_connects_total{result}
//   dermaflow_redis_primary_switches_total          Sentinel fail-overs followed
//   dermaflow_redis_durable_writes_total{result}    acknowledged, not_acknowledged
//   dermaflow_redis_cluster_redirections_total{kind}  moved, ask, tryagain, clusterdown
//   dermaflow_redis_cluster_map_refreshes_total{result}
//   dermaflow_redis_cluster_nodes{role}             role="primary": in the slot map (Cluster only)
//   dermaflow_redis_node_up{node}                   per primary in use, 1/0 from the health check
//   dermaflow_redis_node_errors_total{node,kind}    per primary, kinds in redis_metrics.h
// (names as the Grafana dashboard in deploy/grafana queries them).
//
//   RedisPrometheusMetrics redis_metrics(metrics->registry());
//   RedisClient redis(options, &redis_metrics);  // outlived by redis_metrics
#pragma once

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

#include "common/redis/redis_metrics.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/gauge.h"
#include "prometheus/histogram.h"
#include "prometheus/registry.h"

namespace dermaflow::common {

class RedisPrometheusMetrics : public RedisMetrics {
 public:
  explicit RedisPrometheusMetrics(prometheus::Registry& registry);

  void OnCommand(std::string_view command, absl::Duration latency, absl::StatusCode code) override;
  void OnConnect(absl::StatusCode code) override;
  void OnPrimarySwitch() override;
  void OnDurableWrite(bool acknowledged) override;
  void OnClusterRedirection(std::string_view kind) override;
  void OnClusterMapRefresh(absl::StatusCode code) override;
  void OnClusterPrimaries(int primaries) override;
  void OnPrimariesChecked(const std::vector<RedisNodeHealth>& primaries) override;
  void OnNodeError(std::string_view node, std::string_view kind) override;

 private:
  // One node's series: its up gauge and an error counter per kind.
  struct NodeSeries {
    prometheus::Gauge* up = nullptr;
    std::array<prometheus::Counter*, kRedisNodeErrorKinds.size()> errors{};
  };
  NodeSeries& NodeSeriesLocked(const std::string& node) ABSL_EXCLUSIVE_LOCKS_REQUIRED(nodes_mu_);
  // One command's series, looked up in the families once (Family::Add hashes
  // the labels under a mutex; this runs on every Redis command).
  struct CommandSeries {
    prometheus::Histogram* duration = nullptr;
    // By absl::StatusCode (0..16), created on first use.
    std::array<std::atomic<prometheus::Counter*>, 17> results{};
  };
  CommandSeries& SeriesOf(std::string_view command);

  prometheus::Family<prometheus::Counter>& commands_;
  prometheus::Family<prometheus::Histogram>& duration_;
  prometheus::Family<prometheus::Counter>& connects_;
  prometheus::Counter& primary_switches_;
  prometheus::Family<prometheus::Counter>& durable_writes_;
  prometheus::Counter& durable_acknowledged_;
  prometheus::Counter& durable_not_acknowledged_;
  prometheus::Family<prometheus::Counter>& redirections_;
  prometheus::Family<prometheus::Counter>& map_refreshes_;
  prometheus::Family<prometheus::Gauge>& cluster_nodes_;
  prometheus::Family<prometheus::Gauge>& node_up_;
  prometheus::Family<prometheus::Counter>& node_errors_;
  // Node series come and go with the primaries in use, so they are created
  // and removed under this lock, and only touched under it.
  absl::Mutex nodes_mu_;
  absl::flat_hash_map<std::string, NodeSeries> nodes_ ABSL_GUARDED_BY(nodes_mu_);
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<CommandSeries>> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
