#include "common/metrics/redis_prometheus_metrics.h"

#include <algorithm>
#include <string>

namespace dermaflow::common {
namespace {

// Redis answers in well under a millisecond on a healthy network.
const prometheus::Histogram::BucketBoundaries& DurationBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1};
  return *buckets;
}

}  // namespace

RedisPrometheusMetrics::RedisPrometheusMetrics(prometheus::Registry& registry)
    : commands_(prometheus::BuildCounter()
                    .Name("dermaflow_redis_commands_total")
                    .Help("Redis commands sent, by command and result (a gRPC code name).")
                    .Register(registry)),
      duration_(prometheus::BuildHistogram()
                    .Name("dermaflow_redis_command_duration_seconds")
                    .Help("Time from sending a Redis command to its reply.")
                    .Register(registry)),
      connects_(prometheus::BuildCounter()
                    .Name("dermaflow_redis_connects_total")
                    .Help("Attempts to open a Redis connection, by result.")
                    .Register(registry)),
      primary_switches_(prometheus::BuildCounter()
                            .Name("dermaflow_redis_primary_switches_total")
                            .Help("Times the client moved to a new primary named by Redis "
                                  "Sentinel (fail-overs followed).")
                            .Register(registry)
                            .Add({})),
      durable_writes_(prometheus::BuildCounter()
                          .Name("dermaflow_redis_durable_writes_total")
                          .Help("Durable writes (--redis_durable_replicas) by whether enough "
                                "replicas confirmed them in time.")
                          .Register(registry)),
      durable_acknowledged_(durable_writes_.Add({{"result", "acknowledged"}})),
      durable_not_acknowledged_(durable_writes_.Add({{"result", "not_acknowledged"}})),
      redirections_(prometheus::BuildCounter()
                        .Name("dermaflow_redis_cluster_redirections_total")
                        .Help("Commands a Redis Cluster node sent back unrun, by kind "
                              "(moved, ask, tryagain, clusterdown).")
                        .Register(registry)),
      map_refreshes_(prometheus::BuildCounter()
                         .Name("dermaflow_redis_cluster_map_refreshes_total")
                         .Help("Reloads of the Redis Cluster slot map (CLUSTER SLOTS), by result.")
                         .Register(registry)),
      cluster_nodes_(prometheus::BuildGauge()
                         .Name("dermaflow_redis_cluster_nodes")
                         .Help("Nodes in the Redis Cluster's slot map at its last reload, by "
                               "role (primary).")
                         .Register(registry)),
      node_up_(prometheus::BuildGauge()
                   .Name("dermaflow_redis_node_up")
                   .Help("1 while the Redis primary answered the last health check (PING; ROLE "
                         "with Sentinel), else 0; one series per primary in use.")
                   .Register(registry)),
      node_errors_(prometheus::BuildCounter()
                       .Name("dermaflow_redis_node_errors_total")
                       .Help("Commands that failed on a Redis primary for the node's own reason, "
                             "by node and kind (connect, timeout, io, loading, busy, oom, "
                             "misconf, readonly).")
                       .Register(registry)) {
  // At 0 from the start in every mode, so dashboards and alerts see the
  // series (and rate() its first increase).
  for (const char* kind : {"moved", "ask", "tryagain", "clusterdown"}) {
    redirections_.Add({{"kind", kind}});
  }
  map_refreshes_.Add({{"result", "OK"}});
}

RedisPrometheusMetrics::CommandSeries& RedisPrometheusMetrics::SeriesOf(std::string_view command) {
  // This Abseil's string_view is its own type, so convert for the heterogeneous look-up.
  const absl::string_view name(command.data(), command.size());
  {
    absl::ReaderMutexLock lock(&mu_);
    auto it = series_.find(name);
    if (it != series_.end()) return *it->second;
  }
  // Command names are a small fixed set (redis_metrics.h), so the map stays small.
  absl::MutexLock lock(&mu_);
  std::unique_ptr<CommandSeries>& series = series_[name];
  if (series == nullptr) {
    series = std::make_unique<CommandSeries>();
    series->duration = &duration_.Add({{"command", std::string(command)}}, DurationBuckets());
  }
  return *series;
}

