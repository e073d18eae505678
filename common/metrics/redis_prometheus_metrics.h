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

 private:
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
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::unique_ptr<CommandSeries>> series_ ABSL_GUARDED_BY(mu_);
};

}  // namespace dermaflow::common