void RedisPrometheusMetrics::OnCommand(std::string_view command, absl::Duration latency,
                                       absl::StatusCode code) {
  CommandSeries& series = SeriesOf(command);
  const size_t index = static_cast<size_t>(code) < series.results.size()
                           ? static_cast<size_t>(code)
                           : static_cast<size_t>(absl::StatusCode::kUnknown);
  prometheus::Counter* counter = series.results[index].load(std::memory_order_acquire);
  if (counter == nullptr) {
    counter = &commands_.Add(
        {{"command", std::string(command)},
         {"result", absl::StatusCodeToString(static_cast<absl::StatusCode>(index))}});
    series.results[index].store(counter, std::memory_order_release);  // Add is idempotent
  }
  counter->Increment();
  series.duration->Observe(absl::ToDoubleSeconds(latency));
}

void RedisPrometheusMetrics::OnPrimarySwitch() { primary_switches_.Increment(); }

void RedisPrometheusMetrics::OnDurableWrite(bool acknowledged) {
  (acknowledged ? durable_acknowledged_ : durable_not_acknowledged_).Increment();
}

void RedisPrometheusMetrics::OnConnect(absl::StatusCode code) {
  connects_.Add({{"result", absl::StatusCodeToString(code)}}).Increment();
}

void RedisPrometheusMetrics::OnClusterRedirection(std::string_view kind) {
  // Rare (slot migrations, fail-overs), so the family look-up is fine here.
  redirections_.Add({{"kind", std::string(kind)}}).Increment();
}

void RedisPrometheusMetrics::OnClusterMapRefresh(absl::StatusCode code) {
  map_refreshes_.Add({{"result", absl::StatusCodeToString(code)}}).Increment();
}

void RedisPrometheusMetrics::OnClusterPrimaries(int primaries) {
  cluster_nodes_.Add({{"role", "primary"}}).Set(primaries);
}

RedisPrometheusMetrics::NodeSeries& RedisPrometheusMetrics::NodeSeriesLocked(
    const std::string& node) {
  NodeSeries& series = nodes_[node];
  if (series.up == nullptr) {
    series.up = &node_up_.Add({{"node", node}});
    // Every kind at 0 from the node's first sight, so rate() sees the first error.
    for (size_t i = 0; i < kRedisNodeErrorKinds.size(); ++i) {
      series.errors[i] =
          &node_errors_.Add({{"node", node}, {"kind", std::string(kRedisNodeErrorKinds[i])}});
    }
  }
  return series;
}

void RedisPrometheusMetrics::OnPrimariesChecked(const std::vector<RedisNodeHealth>& primaries) {
  absl::MutexLock lock(&nodes_mu_);
  for (const RedisNodeHealth& primary : primaries) {
    NodeSeriesLocked(primary.node).up->Set(primary.up ? 1 : 0);
  }
  // A node that left the map (failed over, resharded away) or a primary
  // Sentinel no longer names: its series go, so they stay as many as the
  // primaries in use and no stale 0 keeps an alert firing.
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    const bool in_use = std::any_of(primaries.begin(), primaries.end(),
                                    [&](const RedisNodeHealth& p) { return p.node == it->first; });
    if (in_use) {
      ++it;
      continue;
    }
    node_up_.Remove(it->second.up);
    for (prometheus::Counter* errors : it->second.errors) node_errors_.Remove(errors);
    nodes_.erase(it++);
  }
}

void RedisPrometheusMetrics::OnNodeError(std::string_view node, std::string_view kind) {
  const auto index = std::find(kRedisNodeErrorKinds.begin(), kRedisNodeErrorKinds.end(), kind);
  if (index == kRedisNodeErrorKinds.end()) return;  // not a kind we export
  // Rare (a node in trouble), so one lock for look-up and increment is fine.
  absl::MutexLock lock(&nodes_mu_);
  NodeSeriesLocked(std::string(node)).errors[index - kRedisNodeErrorKinds.begin()]->Increment();
}

}  // namespace dermaflow::common
